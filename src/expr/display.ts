import { typeName } from "../types/data-types.ts";
import { formatDuration } from "../common/duration.ts";
import { valueToString } from "./cast.ts";
import type { Expression } from "./expression.ts";
import { lookupAggregate } from "./aggregates/aggregate-function.ts";
import { lookupFunction } from "./functions/registry.ts";
import { displayWindowExpression } from "./window/window-display.ts";

/**
 * How an expression prints in plans and in auto-generated column names, following Spark:
 * `(value > 10)`, `upper(action)`, `count(1)`, `CAST(value AS TIMESTAMP)`.
 */
export function displayExpression(e: Expression): string {
  return show(e, false);
}

/**
 * `pretty`: as a generated column name, without the casts type coercion added (Spark names a
 * column before coercion: `(a + b)`, not `(CAST(a AS BIGINT) + b)`).
 */
function show(e: Expression, pretty: boolean): string {
  const displayExpression = (x: Expression): string => show(x, pretty);
  switch (e.kind) {
    case "ColumnRef": return e.name;
    case "Literal":
      if (e.value === null) return "NULL";
      if (e.dataType?.kind === "binary" || e.value instanceof Uint8Array) return `X'${Buffer.from(e.value as Uint8Array).toString("hex").toUpperCase()}'`;
      if (e.dataType?.kind === "timestamp" || e.dataType?.kind === "date" || e.dataType?.kind === "timestamp_ntz") return `${e.dataType.kind.toUpperCase()} '${valueToString(e.value, e.dataType)}'`;
      return e.dataType ? valueToString(e.value, e.dataType) : String(e.value);
    case "Alias": return `${displayExpression(e.child)} AS ${e.name}`;
    case "Cast":
      if (pretty && e.implicit === true) return displayExpression(e.child);
      return `${e.evalMode === "try" ? "TRY_CAST" : "CAST"}(${displayExpression(e.child)} AS ${typeName(e.to).toUpperCase()})`;
    case "Call": {
      const args = e.args.map(displayExpression);
      const f = lookupFunction(e.name);
      return f?.display ? f.display(args) : `${e.name}(${args.join(", ")})`;
    }
    case "Case":
      return `CASE ${e.branches.map(([c, v]) => `WHEN ${displayExpression(c)} THEN ${displayExpression(v)}`).join(" ")}${e.otherwise ? ` ELSE ${displayExpression(e.otherwise)}` : ""} END`;
    case "GetField": return `${displayExpression(e.child)}.${e.field}`;
    case "AggregateCall": {
      // first/last print without their ignoreNulls flag, as Spark names them.
      const shown = (e.name === "first" || e.name === "last") && e.args.length === 2 ? e.args.slice(0, 1) : e.args;
      const args = shown.length === 0 ? "1" : shown.map((a) => (a.kind === "Star" ? "1" : displayExpression(a))).join(", ");
      const named = lookupAggregate(e.name)?.display;
      const call = named !== undefined ? named(e.args.map(displayExpression)) : `${e.name}(${e.distinct ? "DISTINCT " : ""}${args})`;
      return `${call}${e.filter === undefined ? "" : ` FILTER (WHERE ${displayExpression(e.filter)})`}`;
    }
    case "WindowTime":
      return `window(${displayExpression(e.timeColumn)}, ${formatDuration(e.sizeMicros)}${e.slideMicros !== e.sizeMicros ? `, ${formatDuration(e.slideMicros)}` : ""}${e.startMicros !== 0 ? `, ${formatDuration(e.startMicros)}` : ""})`;
    case "SessionWindow":
      return `session_window(${displayExpression(e.timeColumn)}, ${e.gap === null ? formatDuration(e.gapMicros) : displayExpression(e.gap)})`;
    case "Star":
      if (e.pattern !== undefined) return `${e.qualifier ? `${e.qualifier}.` : ""}\`${e.pattern}\``;
      return e.qualifier ? `${e.qualifier}.*` : "*";
    case "Subquery":
      // Spark's names: scalarsubquery(), exists(), (x IN (listquery())).
      if (e.subqueryKind === "in") return `(${e.values.map(displayExpression).join(", ")} IN (listquery()))`;
      return e.subqueryKind === "scalar" ? "scalarsubquery()" : "exists()";
    case "SortOrder": return `${displayExpression(e.child)} ${e.ascending ? "ASC" : "DESC"} NULLS ${e.nullsFirst ? "FIRST" : "LAST"}`;
    case "WindowExpression": return displayWindowExpression(e, displayExpression);
  }
}

/** The column name Spark gives an unaliased expression in a projection. */
export function autoName(e: Expression): string {
  switch (e.kind) {
    case "Alias": return e.name;
    // A bound reference names its column exactly (`x.z` may be one column's name); an unbound dotted name is a nested field's path.
    case "ColumnRef": return e.index < 0 && e.name.includes(".") && !e.name.startsWith("`") ? e.name.slice(e.name.lastIndexOf(".") + 1) : e.name;
    case "GetField": return e.field;
    case "WindowTime": return "window";
    case "SessionWindow": return "session_window";
    // A top-level cast of a named column keeps the column's name.
    case "Cast":
      if (e.implicit === true) return autoName(e.child);
      return e.child.kind === "ColumnRef" || e.child.kind === "GetField" ? autoName(e.child) : show(e, true);
    default: return show(e, true);
  }
}
