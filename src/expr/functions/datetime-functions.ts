import { timestampIsNtz } from "../../common/config.ts";
import { UTC } from "../../common/time-zone.ts";
import { ExecutionError } from "../../common/errors.ts";
import {
  DateType, DoubleType, IntegerType, LongType, StringType, TimestampNTZType, TimestampType, isIntegral, isNumeric, type DataType,
} from "../../types/data-types.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { valueAt, type NumVec, type Vec } from "../../columnar/vector.ts";
import { LONG_MAX, LONG_MIN, bigIntAt, longVecFromBigInts } from "../../columnar/long-values.ts";
import { castVec } from "../cast.ts";
import { typeOf } from "../coercion.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import { Literal, type Call, type Expression } from "../expression.ts";
import { asNum, constantVec, mapRows, mapStrings, mergeValid, numVec } from "../vec-ops.ts";
import { DEFAULT_TIMESTAMP_PATTERN, dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";
import type { ScalarFunction } from "./scalar-function.ts";
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

/** A constant pattern is checked while resolving, so a bad pattern is an analysis error. */
function checkConstantPattern(e: Expression | undefined, parsing: boolean): void {
  if (e !== undefined && e.kind === "Literal" && typeof e.value === "string") dateTimeFormatter(e.value, parsing);
}

function formatterAt(pattern: string, parsing: boolean): DateTimeFormatter {
  try {
    return dateTimeFormatter(pattern, parsing);
  } catch (e) {
    throw new ExecutionError((e as Error).message, { cause: e });
  }
}

/**
 * Applies a datetime pattern (argument `k`) row by row; when the pattern is constant the
 * formatter is looked up once. `f` gets the row's value (internal) and the formatter.
 */
function withPattern(vecs: readonly Vec[], n: number, call: Call, k: number, parsing: boolean, f: (x: unknown, fmt: DateTimeFormatter) => unknown): Vec {
  const type = call.dataType!;
  const v = vecs[0]!;
  if (n > 0 && isConstant(call.args[k]!)) {
    const pattern = valueAt(vecs[k]!, 0);
    if (pattern === null) return constantVec(null, type, n);
    const fmt = formatterAt(pattern as string, parsing);
    if (v.kind === "str") return mapStrings(v, type, (s) => f(s, fmt));
    const b = new VecBuilder(type, n);
    for (let i = 0; i < n; i++) {
      const x = valueAt(v, i);
      b.append(x === null ? null : f(x, fmt));
    }
    return b.finish();
  }
  return mapRows([v, vecs[k]!], n, type, ([x, p]) => f(x, formatterAt(p as string, parsing)));
}

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

// ---------- parsing and formatting ----------

/** The pattern argument of to_timestamp/to_date/…: optional, a string, checked when constant. */
function patternArg(fn: string, args: readonly Expression[], k: number, parsing: boolean): Expression {
  const e = coerceArg(fn, args, k, StringType);
  checkConstantPattern(e, parsing);
  return e;
}

/**
 * to_date, to_timestamp (of spark.sql.timestampType, as Spark 3.4+), to_timestamp_ltz and
 * to_timestamp_ntz: a pattern parses the text (a TIMESTAMP_NTZ as a wall time, not in the
 * session zone); without one this is Spark's cast.
 */
function parseTo(name: string, fixed: DataType | null): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1, 2);
      const to = fixed ?? (timestampIsNtz() ? TimestampNTZType : TimestampType);
      const toDays = to.kind === "date";
      const t = typeOf(args[0]!);
      const ok = t.kind === "string" || t.kind === "date" || t.kind === "timestamp" || t.kind === "timestamp_ntz" || t.kind === "null" || (!toDays && args.length === 1 && isNumeric(t) && to.kind !== "timestamp_ntz");
      if (!ok) throw typeMismatch(name, args, 0, toDays || args.length === 2 ? "string, date or timestamp" : "string, date, timestamp or numeric");
      return { args: args.length === 1 ? args : [args[0]!, patternArg(name, args, 1, true)], dataType: to };
    },
    evaluate(vecs, n, ctx, call) {
      const to = call.dataType!;
      const x = vecs[0]!;
      // Without a pattern, and for non-string input, this is Spark's cast.
      if (vecs.length === 1 || x.kind !== "str") return castVec(x, to, ctx);
      const zone = to.kind === "timestamp_ntz" ? UTC : zoneOf(ctx);
      return withPattern(vecs, n, call, 1, true, (s, fmt) => {
        const micros = fmt.parse(s as string, zone);
        return micros === null || to.kind !== "date" ? micros : localDay(micros, ctx);
      });
    },
  };
}

