import { AnalysisError } from "../common/errors.ts";
import { Alias, Call, ColumnRef, Literal, type Expression } from "../expr/expression.ts";
import { DoubleType, LongType } from "../types/data-types.ts";
import type { LogicalPlan } from "./logical-plan.ts";
import * as build from "./plan-builder.ts";

/** Spark's RandomSampler.roundingEpsilon: fractions a hair outside [0, 1] are accepted. */
export const ROUNDING_EPSILON = 1e-6;

/** The column of a sample's draws (a Sample has no node of its own: the checker finds it by this name). */
export const SAMPLE_DRAW_COLUMN = "__sample_draw";

/** Whether `p` draws a sample's random numbers (a Sample under another name). */
export function isSampleDraw(p: LogicalPlan): boolean {
  return (p.kind === "Project" && p.exprs.some((e) => e.kind === "Alias" && e.name === SAMPLE_DRAW_COLUMN))
    || (p.kind === "MapBatches" && p.name.startsWith("Sample("));
}

/**
 * Spark's Sample(lowerBound, upperBound, withReplacement = false, seed): a row is kept when its
 * draw x of XORShiftRandom(seed) — the sequence `rand(seed)` gives — is in [lowerBound,
 * upperBound), as Spark's BernoulliCellSampler, one draw per row in input order. rivulet runs a
 * query as one partition, so a row's draw is the one Spark's partition 0 would give it: the same
 * rows as Spark when Spark's input is one partition in the same order.
 */
export function sampleRange(input: LogicalPlan, lowerBound: number, upperBound: number, seed: bigint | number): LogicalPlan {
  if (upperBound - lowerBound <= 0) return build.filter(input, Literal.create(false, null));
  const n = input.output.length;
  const keep = input.output.map((c, i): Expression => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  // One draw per row: the draw is a column below the filter (a nondeterministic projection is never inlined).
  const drawn = build.project(input, [...keep, Alias.create(Call.create("rand", [Literal.create(BigInt(seed), LongType)]), SAMPLE_DRAW_COLUMN)]);
  const x = ColumnRef.bound(SAMPLE_DRAW_COLUMN, n, DoubleType, false);
  const inRange = Call.create("and", [
    Call.create("greaterthanorequal", [x, Literal.create(lowerBound, DoubleType)]),
    Call.create("lessthan", [x, Literal.create(upperBound, DoubleType)]),
  ]);
  const kept = build.filter(drawn, inRange);
  return build.project(kept, kept.output.slice(0, n).map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier)));
}

/** Checks a fraction as Spark's Dataset.sample and TABLESAMPLE do. */
export function checkFraction(fraction: number, withReplacement: boolean): void {
  if (withReplacement ? fraction < -ROUNDING_EPSILON : fraction < -ROUNDING_EPSILON || fraction > 1 + ROUNDING_EPSILON) {
    throw new AnalysisError(withReplacement
      ? `requirement failed: Sampling fraction (${fraction}) must be nonnegative with replacement`
      : `requirement failed: Sampling fraction (${fraction}) must be on interval [0, 1] without replacement`);
  }
}

/** A seed when the caller gives none (Spark: Utils.random.nextLong). */
export function randomSeed(): bigint {
  return BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 52)) * 4096n + BigInt(Math.floor(Math.random() * 4096)));
}
