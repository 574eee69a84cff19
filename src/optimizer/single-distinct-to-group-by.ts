import { typeOf } from "../expr/coercion.ts";
import { autoName } from "../expr/display.ts";
import { Alias, AggregateCall, ColumnRef } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import type { Aggregate, LogicalPlan, OutputColumn } from "../plan/logical-plan.ts";
import { distinctSetKey, distinctValues, isWindowKey } from "./distinct-value-sets.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * `SELECT k, count(DISTINCT x), sum(DISTINCT x) … GROUP BY k` →
 * `SELECT k, count(x), sum(x) FROM (SELECT k, x … GROUP BY k, x) GROUP BY k`
 * (Spark's planAggregateWithOneDistinct, DataFusion's single_distinct_aggregation_to_group_by):
 * when every aggregate is DISTINCT over the same arguments, the distinct values are found by
 * the hash aggregation's group table instead of a set of boxed tuples per group, and the outer
 * aggregates see each value once. f(DISTINCT x) is f over the set of x, so the answers are the
 * same, nulls included (the null group reaches f as one null, which f skips as it skips nulls).
 * Literal arguments (approx_count_distinct's rsd, percentile's fraction) stay literals.
 * Batch plans only: Spark refuses distinct aggregations on streams, and a session window's
 * sessions would change if x joined its key.
 */
export const SingleDistinctToGroupBy: OptimizerRule = {
  name: "single_distinct_aggregation_to_group_by",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "Aggregate" && rewritable(p) ? groupByDistinctValues(p) : p));
  },
};

function rewritable(p: Aggregate): boolean {
  if (p.isStreaming || p.aggregates.length === 0) return false;
  if (p.groupings.some(isWindowKey)) return false;
  const first = distinctSetKey(distinctValues(p.aggregates[0]!));
  return p.aggregates.every((a) => a.distinct && a.filter === undefined && distinctValues(a).length > 0
    && distinctSetKey(distinctValues(a)) === first);
}

function groupByDistinctValues(p: Aggregate): Aggregate {
  const values = distinctValues(p.aggregates[0]!);
  const keys = [...p.groupings, ...values];
  const keyNames = keys.map((k, i) => `${autoName(k)}#${i}`);
  const innerOutput: OutputColumn[] = keys.map((k, i) => ({ name: keyNames[i]!, qualifier: null, dataType: typeOf(k), nullable: true }));
  const inner: Aggregate = Object.freeze({
    kind: "Aggregate",
    input: p.input,
    groupings: keys,
    aggregates: [],
    results: keys.map((k, i) => Alias.create(ColumnRef.bound(keyNames[i]!, i, typeOf(k), true), keyNames[i]!)),
    output: innerOutput,
    isStreaming: false,
  });
  const column = (i: number): ColumnRef => ColumnRef.bound(keyNames[i]!, i, innerOutput[i]!.dataType, true);
  const groupings = p.groupings.map((_, i) => column(i));
  const valueKeys = values.map(expressionKey);
  const aggregates = p.aggregates.map((a) => {
    const args = a.args.map((arg) => (arg.kind === "Literal" ? arg : column(p.groupings.length + valueKeys.indexOf(expressionKey(arg)))));
    return AggregateCall.create(a.name, args, false, a.dataType);
  });
  // The results read [groupings…, aggregates…] by position, and both keep their positions.
  return Object.freeze({ ...p, input: inner, groupings, aggregates });
}
