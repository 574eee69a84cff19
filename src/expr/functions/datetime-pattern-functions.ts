import { timestampIsNtz } from "../../common/config.ts";
import { UTC } from "../../common/time-zone.ts";
import { ExecutionError } from "../../common/errors.ts";
import { DateType, LongType, StringType, TimestampNTZType, TimestampType, isNumeric, type DataType } from "../../types/data-types.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { castVec } from "../cast.ts";
import { typeOf } from "../coercion.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import { Literal, type Call, type Expression } from "../expression.ts";
import { asNum, constantVec, mapRows, mapStrings, numVec } from "../vec-ops.ts";
import { DEFAULT_TIMESTAMP_PATTERN, dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { checkArity, coerceArg, isConstant, typeMismatch } from "./function-args.ts";
import { parseWithZoneText } from "./zone-text-parsing.ts";

/**
 * The functions that take a datetime pattern (java.time's letters, as Spark 3+): to_timestamp,
 * to_date & co., date_format, unix_timestamp, to_unix_timestamp, from_unixtime.
 */

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const floorDiv = (a: number, b: number): number => Math.floor(a / b);
/** Days since the epoch of a timestamp, in the session time zone. */
const localDay = (micros: number, ctx: EvalContext): number => floorDiv(micros + Math.round(zoneOf(ctx).offsetMinutesAt(micros) * 60_000_000), MICROS_PER_DAY);

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
        const micros = parseWithZoneText(fmt, s as string, zone);
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
        const micros = parseWithZoneText(fmt, s as string, zoneOf(ctx));
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


export const datetimePatternFunctions: ScalarFunction[] = [
  parseTo("to_timestamp", null),
  parseTo("to_timestamp_ltz", TimestampType),
  parseTo("to_timestamp_ntz", TimestampNTZType),
  parseTo("to_date", DateType),
  dateFormat,
  unixTimestamp,
  toUnixTimestamp,
  fromUnixtime,
];
