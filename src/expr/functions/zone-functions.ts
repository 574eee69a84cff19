import { zoneRules, type ZoneRules } from "../../common/time-zone.ts";
import { DateType, StringType, TimestampNTZType, TimestampType, type DataType } from "../../types/data-types.ts";
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from "../../columnar/intervals.ts";
import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import { constantVec, mapRows } from "../vec-ops.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { localMicros } from "./zoned-time.ts";
import { castVec } from "../cast.ts";

/**
 * Time-zone functions and the datetime constructors: current_timezone, localtimestamp,
 * convert_timezone, from_utc_timestamp, to_utc_timestamp, make_date, make_timestamp(_ltz/_ntz),
 * next_day, last_day. A zone ID that does not resolve gives null, as Spark's non-ANSI mode.
 */

/** The rules of a zone ID in a row, or null when it is no zone (cached by zoneRules). */
function zoneOrNull(id: unknown): ZoneRules | null {
  try {
    return zoneRules(String(id));
  } catch {
    return null;
  }
}

const currentTimezone: ScalarFunction = {
  name: "current_timezone",
  resolve(args) {
    checkArity("current_timezone", args, 0);
    return { args, dataType: StringType };
  },
  evaluate: (_vecs, n, ctx) => constantVec(ctx.timeZoneId, StringType, n),
};

/** The wall time of the batch's timestamp in the session zone, as TIMESTAMP_NTZ. */
const localtimestamp: ScalarFunction = {
  name: "localtimestamp",
  deterministic: false,
  resolve(args) {
    checkArity("localtimestamp", args, 0);
    return { args, dataType: TimestampNTZType };
  },
  evaluate: (_vecs, n, ctx) => constantVec(localMicros(zoneOf(ctx), ctx.batchTimestampMicros), TimestampNTZType, n),
};

/** convert_timezone([sourceTz, ]targetTz, sourceTs): the wall time in targetTz of sourceTs read in sourceTz. */
const convertTimezone: ScalarFunction = {
  name: "convert_timezone",
  resolve(args) {
    checkArity("convert_timezone", args, 2, 3);
    const last = args.length - 1;
    const zones = args.slice(0, last).map((_, k) => coerceArg("convert_timezone", args, k, StringType));
    return { args: [...zones, coerceArg("convert_timezone", args, last, TimestampNTZType)], dataType: TimestampNTZType };
  },
  evaluate(vecs, n, ctx) {
    const withSource = vecs.length === 3 ? [...vecs] : [constantVec(ctx.timeZoneId, StringType, n), ...vecs];
    return mapRows(withSource, n, TimestampNTZType, ([from, to, ts]) => {
      const source = zoneOrNull(from), target = zoneOrNull(to);
      return source === null || target === null ? null : localMicros(target, source.toUtc(ts as number));
    });
  },
};

function utcShift(name: string, shift: (t: number, zone: ZoneRules) => number): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      return { args: [coerceArg(name, args, 0, TimestampType), coerceArg(name, args, 1, StringType)], dataType: TimestampType };
    },
    evaluate: (vecs, n) => mapRows([...vecs], n, TimestampType, ([t, id]) => {
      const zone = zoneOrNull(id);
      return zone === null ? null : shift(t as number, zone);
    }),
  };
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** Days of a valid civil date, else null (LocalDate.of would throw; non-ANSI gives null). */
function civilDays(y: number, m: number, d: number): number | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return daysFromCivil(y, m, d);
}

const makeDate: ScalarFunction = {
  name: "make_date",
  resolve(args) {
    checkArity("make_date", args, 3);
    return { args: args.map((_, k) => coerceArg("make_date", args, k, { kind: "int" } as DataType)), dataType: DateType };
  },
  evaluate: (vecs, n) => mapRows([...vecs], n, DateType, ([y, m, d]) => civilDays(y as number, m as number, d as number)),
};

