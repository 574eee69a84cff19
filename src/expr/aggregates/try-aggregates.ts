import { LONG_MAX, LONG_MIN, longOfBigInt } from "../../columnar/long-values.ts";
import { isIntegral } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import type { AggregateFunction } from "./aggregate-function.ts";
import { first } from "./first-last.ts";
import { RowAccumulator } from "./row-accumulator.ts";
import { avg, sum } from "./sum-avg.ts";

/**
 * try_sum, try_avg and any_value. try_sum of integers is null where sum would wrap past a
 * bigint; otherwise (doubles, and decimals, where non-ANSI sum and avg already give null on
 * overflow; avg sums integers as doubles) they are sum and avg under their own names.
 */

export const trySum: AggregateFunction = {
  name: "try_sum",
  resolve: (args, distinct) => sum.resolve(args, distinct),
  createAccumulator(call) {
    if (!isIntegral(typeOf(call.args[0]!))) return sum.createAccumulator(call);
    // The exact sum, and whether it left the long range at any point (Spark checks each addition).
    return new RowAccumulator<[bigint, boolean]>(call.dataType!, {
      add: (acc, [v]) => {
        const s = (acc?.[0] ?? 0n) + BigInt(v as number | bigint);
        return [s, (acc?.[1] ?? false) || s > LONG_MAX || s < LONG_MIN];
      },
      merge: (a, b) => { const s = a[0] + b[0]; return [s, a[1] || b[1] || s > LONG_MAX || s < LONG_MIN]; },
      result: (acc) => (acc === undefined || acc[1] ? null : longOfBigInt(acc[0])),
    });
  },
};

export const tryAvg: AggregateFunction = { name: "try_avg", resolve: (args, distinct) => avg.resolve(args, distinct), createAccumulator: (call) => avg.createAccumulator(call) };

/** any_value(x[, ignoreNulls]): some value of the group; rivulet's is the first, as Spark's (First underneath). */
export const anyValue: AggregateFunction = { ...first, name: "any_value", aliases: [] };
