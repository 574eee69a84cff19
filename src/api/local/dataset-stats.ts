import { AnalysisError } from "../../common/errors.ts";
import { AggregateCall, Alias, Call, Cast, ColumnRef, Literal, SortOrder, type Expression } from "../../expr/expression.ts";
import { XORShiftRandom } from "../../expr/functions/xorshift-random.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import { mapBatchesKeepingColumns } from "../../plan/object-operators.ts";
import * as build from "../../plan/plan-builder.ts";
import { checkFraction, sampleRange } from "../../plan/sample.ts";
export { randomSeed } from "../../plan/sample.ts";
import { DoubleType, IntegerType, StringType, isNumeric, type DataType } from "../../types/data-types.ts";

/** Spark's StatFunctions.summary default statistics (df.summary()). */
export const DEFAULT_SUMMARY_STATISTICS = ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"];
/** df.describe(): summary of these. */
export const DESCRIBE_STATISTICS = ["count", "mean", "stddev", "min", "max"];

/**
 * df.summary(stats…) as Spark's StatFunctions.summary: a `summary` column naming each statistic,
 * then one string column per numeric or string input column. Strings are averaged (and their
 * percentiles taken) as doubles when they convert, as Spark's try_cast; min and max compare them
 * as strings. Percentiles are percentile_approx with accuracy 10000.
 */
export function summaryPlan(input: LogicalPlan, statistics: readonly string[]): LogicalPlan {
  const stats = statistics.length === 0 ? DEFAULT_SUMMARY_STATISTICS : statistics;
  const columns = input.output.map((c, i) => ({ c, i })).filter(({ c }) => isNumeric(c.dataType) || c.dataType.kind === "string");
  const percentiles = stats.map((s) => {
    if (!s.endsWith("%")) return null;
    const p = Number(s.slice(0, -1)) / 100;
    if (!Number.isFinite(p) || p < 0 || p > 1) throw new AnalysisError(`Unable to parse ${s} as a percentile`);
    return p;
  });
  if (columns.length === 0) {
    return build.inlineTable(stats.map((s) => [Literal.create(s, StringType)]), null, ["summary"]);
  }
  const aggregates: Expression[] = [];
  for (const { c, i } of columns) {
    const column = ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
    const casted = c.dataType.kind === "string" ? Cast.create(column, DoubleType) : column;
    stats.forEach((s, k) => {
      const aggregate = statisticOf(s, column, casted, percentiles[k] ?? null);
      aggregates.push(Alias.create(Cast.create(aggregate, StringType), `__summary_${i}_${k}`));
    });
  }
  const aggregated = build.aggregate(input, [], aggregates);
  const ref = (j: number): Expression => ColumnRef.bound(aggregated.output[j]!.name, j, StringType, true);
  // One row per statistic: stack(n, 'count', c1, c2, …, 'mean', …).
  const args: Expression[] = [Literal.create(stats.length, IntegerType)];
  stats.forEach((s, k) => {
    args.push(Literal.create(s, StringType));
    columns.forEach((_, n) => args.push(ref(n * stats.length + k)));
  });
  return build.project(aggregated, [Alias.multi(Call.create("stack", args), ["summary", ...columns.map(({ c }) => c.name)])]);
}

function statisticOf(stat: string, column: Expression, casted: Expression, percentile: number | null): Expression {
  switch (stat.toLowerCase()) {
    case "count": return AggregateCall.create("count", [column]);
    case "count_distinct": return AggregateCall.create("count", [column], true);
    case "approx_count_distinct": return AggregateCall.create("approx_count_distinct", [column]);
    case "mean": return AggregateCall.create("avg", [casted]);
    case "stddev": return AggregateCall.create("stddev", [casted]);
    case "min": return AggregateCall.create("min", [column]);
    case "max": return AggregateCall.create("max", [column]);
    default:
      if (percentile !== null) return AggregateCall.create("percentile_approx", [casted, Literal.create(percentile, DoubleType), Literal.create(10000, IntegerType)]);
      throw new AnalysisError(`[_LEGACY_ERROR_TEMP_2114] ${stat} is not a recognised statistic.`);
  }
}

/**
 * df.sample: without replacement Spark's Sample (see sampleRange, the same rows as Spark's
 * partition 0); with replacement each row repeated a Poisson(fraction) number of times, drawn
 * from XORShiftRandom(seed) — Spark draws with commons-math's Poisson sampler, so the rows
 * differ from Spark's while the distribution is the same.
 */
export function samplePlan(input: LogicalPlan, withReplacement: boolean, fraction: number, seed: bigint): LogicalPlan {
  checkFraction(fraction, withReplacement);
  if (!withReplacement) return sampleRange(input, 0, fraction, seed);
  return mapBatchesKeepingColumns(input, `Sample(withReplacement, ${fraction}, ${seed})`, null, (batch) => {
    const rng = new XORShiftRandom(seed);
    const picked: number[] = [];
    const limit = Math.exp(-fraction);
    for (let row = 0; row < batch.numRows; row++) {
      // Knuth's Poisson draw.
      let k = 0;
      for (let p = rng.nextDouble(); p > limit; p *= rng.nextDouble()) k++;
      for (let j = 0; j < k; j++) picked.push(row);
    }
    return batch.take(Int32Array.from(picked));
  });
}

/**
 * df.randomSplit(weights, seed) as Spark's: the rows sorted (within the one partition) by every
 * orderable column so each split sees them in the same order, then split [lo, hi) of one draw of
 * XORShiftRandom(seed) per row, the bounds the cumulative normalized weights.
 */
export function randomSplitPlans(input: LogicalPlan, weights: readonly number[], seed: bigint): LogicalPlan[] {
  if (!weights.every((w) => w >= 0)) throw new AnalysisError(`requirement failed: Weights must be nonnegative, but got [${weights.join(",")}]`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new AnalysisError(`requirement failed: Sum of weights must be positive, but got [${weights.join(",")}]`);
  const orders = input.output.flatMap((c, i) => (orderable(c.dataType) ? [SortOrder.create(ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier), true)] : []));
  const sorted = orders.length > 0 ? build.sort(input, orders) : input;
  const bounds = [0];
  for (const w of weights) bounds.push(bounds[bounds.length - 1]! + w / sum);
  return weights.map((_, i) => sampleRange(sorted, bounds[i]!, bounds[i + 1]!, seed));
}

function orderable(t: DataType): boolean {
  if (t.kind === "map") return false;
  if (t.kind === "struct") return t.fields.every((f) => orderable(f.dataType));
  if (t.kind === "array") return orderable(t.elementType);
  return true;
}
