import { AnalysisError } from "../../common/errors.ts";
import { UTC } from "../../common/time-zone.ts";
import {
  CalendarIntervalType, DateType, DecimalType, DayTimeIntervalType, DoubleType, IntegerType, LongType, TimestampType,
  YearMonthIntervalType, isAnyTimestamp, type DataType,
} from "../../types/data-types.ts";
import {
  calendarInterval, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, type CalendarInterval,
} from "../../columnar/intervals.ts";
import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { typeOf } from "../coercion.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import type { Call, Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { addInterval, floorDiv, localMicros, monthsBetweenLocal } from "./zoned-time.ts";

/**
 * Interval constructors and the unit-argument datetime functions: make_interval,
 * make_dt_interval, make_ym_interval, timestampadd/dateadd(unit, n, ts),
 * timestampdiff/datediff(unit, a, b), add_months, extract(field FROM x) and date_part.
 */

/** The numeric arguments, each optional with 0 as its default (an absent one counts as 0). */
function numericArgs(fn: string, args: readonly Expression[], max: number, lastDouble: boolean): Expression[] {
  checkArity(fn, args, 0, max);
  return args.map((_, k) => coerceArg(fn, args, k, lastDouble && k === max - 1 ? DoubleType : k === max - 1 ? LongType : IntegerType));
}

function constructor(name: string, max: number, lastDouble: boolean, type: DataType, build: (v: number[]) => unknown): ScalarFunction {
  return {
    name,
    resolve: (args) => ({ args: numericArgs(name, args, max, lastDouble), dataType: type }),
    evaluate: (vecs, n, _ctx, call) => mapRows([...vecs], n, call.dataType!, (vals) => {
      const v = Array.from({ length: max }, (_, k) => (vals[k] as number | undefined) ?? 0);
      return build(v);
    }),
  };
}

/** Seconds with a fraction → µs, truncated to whole microseconds (Spark's DECIMAL(18, 6) seconds). */
const secondsMicros = (s: number): number => Math.round(s * MICROS_PER_SECOND);

const makeInterval = constructor("make_interval", 7, true, CalendarIntervalType, ([y, mo, w, d, h, mi, s]) =>
  calendarInterval(y! * 12 + mo!, w! * 7 + d!, h! * MICROS_PER_HOUR + mi! * MICROS_PER_MINUTE + secondsMicros(s!)));

const makeDtInterval = constructor("make_dt_interval", 4, true, DayTimeIntervalType(0, 3), ([d, h, mi, s]) =>
  d! * MICROS_PER_DAY + h! * MICROS_PER_HOUR + mi! * MICROS_PER_MINUTE + secondsMicros(s!));

const makeYmInterval = constructor("make_ym_interval", 2, false, YearMonthIntervalType(0, 1), ([y, m]) => y! * 12 + m!);

// ---------- timestampadd / timestampdiff ----------

const UNIT_MICROS: Record<string, number> = { MICROSECOND: 1, MILLISECOND: 1000, SECOND: MICROS_PER_SECOND, MINUTE: MICROS_PER_MINUTE, HOUR: MICROS_PER_HOUR };
const UNIT_MONTHS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
const UNIT_DAYS: Record<string, number> = { DAY: 1, DAYOFYEAR: 1, WEEK: 7 };

function unitOf(call: Call): string {
  const u = call.args[0]!;
  return u.kind === "Literal" ? String(u.value).toUpperCase() : "";
}

function timestampArg(fn: string, args: readonly Expression[], k: number): Expression {
  const t = typeOf(args[k]!);
  return coerceArg(fn, args, k, t.kind === "timestamp_ntz" ? t : TimestampType);
}

/** timestampadd(unit, quantity, ts): Spark's DateTimeUtils.timestampAdd, calendar units in the session zone. */
const timestampadd: ScalarFunction = {
  name: "timestampadd",
  resolve(args) {
    checkArity("timestampadd", args, 3);
    const ts = timestampArg("timestampadd", args, 2);
    return { args: [args[0]!, coerceArg("timestampadd", args, 1, LongType), ts], dataType: typeOf(ts) };
  },
  evaluate(vecs, n, ctx, call) {
    const unit = unitOf(call);
    const zone = call.dataType!.kind === "timestamp_ntz" ? UTC : zoneOf(ctx);
    return mapRows([vecs[1]!, vecs[2]!], n, call.dataType!, ([q, t]) => {
      const amount = Number(q), ts = t as number;
      if (unit in UNIT_MICROS) return ts + amount * UNIT_MICROS[unit]!;
      if (unit in UNIT_DAYS) return addInterval(zone, ts, 0, amount * UNIT_DAYS[unit]!, 0);
      return addInterval(zone, ts, amount * UNIT_MONTHS[unit]!, 0, 0);
    });
  },
};

