import { ExecutionError } from "../../common/errors.ts";
import {
  DateType, DoubleType, IntegerType, LongType, StringType, TimestampType, isIntegral, isNumeric,
} from "../../types/data-types.ts";
import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { valueAt, type NumVec, type Vec } from "../../columnar/vector.ts";
import { LONG_MAX, LONG_MIN, bigIntAt, longVecFromBigInts } from "../../columnar/long-values.ts";
import { typeOf } from "../coercion.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import type { Expression } from "../expression.ts";
import { asNum, constantVec, mapRows, mergeValid, numVec } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { datetimePatternFunctions } from "./datetime-pattern-functions.ts";
import { checkArity, coerceArg, isConstant, typeMismatch } from "./function-args.ts";

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_MINUTE = 60_000_000;
const MICROS_PER_HOUR = 3_600_000_000;
const MICROS_PER_DAY = 86_400_000_000;

/** The session time zone's offset at the instant `micros`, in µs. */
const offsetMicros = (ctx: EvalContext, micros: number): number => Math.round(zoneOf(ctx).offsetMinutesAt(micros) * MICROS_PER_MINUTE);
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
/** Days since the epoch of a timestamp, in the session time zone. */
const localDay = (micros: number, ctx: EvalContext): number => floorDiv(micros + offsetMicros(ctx, micros), MICROS_PER_DAY);
/** 0 = Monday … 6 = Sunday. */
const isoWeekday = (days: number): number => (((days + 3) % 7) + 7) % 7;

/** A numeric loop over a date or timestamp vector into an int vector (date parts). */
function intParts(v: Vec, f: (x: number) => number): Vec {
  const x = asNum(v);
  const n = x.length;
  const out = new Int32Array(n);
  const src = x.values;
  for (let i = 0; i < n; i++) out[i] = f(src[i]!);
  return numVec(IntegerType, out, x.valid);
}

function timePart(name: string, f: (micros: number, ctx: EvalContext) => number): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, TimestampType)], dataType: IntegerType };
    },
    evaluate: ([v], _n, ctx) => intParts(v!, (t) => f(t, ctx)),
  };
}

function datePart(name: string, f: (days: number) => number, aliases?: string[]): ScalarFunction {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, DateType)], dataType: IntegerType };
    },
    evaluate: ([v]) => intParts(v!, f),
  };
}

/** ISO-8601 week of the year: weeks start on Monday, week 1 holds the year's first Thursday. */
function isoWeekOfYear(days: number): number {
  const thursday = days - isoWeekday(days) + 3;
  const [y] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
}

// ---------- truncation ----------

type TruncUnit = "YEAR" | "QUARTER" | "MONTH" | "WEEK" | "DAY" | "HOUR" | "MINUTE" | "SECOND" | "MILLISECOND" | "MICROSECOND";

const TRUNC_UNITS: Record<string, TruncUnit> = {
  YEAR: "YEAR", YYYY: "YEAR", YY: "YEAR", QUARTER: "QUARTER", MONTH: "MONTH", MM: "MONTH", MON: "MONTH",
  WEEK: "WEEK", DAY: "DAY", DD: "DAY", HOUR: "HOUR", MINUTE: "MINUTE", SECOND: "SECOND",
  MILLISECOND: "MILLISECOND", MICROSECOND: "MICROSECOND",
};
const DATE_UNITS = new Set<TruncUnit>(["YEAR", "QUARTER", "MONTH", "WEEK"]);

/** First day of the year, quarter, month or ISO week holding `days`. */
function truncDays(days: number, unit: TruncUnit): number {
  if (unit === "WEEK") return days - isoWeekday(days);
  const [y, m] = civilFromDays(days);
  if (unit === "YEAR") return daysFromCivil(y, 1, 1);
  if (unit === "QUARTER") return daysFromCivil(y, m - ((m - 1) % 3), 1);
  return daysFromCivil(y, m, 1);
}