const dateFormat: ScalarFunction = {
  name: "date_format",
  resolve(args) {
    checkArity("date_format", args, 2);
    return { args: [coerceArg("date_format", args, 0, TimestampType), patternArg("date_format", args, 1, false)], dataType: StringType };
  },
  evaluate: (vecs, n, ctx, call) => withPattern(vecs, n, call, 1, false, (t, fmt) => fmt.format(t as number, zoneOf(ctx))),
};

/** to_unix_timestamp(time[, fmt]): unix_timestamp with its argument required (so deterministic). */
const toUnixTimestamp: ScalarFunction = {
  name: "to_unix_timestamp",
  resolve(args) {
    checkArity("to_unix_timestamp", args, 1, 2);
    return unixTimestamp.resolve(args);
  },
  evaluate: (vecs, n, ctx, call) => unixTimestamp.evaluate(vecs, n, ctx, call),
};

const unixTimestamp: ScalarFunction = {
  name: "unix_timestamp",
  deterministic: false,
  resolve(args) {
    checkArity("unix_timestamp", args, 0, 2);
    if (args.length === 0) return { args, dataType: LongType };
    const t = typeOf(args[0]!);
    if (t.kind !== "string" && t.kind !== "date" && t.kind !== "timestamp" && t.kind !== "null") throw typeMismatch("unix_timestamp", args, 0, "string, date or timestamp");
    const full = args.length === 2 ? args : [args[0]!, Literal.create(DEFAULT_TIMESTAMP_PATTERN, StringType)];
    return { args: [full[0]!, patternArg("unix_timestamp", full, 1, true)], dataType: LongType };
  },
  evaluate(vecs, n, ctx, call) {
    if (vecs.length === 0) return constantVec(floorDiv(ctx.batchTimestampMicros, MICROS_PER_SECOND), LongType, n);
    const x = vecs[0]!;
    if (x.type.kind === "null") return constantVec(null, LongType, n);
    if (x.kind === "str") {
      return withPattern(vecs, n, call, 1, true, (s, fmt) => {
        const micros = fmt.parse(s as string, zoneOf(ctx));
        return micros === null ? null : floorDiv(micros, MICROS_PER_SECOND);
      });
    }
    const micros = x.type.kind === "date" ? castVec(x, TimestampType, ctx) : x;
    const src = asNum(micros).values;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = floorDiv(src[i]!, MICROS_PER_SECOND);
    return numVec(LongType, out, micros.valid);
  },
};

const fromUnixtime: ScalarFunction = {
  name: "from_unixtime",
  resolve(args) {
    checkArity("from_unixtime", args, 1, 2);
    const full = args.length === 2 ? args : [args[0]!, Literal.create(DEFAULT_TIMESTAMP_PATTERN, StringType)];
    return { args: [coerceArg("from_unixtime", full, 0, LongType), patternArg("from_unixtime", full, 1, false)], dataType: StringType };
  },
  evaluate: (vecs, n, ctx, call) => withPattern(vecs, n, call, 1, false, (sec, fmt) => fmt.format((sec as number) * MICROS_PER_SECOND, zoneOf(ctx))),
};

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
  parseTo("to_timestamp", null),
  parseTo("to_timestamp_ltz", TimestampType),
  parseTo("to_timestamp_ntz", TimestampNTZType),
  parseTo("to_date", DateType),
  dateFormat,
  unixTimestamp,
  toUnixTimestamp,
  fromUnixtime,
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