/** timestampdiff(unit, start, end): whole units between the wall times (LocalDateTime.until), as Spark. */
const timestampdiff: ScalarFunction = {
  name: "timestampdiff",
  resolve(args) {
    checkArity("timestampdiff", args, 3);
    const ntz = typeOf(args[1]!).kind === "timestamp_ntz" && typeOf(args[2]!).kind === "timestamp_ntz";
    const to = ntz ? typeOf(args[1]!) : TimestampType;
    return { args: [args[0]!, coerceArg("timestampdiff", args, 1, to), coerceArg("timestampdiff", args, 2, to)], dataType: LongType };
  },
  evaluate(vecs, n, ctx, call) {
    const unit = unitOf(call);
    const zone = typeOf(call.args[1]!).kind === "timestamp_ntz" ? UTC : zoneOf(ctx);
    return mapRows([vecs[1]!, vecs[2]!], n, LongType, ([a, b]) => {
      const start = localMicros(zone, a as number), end = localMicros(zone, b as number);
      if (unit in UNIT_MICROS) return Math.trunc((end - start) / UNIT_MICROS[unit]!);
      if (unit in UNIT_DAYS) return Math.trunc((end - start) / (MICROS_PER_DAY * UNIT_DAYS[unit]!));
      return Math.trunc(monthsBetweenLocal(start, end) / UNIT_MONTHS[unit]!);
    });
  },
};

/** add_months(start_date, num_months): the day clamped to the new month's end. */
const addMonths: ScalarFunction = {
  name: "add_months",
  resolve(args) {
    checkArity("add_months", args, 2);
    const t = typeOf(args[1]!);
    if (t.kind !== "int" && t.kind !== "null") throw typeMismatch("add_months", args, 1, "int");
    return { args: [coerceArg("add_months", args, 0, DateType), coerceArg("add_months", args, 1, IntegerType)], dataType: DateType };
  },
  evaluate: (vecs, n) => mapRows([...vecs], n, DateType, ([d, m]) => {
    const [y, mo, day] = civilFromDays(d as number);
    const total = y * 12 + mo - 1 + (m as number);
    const ny = Math.floor(total / 12), nm = total - ny * 12 + 1;
    const last = daysFromCivil(nm === 12 ? ny + 1 : ny, nm === 12 ? 1 : nm + 1, 1) - daysFromCivil(ny, nm, 1);
    return daysFromCivil(ny, nm, Math.min(day, last));
  }),
};

// ---------- extract / date_part ----------

/** extract(SECOND …)'s type in Spark: seconds with their microseconds, DECIMAL(8,6). */
const SecondsType = DecimalType(8, 6);

const FIELD_NAMES: Record<string, string> = {
  YEAR: "YEAR", Y: "YEAR", YEARS: "YEAR", YR: "YEAR", YRS: "YEAR",
  YEAROFWEEK: "YEAROFWEEK", QUARTER: "QUARTER", QTR: "QUARTER",
  MONTH: "MONTH", MON: "MONTH", MONS: "MONTH", MONTHS: "MONTH",
  WEEK: "WEEK", W: "WEEK", WEEKS: "WEEK",
  DAY: "DAY", D: "DAY", DAYS: "DAY", DAYOFWEEK: "DAYOFWEEK", DOW: "DAYOFWEEK", DAYOFWEEK_ISO: "DAYOFWEEK_ISO", DOW_ISO: "DAYOFWEEK_ISO",
  DOY: "DOY", HOUR: "HOUR", H: "HOUR", HOURS: "HOUR", HR: "HOUR", HRS: "HOUR",
  MINUTE: "MINUTE", M: "MINUTE", MIN: "MINUTE", MINS: "MINUTE", MINUTES: "MINUTE",
  SECOND: "SECOND", S: "SECOND", SEC: "SECOND", SECONDS: "SECOND", SECS: "SECOND",
};

const isoWeekday = (days: number): number => (((days + 3) % 7) + 7) % 7;

function isoWeekYear(days: number): [number, number] {
  const thursday = days - isoWeekday(days) + 3;
  const [y] = civilFromDays(thursday);
  return [y, Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1];
}

