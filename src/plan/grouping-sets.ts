import { AnalysisError } from "../common/errors.ts";
import { typeOf } from "../expr/coercion.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import {
  Alias, ColumnRef, Literal, isAggregate, stripAlias, transformDown, type Expression,
} from "../expr/expression.ts";
import { expressionKey } from "../expr/expression-key.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { ByteType, LongType } from "../types/data-types.ts";
import type { Aggregate, Expand, LogicalPlan, OutputColumn } from "./logical-plan.ts";
import { aggregate } from "./plan-builder.ts";

/** Spark's name for the column that tells the grouping sets apart. */
export const GROUPING_ID = "spark_grouping_id";

/** ROLLUP(a, b): (a, b), (a), (). */
export function rollupSets(n: number): number[][] {
  return Array.from({ length: n + 1 }, (_, k) => Array.from({ length: n - k }, (_, i) => i));
}

/** CUBE(a, b): every subset, largest first as Spark lists them: (a, b), (a), (b), (). */
/** Each set's columns as indices into the grouping columns `exprs` (Dataset.groupingSets); a column not among them is refused. */
export function groupingSetIndices(sets: readonly (readonly Expression[])[], exprs: readonly Expression[]): number[][] {
  const keys = exprs.map((e) => JSON.stringify(e));
  return sets.map((set) => set.map((e) => {
    const i = keys.indexOf(JSON.stringify(e));
    if (i < 0) throw new AnalysisError(`groupingSets: ${displayExpression(e)} is not among the grouping columns`);
    return i;
  }));
}

export function cubeSets(n: number): number[][] {
  const sets: number[][] = [];
  for (let mask = (1 << n) - 1; mask >= 0; mask--) {
    sets.push(Array.from({ length: n }, (_, i) => i).filter((i) => (mask & (1 << (n - 1 - i))) !== 0));
  }
  return sets;
}

/**
 * GROUPING SETS / ROLLUP / CUBE as Spark plans them: an Expand that emits each input row once
 * per grouping set (the grouping columns a set leaves out set to NULL, and the set's
 * spark_grouping_id bitmask), under one Aggregate grouped by the grouping columns and the id.
 * `grouping(a)` and `grouping_id(…)` are constant per set: the Expand emits them too.
 * Aggregate calls read the input columns, so `sum(a)` still sees `a` in the rows where the
 * set leaves `a` out.
 */
export function groupingSetsAggregate(
  input: LogicalPlan, groupingExprs: readonly Expression[], sets: readonly (readonly number[])[], aggExprs: readonly Expression[],
): Aggregate {
  const width = input.output.length;
  const groups = groupingExprs.map((g) => resolveExpression(stripAlias(g), input.output));
  for (const g of groups) if (isAggregate(g)) throw new AnalysisError(`aggregate functions are not allowed in GROUP BY: ${displayExpression(g)}`);
  const keys = groups.map(expressionKey);
  const n = groups.length;
  if (n > 63) throw new AnalysisError(`[GROUPING_SIZE_LIMIT_EXCEEDED] Grouping sets size cannot be greater than 64.`);
  const idOf = (set: readonly number[]): number => groups.reduce((id, _, i) => (set.includes(i) ? id : id + 2 ** (n - 1 - i)), 0);

  // grouping(x) / grouping_id(…) calls, each a constant per set.
  const groupingCalls: { key: string; value: (set: readonly number[]) => number; name: string; long: boolean }[] = [];
  const resolvedAggs = aggExprs.map((e) => resolveExpression(e, input.output, { allowAggregates: true }));
  const findGroupingCalls = (e: Expression): void => {
    transformDown(e, (x) => {
      if (x.kind !== "Call" || (x.name !== "grouping" && x.name !== "grouping_id")) return undefined;
      const key = expressionKey(x);
      if (groupingCalls.some((c) => c.key === key)) return x;
      const indices = (x.name === "grouping_id" && x.args.length === 0 ? groups : x.args).map((a) => {
        const i = keys.indexOf(expressionKey(a));
        if (i < 0) throw new AnalysisError(`[GROUPING_COLUMN_MISMATCH] Column of grouping (${displayExpression(a)}) can't be found in grouping columns ${groups.map(displayExpression).join(",")}.`);
        return i;
      });
      const value = (set: readonly number[]): number => indices.reduce((v, i, k) => (set.includes(i) ? v : v + 2 ** (indices.length - 1 - k)), 0);
      groupingCalls.push({ key, value, name: displayExpression(x), long: x.name === "grouping_id" });
      return x;
    });
  };
  resolvedAggs.forEach(findGroupingCalls);

  const groupColumns: OutputColumn[] = groups.map((g) => ({ name: autoName(g), qualifier: null, dataType: typeOf(g), nullable: true }));
  const idColumn: OutputColumn = { name: GROUPING_ID, qualifier: null, dataType: LongType, nullable: false };
  const callColumns: OutputColumn[] = groupingCalls.map((c) => ({ name: c.name, qualifier: null, dataType: c.long ? LongType : ByteType, nullable: false }));
  const output = [...input.output, ...groupColumns, idColumn, ...callColumns];
  const projections = sets.map((set) => [
    ...input.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)),
    ...groups.map((g, i) => (set.includes(i) ? g : Literal.create(null, typeOf(g)))),
    Literal.create(idOf(set), LongType),
    ...groupingCalls.map((c) => Literal.create(c.value(set), c.long ? LongType : ByteType)),
  ]);
  const expand: Expand = Object.freeze({ kind: "Expand", input, projections, output, isStreaming: input.isStreaming });

  const ref = (i: number): ColumnRef => { const c = output[i]!; return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier); };
  // Outside aggregate calls, a grouping expression reads the Expand's (possibly NULL) grouping column.
  const rewrite = (e: Expression): Expression => transformDown(e, (x) => {
    if (x.kind === "AggregateCall" || x.kind === "Literal") return x;
    const key = expressionKey(x);
    if (x.kind === "Call" && (x.name === "grouping" || x.name === "grouping_id")) return ref(width + n + 1 + groupingCalls.findIndex((c) => c.key === key));
    const gi = keys.indexOf(key);
    return gi >= 0 && x.kind !== "Alias" ? ref(width + gi) : undefined;
  });
  const results = resolvedAggs.map((e, i) => {
    const r = rewrite(e);
    return r.kind === "Alias" ? r : Alias.create(r, autoName(aggExprs[i]!.kind === "Alias" ? aggExprs[i]! : e));
  });
  const groupings = [...groups.map((_, i) => ref(width + i)), ref(width + n), ...groupingCalls.map((_, k) => ref(width + n + 1 + k))];
  return aggregate(expand, groupings, results, false);
}