/**
 * Truncates the wall time in the session time zone, then finds the instant of the truncated
 * wall time under the zone's rules (a day may start at 01:00 where the clocks jump at midnight).
 * Offsets of today's zones are whole minutes, so seconds and below are zone-free.
 */
function truncMicros(t: number, unit: TruncUnit, ctx: EvalContext): number {
  const floorTo = (x: number, step: number): number => x - (((x % step) + step) % step);
  switch (unit) {
    case "MICROSECOND": return t;
    case "MILLISECOND": return floorTo(t, 1000);
    case "SECOND": return floorTo(t, MICROS_PER_SECOND);
    case "MINUTE": return floorTo(t, MICROS_PER_MINUTE);
    default: {
      const local = t + offsetMicros(ctx, t);
      if (unit === "HOUR") return zoneOf(ctx).toUtc(floorTo(local, MICROS_PER_HOUR));
      if (unit === "DAY") return zoneOf(ctx).toUtc(floorTo(local, MICROS_PER_DAY));
      return zoneOf(ctx).toUtc(truncDays(floorDiv(local, MICROS_PER_DAY), unit) * MICROS_PER_DAY);
    }
  }
}

const dateTrunc: ScalarFunction = {
  name: "date_trunc",
  resolve(args) {
    checkArity("date_trunc", args, 2);
    return { args: [coerceArg("date_trunc", args, 0, StringType), coerceArg("date_trunc", args, 1, TimestampType)], dataType: TimestampType };
  },
  evaluate(vecs, n, ctx, call) {
    if (n > 0 && isConstant(call.args[0]!)) {
      const unit = TRUNC_UNITS[String(valueAt(vecs[0]!, 0)).toUpperCase()];
      if (unit === undefined) return constantVec(null, TimestampType, n);
      const t = asNum(vecs[1]!);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = truncMicros(t.values[i]!, unit, ctx);
      return numVec(TimestampType, out, t.valid);
    }
    return mapRows(vecs, n, TimestampType, ([u, t]) => {
      const unit = TRUNC_UNITS[(u as string).toUpperCase()];
      return unit === undefined ? null : truncMicros(t as number, unit, ctx);
    });
  },
};

const trunc: ScalarFunction = {
  name: "trunc",
  resolve(args) {
    checkArity("trunc", args, 2);
    return { args: [coerceArg("trunc", args, 0, DateType), coerceArg("trunc", args, 1, StringType)], dataType: DateType };
  },
  evaluate(vecs, n) {
    return mapRows(vecs, n, DateType, ([d, u]) => {
      const unit = TRUNC_UNITS[(u as string).toUpperCase()];
      return unit === undefined || !DATE_UNITS.has(unit) ? null : truncDays(d as number, unit);
    });
  },
};

// ---------- current time, arithmetic, conversions ----------

const currentTimestamp: ScalarFunction = {
  name: "current_timestamp",
  aliases: ["now"],
  deterministic: false,
  resolve(args) {
    checkArity("current_timestamp", args, 0);
    return { args, dataType: TimestampType };
  },
  evaluate: (_vecs, n, ctx) => constantVec(ctx.batchTimestampMicros, TimestampType, n),
};

const currentDate: ScalarFunction = {
  name: "current_date",
  aliases: ["curdate"],
  deterministic: false,
  resolve(args) {
    checkArity("current_date", args, 0);
    return { args, dataType: DateType };
  },
  evaluate: (_vecs, n, ctx) => constantVec(localDay(ctx.batchTimestampMicros, ctx), DateType, n),
};

/** An integral count argument (days, …): int, bigint or a string that casts to one. */
function integralArg(fn: string, args: readonly Expression[], k: number): Expression {
  const t = typeOf(args[k]!);
  // Spark takes INT, SMALLINT or TINYINT here (and a string it casts), never a BIGINT or a fraction.
  if ((!isIntegral(t) || t.kind === "long") && t.kind !== "string" && t.kind !== "null") throw typeMismatch(fn, args, k, "int or smallint or tinyint");
  return coerceArg(fn, args, k, IntegerType);
}