/** One field of a wall time (µs since the local epoch). */
function wallField(field: string, local: number): number {
  const days = floorDiv(local, MICROS_PER_DAY);
  const time = local - days * MICROS_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  switch (field) {
    case "YEAR": return y;
    case "YEAROFWEEK": return isoWeekYear(days)[0];
    case "QUARTER": return Math.floor((m - 1) / 3) + 1;
    case "MONTH": return m;
    case "WEEK": return isoWeekYear(days)[1];
    case "DAY": return d;
    case "DAYOFWEEK": return ((isoWeekday(days) + 1) % 7) + 1;
    case "DAYOFWEEK_ISO": return isoWeekday(days) + 1;
    case "DOY": return days - daysFromCivil(y, 1, 1) + 1;
    case "HOUR": return Math.floor(time / MICROS_PER_HOUR);
    case "MINUTE": return Math.floor((time % MICROS_PER_HOUR) / MICROS_PER_MINUTE);
    // SECOND: Spark's SecondWithFraction, DECIMAL(8,6): the unscaled value is the µs within the minute.
    default: return time % MICROS_PER_MINUTE;
  }
}

function intervalField(field: string, type: DataType, v: unknown): number | null {
  if (type.kind === "interval_ym") {
    const months = v as number;
    if (field === "YEAR") return Math.trunc(months / 12);
    if (field === "MONTH") return months % 12;
    return null;
  }
  const [days, micros] = type.kind === "interval"
    ? [(v as CalendarInterval).days, (v as CalendarInterval).microseconds]
    : [Math.trunc((v as number) / MICROS_PER_DAY), (v as number) % MICROS_PER_DAY];
  switch (field) {
    case "YEAR": return type.kind === "interval" ? Math.trunc((v as CalendarInterval).months / 12) : null;
    case "MONTH": return type.kind === "interval" ? (v as CalendarInterval).months % 12 : null;
    case "DAY": return days;
    case "HOUR": return Math.trunc(micros / MICROS_PER_HOUR);
    case "MINUTE": return Math.trunc((micros % MICROS_PER_HOUR) / MICROS_PER_MINUTE);
    case "SECOND": return micros % MICROS_PER_MINUTE;
    default: return null;
  }
}

function fieldOf(fn: string, e: Expression, source: DataType): string {
  const raw = e.kind === "Literal" && typeof e.value === "string" ? e.value : undefined;
  const field = raw === undefined ? undefined : FIELD_NAMES[raw.toUpperCase()];
  const isInterval = source.kind === "interval_dt" || source.kind === "interval_ym" || source.kind === "interval";
  const ok = field !== undefined && (!isInterval || ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"].includes(field));
  if (!ok) {
    throw new AnalysisError(`[INVALID_EXTRACT_FIELD] Cannot extract ${raw ?? "that field"} from ${fn === "extract" ? "the source" : "the source"} of type ${source.kind === "interval_dt" || source.kind === "interval_ym" ? "an interval" : source.kind}.`);
  }
  return field;
}

function extractFunction(name: string, aliases: string[], display: ((args: readonly string[]) => string) | undefined): ScalarFunction {
  return {
    name,
    aliases,
    ...(display ? { display } : {}),
    resolve(args) {
      checkArity(name, args, 2);
      let source = args[1]!;
      const t = typeOf(source);
      if (t.kind === "string") source = coerceArg(name, args, 1, TimestampType);
      else if (!(t.kind === "date" || isAnyTimestamp(t) || t.kind === "interval_dt" || t.kind === "interval_ym" || t.kind === "interval" || t.kind === "null")) {
        throw typeMismatch(name, args, 1, "date, timestamp or interval");
      }
      const field = fieldOf(name, args[0]!, typeOf(source));
      return { args: [args[0]!, source], dataType: field === "SECOND" ? SecondsType : IntegerType };
    },
    evaluate(vecs, n, ctx: EvalContext, call) {
      const type = typeOf(call.args[1]!);
      const field = fieldOf(name, call.args[0]!, type);
      const zone = type.kind === "timestamp" ? zoneOf(ctx) : UTC;
      const value = (v: unknown): number | null => {
        if (type.kind === "date") return wallField(field, (v as number) * MICROS_PER_DAY);
        if (type.kind === "timestamp" || type.kind === "timestamp_ntz") return wallField(field, localMicros(zone, v as number));
        return intervalField(field, type, v);
      };
      if (field !== "SECOND") return mapRows([vecs[1]!], n, call.dataType!, ([v]) => value(v));
      return mapRows([vecs[1]!], n, call.dataType!, ([v]) => { const micros = value(v); return micros === null ? null : BigInt(micros); });
    },
  };
}

export const intervalFunctions: ScalarFunction[] = [
  makeInterval,
  makeDtInterval,
  makeYmInterval,
  timestampadd,
  timestampdiff,
  addMonths,
  extractFunction("extract", [], ([f, s]) => `extract(${f} FROM ${s})`),
  extractFunction("date_part", ["datepart"], undefined),
];
