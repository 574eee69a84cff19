import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { BooleanType, DoubleType, TimestampType } from "../../types/data-types.ts";
import { zoneOf } from "../eval-context.ts";
import { Literal } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import { localMicros } from "./zoned-time.ts";
import type { ScalarFunction } from "./scalar-function.ts";

const MICROS_PER_DAY = 86_400_000_000;
const SECONDS_PER_DAY = 86_400;

/**
 * Spark's DateTimeUtils.monthsBetween on two instants' wall times in the session zone:
 * whole months when the days of month match or both are month ends, else the month
 * difference plus the day-and-seconds difference over a 31-day month; rounded to 8
 * digits unless roundOff is false.
 */
export function monthsBetween(local1: number, local2: number, roundOff: boolean): number {
  const day1 = Math.floor(local1 / MICROS_PER_DAY), day2 = Math.floor(local2 / MICROS_PER_DAY);
  const [y1, m1, d1] = civilFromDays(day1), [y2, m2, d2] = civilFromDays(day2);
  const monthDiff = y1 * 12 + m1 - (y2 * 12 + m2);
  const isLast = (y: number, m: number, d: number): boolean => civilFromDays(daysFromCivil(y, m, d) + 1)[2] === 1;
  if (d1 === d2 || (isLast(y1, m1, d1) && isLast(y2, m2, d2))) return monthDiff;
  // Whole seconds of the day, as Spark truncates the micros.
  const seconds1 = Math.floor((local1 - day1 * MICROS_PER_DAY) / 1_000_000), seconds2 = Math.floor((local2 - day2 * MICROS_PER_DAY) / 1_000_000);
  const secondsDiff = (d1 - d2) * SECONDS_PER_DAY + seconds1 - seconds2;
  const diff = monthDiff + secondsDiff / (31 * SECONDS_PER_DAY);
  return roundOff ? Math.round(diff * 1e8) / 1e8 : diff;
}

/** months_between(t1, t2[, roundOff]): Spark prints the default roundOff, `months_between(t1, t2, true)`. */
export const monthsBetweenFunction: ScalarFunction = {
  name: "months_between",
  resolve(args) {
    checkArity("months_between", args, 2, 3);
    const full = args.length === 2 ? [...args, Literal.create(true, BooleanType)] : args;
    return { args: [coerceArg("months_between", full, 0, TimestampType), coerceArg("months_between", full, 1, TimestampType), coerceArg("months_between", full, 2, BooleanType)], dataType: DoubleType };
  },
  evaluate(vecs, n, ctx) {
    const zone = zoneOf(ctx);
    return mapRows(vecs, n, DoubleType, ([a, b, r]) => monthsBetween(localMicros(zone, a as number), localMicros(zone, b as number), r as boolean));
  },
};
