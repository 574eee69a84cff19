import { AnalysisError } from "../common/errors.ts";
import { typeOf } from "../expr/coercion.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import { Alias, ColumnRef, transformDown, type Expression, type WindowExpression } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { resolveExpression } from "../expr/resolve.ts";
import type { LogicalPlan, OutputColumn, Window } from "./logical-plan.ts";

/** Ranking functions never return null. */
const NON_NULL = new Set(["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile"]);

function specKey(w: WindowExpression): string {
  return `${w.partitionBy.map(expressionKey).join(",")};${w.orderBy.map(expressionKey).join(",")}`;
}

/**
 * A Window over `input` computing `windowExprs` (Aliases of resolved WindowExpressions that
 * share one PARTITION BY and ORDER BY): the input's columns, then one column per expression.
 */
export function windowNode(input: LogicalPlan, windowExprs: readonly Alias[]): Window {
  const first = windowExprs[0]?.child;
  if (first === undefined || first.kind !== "WindowExpression") throw new AnalysisError("a Window needs at least one window expression");
  const key = specKey(first);
  for (const a of windowExprs) {
    if (a.child.kind !== "WindowExpression" || specKey(a.child) !== key) {
      throw new AnalysisError(`window expressions of one Window must share PARTITION BY and ORDER BY: ${displayExpression(a.child)}`);
    }
  }
  const added: OutputColumn[] = windowExprs.map((a) => {
    const w = a.child as WindowExpression;
    const nonNull = w.fn.kind === "Call" && NON_NULL.has(w.fn.name) || (w.fn.kind === "AggregateCall" && w.fn.name === "count");
    return { name: a.name, qualifier: null, dataType: typeOf(w), nullable: !nonNull };
  });
  return Object.freeze({
    kind: "Window", input, windowExprs, partitionBy: first.partitionBy, orderBy: first.orderBy,
    output: [...input.output, ...added], isStreaming: input.isStreaming,
  });
}

/**
 * Spark's ExtractWindowExpressions for a projection: each distinct window expression is
 * computed by a Window node (one per PARTITION BY / ORDER BY), and the projection reads its
 * column. Returns the plan with the Windows and the projection list over it.
 */
export function extractWindows(input: LogicalPlan, exprs: readonly Expression[]): { plan: LogicalPlan; exprs: Expression[] } {
  const found: WindowExpression[] = [];
  const keys: string[] = [];
  const resolvedOf = (x: WindowExpression): WindowExpression => {
    const r = resolveExpression(x, input.output) as WindowExpression;
    const k = expressionKey(r);
    if (!keys.includes(k)) { keys.push(k); found.push(r); }
    return r;
  };
  exprs.forEach((e) => transformDown(e, (x) => (x.kind === "WindowExpression" ? resolvedOf(x) : undefined)));
  // Group by specification, keeping first-seen order; assign each expression its output column.
  const groups = new Map<string, number[]>();
  found.forEach((w, i) => {
    const k = specKey(w);
    groups.set(k, [...(groups.get(k) ?? []), i]);
  });
  const column = new Array<number>(found.length);
  let next = input.output.length;
  for (const members of groups.values()) for (const i of members) column[i] = next++;
  let plan = input;
  for (const members of groups.values()) {
    plan = windowNode(plan, members.map((i) => Alias.create(found[i]!, displayExpression(found[i]!))));
  }
  const out = exprs.map((e) => {
    const replaced = transformDown(e, (x) => {
      if (x.kind !== "WindowExpression") return undefined;
      const i = keys.indexOf(expressionKey(resolvedOf(x)));
      const c = plan.output[column[i]!]!;
      return ColumnRef.bound(c.name, column[i]!, c.dataType, c.nullable);
    });
    if (e.kind === "Alias") return replaced;
    // The column keeps the name of the expression as written (the window expression's own text).
    return Alias.create(replaced, replaced.kind === "ColumnRef" ? replaced.name : autoName(resolveExpression(replaced, plan.output)));
  });
  return { plan, exprs: out };
}
