import { stripAlias, type AggregateCall, type Expression } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";

/**
 * What the DISTINCT-aggregate rules (single_distinct_aggregation_to_group_by,
 * rewrite_distinct_aggregates) ask of an aggregate: the values its DISTINCT is over, as Spark's
 * `children.filterNot(_.foldable).toSet` — `count(DISTINCT a, b)` and `count(DISTINCT b, a)` are one set.
 */

/** The non-literal arguments of a DISTINCT aggregate (none for `count(DISTINCT 1)`). */
export function distinctValues(call: AggregateCall): Expression[] {
  return call.args.filter((a) => a.kind !== "Literal");
}

/** The set of values a DISTINCT aggregate is over, as a key: the same for the same values in any order. */
export function distinctSetKey(values: readonly Expression[]): string {
  return [...new Set(values.map(expressionKey))].sort().join("\u0000");
}

/** A time window or session window key: the rules leave such aggregations to the window's own path. */
export function isWindowKey(g: Expression): boolean {
  const inner = stripAlias(g);
  return inner.kind === "WindowTime" || inner.kind === "SessionWindow";
}