/** The wall time of make_timestamp's fields, or null; 60 seconds (no fraction) is the next minute, as Spark. */
function wallTime(y: number, mo: number, d: number, h: number, mi: number, sec: number): number | null {
  const days = civilDays(y, mo, d);
  if (days === null || !Number.isInteger(h) || h < 0 || h > 23 || !Number.isInteger(mi) || mi < 0 || mi > 59) return null;
  const micros = Math.round(sec * MICROS_PER_SECOND);
  if (micros < 0 || micros > 60 * MICROS_PER_SECOND || (micros >= 60 * MICROS_PER_SECOND && micros !== 60 * MICROS_PER_SECOND)) return null;
  return days * MICROS_PER_DAY + h * MICROS_PER_HOUR + mi * MICROS_PER_MINUTE + micros;
}

function makeTimestamp(name: string, type: DataType): ScalarFunction {
  const ntz = type.kind === "timestamp_ntz";
  return {
    name,
    resolve(args) {
      checkArity(name, args, 6, ntz ? 6 : 7);
      const cast = args.map((_, k) => coerceArg(name, args, k, k === 5 ? { kind: "double" } as DataType : k === 6 ? StringType : { kind: "int" } as DataType));
      return { args: cast, dataType: type };
    },
    evaluate(vecs, n, ctx: EvalContext) {
      const session = zoneOf(ctx);
      return mapRows([...vecs], n, type, ([y, mo, d, h, mi, s, tz]) => {
        const local = wallTime(y as number, mo as number, d as number, h as number, mi as number, s as number);
        if (local === null || ntz) return local;
        const zone = tz === undefined ? session : zoneOrNull(tz);
        return zone === null ? null : zone.toUtc(local);
      });
    },
  };
}

const DAYS_OF_WEEK: Record<string, number> = {
  MO: 0, MON: 0, MONDAY: 0, TU: 1, TUE: 1, TUESDAY: 1, WE: 2, WED: 2, WEDNESDAY: 2, TH: 3, THU: 3, THURSDAY: 3,
  FR: 4, FRI: 4, FRIDAY: 4, SA: 5, SAT: 5, SATURDAY: 5, SU: 6, SUN: 6, SUNDAY: 6,
};

/** next_day(start, dayOfWeek): the first later date that is that day of the week. */
const nextDay: ScalarFunction = {
  name: "next_day",
  resolve(args) {
    checkArity("next_day", args, 2);
    return { args: [coerceArg("next_day", args, 0, DateType), coerceArg("next_day", args, 1, StringType)], dataType: DateType };
  },
  evaluate: (vecs, n) => mapRows([...vecs], n, DateType, ([d, name]) => {
    const target = DAYS_OF_WEEK[String(name).trim().toUpperCase()];
    if (target === undefined) return null;
    const days = d as number;
    const today = (((days + 3) % 7) + 7) % 7;
    const ahead = ((target - today + 7) % 7) || 7;
    return days + ahead;
  }),
};

const lastDay: ScalarFunction = {
  name: "last_day",
  resolve(args) {
    checkArity("last_day", args, 1);
    return { args: [coerceArg("last_day", args, 0, DateType)], dataType: DateType };
  },
  evaluate: (vecs, n) => mapRows([...vecs], n, DateType, ([d]) => {
    const [y, m] = civilFromDays(d as number);
    return daysFromCivil(y, m, daysInMonth(y, m));
  }),
};

/** TIMESTAMP '2026-01-01 10:00:00' in SQL: the text read in the session zone (folded at planning), printed as Spark prints the literal. */
const timestampLiteral: ScalarFunction = {
  name: "timestamp_literal",
  display: ([text]) => `TIMESTAMP '${text}'`,
  resolve(args) {
    checkArity("timestamp_literal", args, 1);
    return { args, dataType: TimestampType };
  },
  evaluate: ([text], _n, ctx) => castVec(text!, TimestampType, ctx),
};

export const zoneFunctions: ScalarFunction[] = [
  timestampLiteral,
  currentTimezone,
  localtimestamp,
  convertTimezone,
  // from_utc_timestamp: the UTC wall time shown as in `zone`; to_utc_timestamp: the reverse.
  utcShift("from_utc_timestamp", (t, zone) => localMicros(zone, t)),
  utcShift("to_utc_timestamp", (t, zone) => zone.toUtc(t)),
  makeDate,
  makeTimestamp("make_timestamp", TimestampType),
  makeTimestamp("make_timestamp_ltz", TimestampType),
  makeTimestamp("make_timestamp_ntz", TimestampNTZType),
  nextDay,
  lastDay,
];
