import { valueAt } from "../columnar/vector.ts";
import { typeOf } from "../expr/coercion.ts";
import { autoName } from "../expr/display.ts";
import { Alias, AggregateCall, Call, Case, ColumnRef, Literal, stripAlias, transformDown, type Expression } from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { lookupAggregate } from "../expr/aggregates/index.ts";
import type { Aggregate, Expand, LogicalPlan, OutputColumn } from "../plan/logical-plan.ts";
import { BooleanType, IntegerType } from "../types/data-types.ts";
import { isDeterministic } from "./determinism.ts";
import { distinctSetKey, distinctValues, isWindowKey } from "./distinct-value-sets.ts";
import { rewriteUp, type OptimizerRule } from "./optimizer-rule.ts";

/**
 * Aggregates DISTINCT over two or more different value sets (Spark's RewriteDistinctAggregates):
 *
 *   SELECT k, count(DISTINCT a), count(DISTINCT b), sum(c) … GROUP BY k
 *
 * becomes an Expand that emits each row once for the plain aggregates (gid 0, the distinct
 * values nulled) and once per distinct value set (gid n, only that set's values kept), a first
 * aggregate grouped by (k, a, b, gid) that removes the duplicate values and computes sum(c) on
 * the gid-0 rows, and a second aggregate grouped by k:
 *
 *   count(CASE WHEN gid = 1 THEN a END), count(CASE WHEN gid = 2 THEN b END),
 *   first(CASE WHEN gid = 0 THEN sum(c) END, true)
 *
 * The distinct values are then found by the hash aggregation's group table rather than by a set
 * of boxed tuples per group. Each set's values reach the second aggregate in the order they first
 * appeared in their group, and the plain aggregates fold the gid-0 rows in input order, so results
 * (DOUBLE sums, collect_list's order) are those of the plan without the rule. A FILTER clause is
 * already part of its aggregate's arguments (CASE WHEN cond THEN x END), so it rides along.
 * Over no rows without GROUP BY, the second aggregate's first() is null where the plain aggregate
 * has a value of its own (count's 0): that value is kept with coalesce, as Spark does.
 *
 * One distinct value set is left to single_distinct_aggregation_to_group_by (or to the aggregate's
 * own distinct sets when it is mixed with plain aggregates), as Spark leaves it to its aggregation
 * strategy. Batch plans only: Spark refuses DISTINCT aggregates on streams, and a session window's
 * sessions would change if the values joined its key. Aggregates that keep nulls (first, last,
 * any_value without IGNORE NULLS) would see the other sets' nulls, so plans with such a DISTINCT
 * aggregate are left as they are, and so are plans grouped by a nondeterministic key.
 */
export const RewriteDistinctAggregates: OptimizerRule = {
  name: "rewrite_distinct_aggregates",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return rewriteUp(plan, (p) => (p.kind === "Aggregate" ? rewrite(p) ?? p : p));
  },
};

const KEEPS_NULLS = new Set(["first", "last", "first_value", "last_value", "any_value"]);

/** The arguments a DISTINCT aggregate's set is made of: the non-literal ones, or the first if all are literals (count(DISTINCT 1)). */
function distinctChildren(call: AggregateCall): readonly Expression[] {
  const values = distinctValues(call);
  return values.length > 0 ? values : call.args.slice(0, 1);
}

function setKey(call: AggregateCall): string {
  return distinctSetKey(distinctChildren(call));
}

function keepsNulls(call: AggregateCall): boolean {
  if (!KEEPS_NULLS.has(call.name)) return false;
  const flag = call.args[1];
  return !(flag?.kind === "Literal" && flag.value === true);
}

/** What an aggregate gives over no rows (count 0, sum null), or undefined when it is not a known aggregate. */
function emptyValue(call: AggregateCall): { value: unknown } | undefined {
  const f = lookupAggregate(call.name);
  if (f === undefined) return undefined;
  const acc = f.createAccumulator(AggregateCall.create(call.name, call.args, false, call.dataType));
  acc.resize(1);
  return { value: valueAt(acc.evaluate(Int32Array.of(0), 1), 0) };
}

interface Column { readonly expr: Expression; readonly key: string }

function columnsOf(exprs: readonly Expression[]): Column[] {
  const out: Column[] = [];
  for (const expr of exprs) {
    const key = expressionKey(expr);
    if (!out.some((c) => c.key === key)) out.push({ expr, key });
  }
  return out;
}

