import type { Expression } from "./expression.ts";

/** A canonical string of a resolved expression: equal keys mean semantically equal expressions (Spark's semanticEquals). */
export function expressionKey(e: Expression): string {
  switch (e.kind) {
    case "ColumnRef": return `#${e.index}`;
    case "Literal": return `lit(${literalKey(e.value)}:${e.dataType?.kind})`;
    case "Alias": return expressionKey(e.child);
    case "Cast": return `${e.evalMode === "try" ? "try_cast" : "cast"}(${expressionKey(e.child)}:${JSON.stringify(e.to)})`;
    case "Call": return `${e.name}(${e.args.map(expressionKey).join(",")})`;
    case "AggregateCall": return `agg:${e.name}${e.distinct ? ":d" : ""}(${e.args.map(expressionKey).join(",")})${e.filter === undefined ? "" : `:f(${expressionKey(e.filter)})`}`;
    case "Case": return `case(${e.branches.map(([c, v]) => `${expressionKey(c)}=>${expressionKey(v)}`).join(",")};${e.otherwise ? expressionKey(e.otherwise) : ""})`;
    case "GetField": return `${expressionKey(e.child)}.${e.field}`;
    case "WindowTime": return `window(${expressionKey(e.timeColumn)},${e.sizeMicros},${e.slideMicros},${e.startMicros})`;
    case "SessionWindow": return `session_window(${expressionKey(e.timeColumn)},${e.gap === null ? e.gapMicros : expressionKey(e.gap)})`;
    case "Star": return `*${e.qualifier ?? ""}`;
    case "Subquery": return `subquery:${e.subqueryKind}(${e.values.map(expressionKey).join(",")})@${subqueryId(e.query)}`;
    case "SortOrder": return `sort(${expressionKey(e.child)},${e.ascending},${e.nullsFirst})`;
    case "WindowExpression":
      return `over(${expressionKey(e.fn)};${e.partitionBy.map(expressionKey).join(",")};${e.orderBy.map(expressionKey).join(",")};${e.frame ? `${e.frame.frameType}:${e.frame.lower}:${e.frame.upper}:${e.frame.offsetType?.kind ?? ""}` : ""})`;
  }
}

/** A literal's value as text: structs, arrays, maps and binaries by content (two different struct literals are two keys). */
function literalKey(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return String(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n`
    : v instanceof Uint8Array ? `x${Buffer.from(v).toString("hex")}`
    : v instanceof Map ? [...v.entries()] : v));
}

const subqueryIds = new WeakMap<object, number>();
let nextSubqueryId = 1;
/** A stable identity per subquery (two subqueries are never the same expression). */
function subqueryId(query: unknown): number {
  if (typeof query !== "object" || query === null) return 0;
  let id = subqueryIds.get(query);
  if (id === undefined) { id = nextSubqueryId++; subqueryIds.set(query, id); }
  return id;
}