function dateArithmetic(name: string, sign: 1 | -1, aliases?: string[]): ScalarFunction {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    resolve(args) {
      checkArity(name, args, 2);
      return { args: [coerceArg(name, args, 0, DateType), integralArg(name, args, 1)], dataType: DateType };
    },
    evaluate([d, k], n) {
      const a = asNum(d!), b = asNum(k!);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = a.values[i]! + sign * b.values[i]!;
      return numVec(DateType, out, mergeValid(n, a, b));
    },
  };
}

const datediff: ScalarFunction = {
  name: "datediff",
  aliases: ["date_diff"],
  resolve(args) {
    checkArity("datediff", args, 2);
    return { args: [coerceArg("datediff", args, 0, DateType), coerceArg("datediff", args, 1, DateType)], dataType: IntegerType };
  },
  evaluate([e, s], n) {
    const a = asNum(e!), b = asNum(s!);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = a.values[i]! - b.values[i]!;
    return numVec(IntegerType, out, mergeValid(n, a, b));
  },
};

/** timestamp_seconds/millis/micros: a number of units since the epoch → timestamp. */
/**
 * An integral count of units as µs, exact (Spark's Math.multiplyExact): a count beyond a
 * long's range of µs is an ARITHMETIC_OVERFLOW error whatever ANSI says.
 */
function integralToMicros(name: string, x: NumVec, microsPerUnit: number): NumVec {
  const n = x.length;
  const out = new Float64Array(n);
  let safe = x.exact === undefined;
  for (let i = 0; i < n && safe; i++) {
    out[i] = x.values[i]! * microsPerUnit;
    if (!(Math.abs(out[i]!) <= Number.MAX_SAFE_INTEGER)) safe = false;
  }
  if (safe) return { kind: "num", type: TimestampType, length: n, values: out, valid: x.valid };
  const unit = BigInt(microsPerUnit);
  const exact = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (x.valid !== null && x.valid[i] === 0) continue;
    const m = bigIntAt(x, i) * unit;
    if (m > LONG_MAX || m < LONG_MIN) throw new ExecutionError(`[ARITHMETIC_OVERFLOW] long overflow. ${name}(${bigIntAt(x, i)}) is beyond the range of TIMESTAMP.`);
    exact[i] = m;
  }
  return longVecFromBigInts(TimestampType, exact, x.valid);
}

function fromEpoch(name: string, microsPerUnit: number, allowFractions: boolean): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      const t = typeOf(args[0]!);
      if (!(allowFractions ? isNumeric(t) : isIntegral(t)) && t.kind !== "null") throw typeMismatch(name, args, 0, allowFractions ? "numeric" : "integral");
      // Fractions of a unit (a double, float or decimal) are kept: timestamp_seconds(1.23) is 1.23 s.
      const fractional = t.kind === "double" || t.kind === "float" || t.kind === "decimal";
      return { args: [coerceArg(name, args, 0, fractional ? DoubleType : LongType)], dataType: TimestampType };
    },
    evaluate([v], n) {
      const x = asNum(v!);
      if (x.type.kind === "long") return integralToMicros(name, x, microsPerUnit);
      const out = new Float64Array(n);
      let valid = x.valid;
      let copied = false;
      for (let i = 0; i < n; i++) {
        const m = Math.trunc(x.values[i]! * microsPerUnit);
        // An integral count beyond a long's range of µs is an error in Spark (Math.multiplyExact), whatever ANSI says.
        if (!allowFractions || x.type.kind !== "double") {
          if ((x.valid === null || x.valid[i] === 1) && Math.abs(m) > 9.223372036854776e18) {
            throw new ExecutionError(`[ARITHMETIC_OVERFLOW] long overflow. ${name}(${x.values[i]}) is beyond the range of TIMESTAMP.`);
          }
        }
        if (Number.isFinite(m)) { out[i] = m; continue; }
        // NaN and infinite seconds give null.
        if (!copied) { valid = x.valid === null ? new Uint8Array(n).fill(1) : x.valid.slice(); copied = true; }
        valid![i] = 0;
      }
      return numVec(TimestampType, out, valid);
    },
  };
}