function rewrite(p: Aggregate): Aggregate | undefined {
  // Each projection evaluates the grouping keys again: rand() would give each copy its own key.
  if (p.isStreaming || p.groupings.some(isWindowKey) || !p.groupings.every(isDeterministic)) return undefined;
  const distinct = p.aggregates.filter((a) => a.distinct);
  const setKeys = [...new Set(distinct.map(setKey))];
  if (setKeys.length < 2 || distinct.some(keepsNulls)) return undefined;
  const regular = p.aggregates.filter((a) => !a.distinct);
  const global = p.groupings.length === 0;
  const defaults = global ? regular.map(emptyValue) : [];
  if (defaults.some((d) => d === undefined)) return undefined;

  // The Expand's columns: [groupings…, distinct values…, gid, plain aggregates' arguments…].
  const groups = p.groupings.map(stripAlias);
  const values = columnsOf(distinct.flatMap((a) => distinctChildren(a)));
  const plainArgs = columnsOf(regular.flatMap((a) => a.args.filter((x) => x.kind !== "Literal")));
  const g = groups.length;
  const gidIndex = g + values.length;
  const column = (name: string, e: Expression): OutputColumn => ({ name, qualifier: null, dataType: typeOf(e), nullable: true });
  const expandOutput: OutputColumn[] = [
    ...groups.map((e) => column(autoName(e), e)),
    ...values.map((v) => column(autoName(v.expr), v.expr)),
    { name: "gid", qualifier: null, dataType: IntegerType, nullable: false },
    ...plainArgs.map((a) => column(autoName(a.expr), a.expr)),
  ];
  const nullOf = (e: Expression): Expression => Literal.create(null, typeOf(e));
  const setValues = setKeys.map((k) => new Set(k.split("\u0000")));
  const projections: Expression[][] = [];
  if (regular.length > 0) {
    projections.push([...groups, ...values.map((v) => nullOf(v.expr)), Literal.create(0, IntegerType), ...plainArgs.map((a) => a.expr)]);
  }
  setValues.forEach((set, n) => {
    projections.push([
      ...groups,
      ...values.map((v) => (set.has(v.key) ? v.expr : nullOf(v.expr))),
      Literal.create(n + 1, IntegerType),
      ...plainArgs.map((a) => nullOf(a.expr)),
    ]);
  });
  const expand: Expand = Object.freeze({ kind: "Expand", input: p.input, projections, output: expandOutput, isStreaming: false });
  const expandRef = (i: number): ColumnRef => ColumnRef.bound(expandOutput[i]!.name, i, expandOutput[i]!.dataType, true);

  // First aggregate: one row per (groupings, distinct values, gid), with the plain aggregates.
  const plainIndex = new Map(plainArgs.map((a, i) => [a.key, gidIndex + 1 + i]));
  const firstAggregates = regular.map((a) => AggregateCall.create(
    a.name, a.args.map((x) => (x.kind === "Literal" ? x : expandRef(plainIndex.get(expressionKey(x))!))), false, a.dataType));
  const firstKeys = expandOutput.slice(0, gidIndex + 1).map((_, i) => expandRef(i));
  const firstOutput: OutputColumn[] = [
    ...expandOutput.slice(0, gidIndex + 1),
    ...regular.map((a, i) => ({ name: `${autoName(a)}#${i}`, qualifier: null, dataType: a.dataType!, nullable: true })),
  ];
  const firstRef = (i: number): ColumnRef => ColumnRef.bound(firstOutput[i]!.name, i, firstOutput[i]!.dataType, true);
  const first: Aggregate = Object.freeze({
    kind: "Aggregate",
    input: expand,
    groupings: firstKeys,
    aggregates: firstAggregates,
    results: firstOutput.map((c, i) => Alias.create(firstRef(i), c.name)),
    output: firstOutput,
    isStreaming: false,
  });

  // Second aggregate: each DISTINCT aggregate over its own gid's rows, each plain one picked from gid 0.
  const gid = firstRef(gidIndex);
  const within = (n: number, e: Expression): Expression =>
    Case.create([[Call.create("equalto", [gid, Literal.create(n, IntegerType)], BooleanType), e]], null, typeOf(e));
  const valueIndex = new Map(values.map((v, i) => [v.key, g + i]));
  const secondAggregates = p.aggregates.map((a) => {
    if (a.distinct) {
      const n = setKeys.indexOf(setKey(a)) + 1;
      const set = setValues[n - 1]!;
      const args = a.args.map((x) => {
        const k = expressionKey(x);
        return set.has(k) ? within(n, firstRef(valueIndex.get(k)!)) : x;
      });
      return AggregateCall.create(a.name, args, false, a.dataType);
    }
    const result = firstRef(gidIndex + 1 + regular.indexOf(a));
    return AggregateCall.create("first", [within(0, result), Literal.create(true, BooleanType)], false, a.dataType);
  });
  const results = global ? p.results.map((r) => keepEmptyValues(r, p.aggregates, regular, defaults)) : p.results;
  return Object.freeze({ ...p, input: first, groupings: groups.map((_, i) => firstRef(i)), aggregates: secondAggregates, results });
}

/** Without GROUP BY, a plain aggregate read through first() keeps its own value over no rows (count's 0). */
function keepEmptyValues(
  result: Expression, aggregates: readonly AggregateCall[], regular: readonly AggregateCall[], defaults: readonly ({ value: unknown } | undefined)[],
): Expression {
  return transformDown(result, (x) => {
    if (x.kind !== "ColumnRef") return undefined;
    const a = aggregates[x.index];
    const r = a === undefined ? -1 : regular.indexOf(a);
    const value = r < 0 ? null : defaults[r]!.value;
    if (value === null || value === undefined) return x;
    return Call.create("coalesce", [x, Literal.create(value, x.dataType)], x.dataType);
  });
}