/** unix_seconds/millis/micros: timestamp → whole units since the epoch (floor, as Math.floorDiv). */
function toEpoch(name: string, microsPerUnit: number): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, TimestampType)], dataType: LongType };
    },
    evaluate([v], n) {
      const x = asNum(v!);
      if (x.exact !== undefined) {
        // Beyond ±2^53 µs: divide the exact values, flooring as Math.floorDiv.
        const unit = BigInt(microsPerUnit);
        const exact = new BigInt64Array(n);
        for (let i = 0; i < n; i++) { const m = x.exact[i]!; exact[i] = m / unit - (m % unit < 0n ? 1n : 0n); }
        return longVecFromBigInts(LongType, exact, x.valid);
      }
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = floorDiv(x.values[i]!, microsPerUnit);
      return numVec(LongType, out, x.valid);
    },
  };
}

const unixDate: ScalarFunction = {
  name: "unix_date",
  resolve(args) {
    checkArity("unix_date", args, 1);
    return { args: [coerceArg("unix_date", args, 0, DateType)], dataType: IntegerType };
  },
  evaluate: ([v]) => intParts(v!, (d) => d),
};

const dateFromUnixDate: ScalarFunction = {
  name: "date_from_unix_date",
  resolve(args) {
    checkArity("date_from_unix_date", args, 1);
    return { args: [integralArg("date_from_unix_date", args, 0)], dataType: DateType };
  },
  evaluate([v]) {
    const x = asNum(v!);
    return numVec(DateType, Int32Array.from(x.values), x.valid);
  },
};

export const datetimeFunctions: ScalarFunction[] = [
  ...datetimePatternFunctions,
  dateTrunc,
  trunc,
  timePart("hour", (t, ctx) => { const local = t + offsetMicros(ctx, t); return floorDiv(local, MICROS_PER_HOUR) - floorDiv(local, MICROS_PER_DAY) * 24; }),
  timePart("minute", (t, ctx) => ((floorDiv(t + offsetMicros(ctx, t), MICROS_PER_MINUTE) % 60) + 60) % 60),
  timePart("second", (t) => ((floorDiv(t, MICROS_PER_SECOND) % 60) + 60) % 60),
  datePart("year", (d) => civilFromDays(d)[0]),
  datePart("quarter", (d) => Math.floor((civilFromDays(d)[1] - 1) / 3) + 1),
  datePart("month", (d) => civilFromDays(d)[1]),
  datePart("dayofmonth", (d) => civilFromDays(d)[2], ["day"]),
  datePart("dayofweek", (d) => ((isoWeekday(d) + 1) % 7) + 1),
  datePart("weekday", isoWeekday),
  datePart("dayofyear", (d) => d - daysFromCivil(civilFromDays(d)[0], 1, 1) + 1),
  datePart("weekofyear", isoWeekOfYear),
  currentTimestamp,
  currentDate,
  dateArithmetic("date_add", 1, ["dateadd"]),
  dateArithmetic("date_sub", -1),
  datediff,
  fromEpoch("timestamp_seconds", MICROS_PER_SECOND, true),
  fromEpoch("timestamp_millis", 1000, false),
  fromEpoch("timestamp_micros", 1, false),
  toEpoch("unix_seconds", MICROS_PER_SECOND),
  toEpoch("unix_millis", 1000),
  toEpoch("unix_micros", 1),
  unixDate,
  dateFromUnixDate,
];
