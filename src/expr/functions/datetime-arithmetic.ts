import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";
import {
  DateType, DayTimeIntervalType, IntegerType, TimestampType, YearMonthIntervalType, isAnsiInterval, isAnyTimestamp,
  isIntegral, typeName, type DataType, type DayTimeField,
} from "../../types/data-types.ts";
import { calendarInterval, MICROS_PER_DAY, type CalendarInterval } from "../../columnar/intervals.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import { LONG_MAX, LONG_MIN, bigIntAt, hasUnsafe, longVecFromBigInts } from "../../columnar/long-values.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { zoneOf, type EvalContext } from "../eval-context.ts";
import type { Call, Expression } from "../expression.ts";
import { asNum, mapRows, mergeValid, numVec } from "../vec-ops.ts";
import type { ResolvedSignature } from "./scalar-function.ts";
import { addDayTime, addInterval, addMonthsToDays, localDay, localMicros } from "./zoned-time.ts";

/**
 * `+` and `-` with dates, timestamps and intervals, as Spark's BinaryArithmeticWithDatetimeResolver
 * rewrites them (non-ANSI): `ts + INTERVAL 1 HOUR`, `ts - ts` (a day-time interval), `date + 7`,
 * `date - date` (INTERVAL DAY), `date + INTERVAL '1' MONTH`, interval ± interval. The call keeps its
 * name and operands (it prints `(ts + INTERVAL '01' HOUR)`); the operation follows from the types.
 */

type Op = "add" | "subtract";

type Kind =
  | "date_days" | "date_dt_days" | "date_ym" | "date_cal" | "ts_dt" | "ts_ym" | "ts_cal"
  | "dt_dt" | "ym_ym" | "cal_cal" | "ts_diff" | "date_diff";

interface Plan {
  readonly kind: Kind;
  readonly type: DataType;
  /** The operand types after Spark's implicit casts (left, right). */
  readonly left: DataType;
  readonly right: DataType;
  /** Whether the temporal operand is on the right (`7 + date`, `INTERVAL 1 DAY + ts`). */
  readonly swapped: boolean;
}

const isDtDay = (t: DataType): boolean => t.kind === "interval_dt" && t.startField === 0 && t.endField === 0;

function widerDayTime(a: DataType, b: DataType): DataType {
  const x = a as { startField: DayTimeField; endField: DayTimeField }, y = b as typeof x;
  return DayTimeIntervalType(Math.min(x.startField, y.startField) as DayTimeField, Math.max(x.endField, y.endField) as DayTimeField);
}

/** The ordered (datetime, other) pair of an addition, where the datetime may be written second. */
function planAdd(l: DataType, r: DataType, swapped: boolean): Plan | undefined {
  const p = (kind: Kind, type: DataType, left = l, right = r): Plan =>
    swapped ? { kind, type, left: right, right: left, swapped } : { kind, type, left, right, swapped };
  if (l.kind === "date") {
    if (isDtDay(r)) return p("date_dt_days", DateType);
    if (r.kind === "interval_dt") return p("ts_dt", TimestampType, TimestampType);
    if (r.kind === "interval_ym") return p("date_ym", DateType);
    if (r.kind === "interval") return p("date_cal", DateType);
    if (isIntegral(r) || r.kind === "null") return p("date_days", DateType, DateType, IntegerType);
  }
  if (isAnyTimestamp(l) || (l.kind === "string" && (isAnsiInterval(r) || r.kind === "interval"))) {
    const ts = l.kind === "string" ? TimestampType : l;
    if (r.kind === "interval_ym") return p("ts_ym", ts, ts);
    if (r.kind === "interval_dt") return p("ts_dt", ts, ts);
    if (r.kind === "interval") return p("ts_cal", ts, ts);
  }
  return undefined;
}

function plan(op: Op, l: DataType, r: DataType): Plan | undefined {
  // Intervals of one family need no cast to add up (µs and months whatever their fields): only a NULL takes the other's type.
  const same = (kind: Kind, type: DataType): Plan => ({ kind, type, left: l.kind === "null" ? r : l, right: r.kind === "null" ? l : r, swapped: false });
  if (l.kind === "interval_dt" && (r.kind === "interval_dt" || r.kind === "null")) return same("dt_dt", r.kind === "null" ? l : widerDayTime(l, r));
  if (r.kind === "interval_dt" && l.kind === "null") return same("dt_dt", r);
  if (l.kind === "interval_ym" && r.kind === "interval_ym") return same("ym_ym", YearMonthIntervalType(Math.min(l.startField, r.startField) as 0 | 1, Math.max(l.endField, r.endField) as 0 | 1));
  if ((l.kind === "interval_ym" && r.kind === "null") || (l.kind === "null" && r.kind === "interval_ym")) return same("ym_ym", l.kind === "null" ? r : l);
  if (l.kind === "interval" && r.kind === "interval") return same("cal_cal", l);
  const forward = planAdd(l, r, false);
  if (forward !== undefined) return forward;
  if (op === "add") return planAdd(r, l, true);
  // Subtraction: timestamps and dates minus each other.
  if (isAnyTimestamp(l) || isAnyTimestamp(r)) {
    const ok = (t: DataType): boolean => isAnyTimestamp(t) || t.kind === "date" || t.kind === "string" || t.kind === "null";
    if (!ok(l) || !ok(r)) return undefined;
    const ts = l.kind === "timestamp_ntz" && (r.kind === "timestamp_ntz" || r.kind === "date") || (r.kind === "timestamp_ntz" && l.kind === "date") ? l.kind === "timestamp_ntz" ? l : r : TimestampType;
    return { kind: "ts_diff", type: DayTimeIntervalType(0, 3), left: ts, right: ts, swapped: false };
  }
  if (r.kind === "date" && (l.kind === "date" || l.kind === "string" || l.kind === "null")) {
    return { kind: "date_diff", type: DayTimeIntervalType(0, 0), left: DateType, right: DateType, swapped: false };
  }
  return undefined;
}

/** Whether `+`/`-` on these operand types is datetime arithmetic (else numeric). */
export function isTemporalArithmetic(l: DataType, r: DataType): boolean {
  const temporal = (t: DataType): boolean => t.kind === "date" || isAnyTimestamp(t) || isAnsiInterval(t) || t.kind === "interval";
  return temporal(l) || temporal(r);
}

export function resolveTemporalArithmetic(op: Op, symbol: string, args: readonly Expression[]): ResolvedSignature {
  const l = typeOf(args[0]!), r = typeOf(args[1]!);
  const p = plan(op, l, r);
  if (p === undefined) {
    throw new AnalysisError(
      `[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve "(${symbol})" due to data type mismatch: ` +
      `the left and right operands of the binary operator have incompatible types ("${typeName(l).toUpperCase()}" and "${typeName(r).toUpperCase()}").`,
    );
  }
  return { args: [castIfNeeded(args[0]!, p.left), castIfNeeded(args[1]!, p.right)], dataType: p.type };
}

const zoneFor = (type: DataType, ctx: EvalContext): ZoneRules => (type.kind === "timestamp_ntz" ? UTC : zoneOf(ctx));

function numbers(a: Vec, b: Vec, n: number, type: DataType, int32: boolean, f: (x: number, y: number) => number): Vec {
  const x = asNum(a), y = asNum(b);
  const out = int32 ? new Int32Array(n) : new Float64Array(n);
  const valid = mergeValid(n, x, y);
  for (let i = 0; i < n; i++) if (valid === null || valid[i] === 1) out[i] = f(x.values[i]!, y.values[i]!);
  return numVec(type, out, valid);
}

export function evaluateTemporalArithmetic(op: Op, vecs: readonly Vec[], n: number, ctx: EvalContext, call: Call): Vec {
  const p = plan(op, typeOf(call.args[0]!), typeOf(call.args[1]!))!;
  const sign = op === "add" ? 1 : -1;
  // The datetime operand and the amount, whichever side each was written on.
  const [a, b] = p.swapped ? [vecs[1]!, vecs[0]!] : [vecs[0]!, vecs[1]!];
  const type = call.dataType!;
  switch (p.kind) {
    case "date_days": return numbers(a, b, n, type, true, (d, k) => d + sign * k);
    case "date_dt_days": return numbers(a, b, n, type, true, (d, us) => d + sign * Math.trunc(us / MICROS_PER_DAY));
    case "date_ym": return numbers(a, b, n, type, true, (d, m) => addMonthsToDays(d, sign * m));
    case "ts_dt": {
      const zone = zoneFor(type, ctx);
      const approx = numbers(a, b, n, type, false, (t, us) => addDayTime(zone, t, sign * us)) as NumVec;
      if (asNum(a).exact === undefined && !hasUnsafe(approx.values, n)) return approx;
      return exactDayTimeSum(zone, asNum(a), asNum(b), sign, approx.valid, type);
    }
    case "ts_ym": {
      const zone = zoneFor(type, ctx);
      return numbers(a, b, n, type, false, (t, m) => addInterval(zone, t, sign * m, 0, 0));
    }
    case "ts_cal": {
      const zone = zoneFor(type, ctx);
      return mapRows([a, b], n, type, ([t, c]) => {
        const iv = c as CalendarInterval;
        return addInterval(zone, t as number, sign * iv.months, sign * iv.days, sign * iv.microseconds);
      });
    }
    case "date_cal": {
      const zone = zoneOf(ctx);
      return mapRows([a, b], n, type, ([d, c]) => {
        const iv = c as CalendarInterval;
        const days = addMonthsToDays(d as number, sign * iv.months) + sign * iv.days;
        if (iv.microseconds === 0) return days;
        // With a time part, Spark goes through the timestamp at the day's start in the session zone.
        return localDay(zone, addInterval(zone, zone.toUtc(days * MICROS_PER_DAY), 0, 0, sign * iv.microseconds));
      });
    }
    case "dt_dt": return numbers(a, b, n, type, false, (x, y) => x + sign * y);
    case "ym_ym": return numbers(a, b, n, type, true, (x, y) => x + sign * y);
    case "cal_cal": return mapRows([a, b], n, type, ([x, y]) => {
      const u = x as CalendarInterval, v = y as CalendarInterval;
      return calendarInterval(u.months + sign * v.months, u.days + sign * v.days, u.microseconds + sign * v.microseconds);
    });
    case "ts_diff": {
      // Spark's subtractTimestamps: the difference of the wall times in the session zone.
      const zone = zoneFor(typeOf(call.args[0]!), ctx);
      return numbers(a, b, n, type, false, (x, y) => localMicros(zone, x) - localMicros(zone, y));
    }
    case "date_diff": return numbers(a, b, n, type, false, (x, y) => (x - y) * MICROS_PER_DAY);
  }
}

/**
 * ts ± day-time interval beyond ±2^53 µs, exact: the whole days move the wall clock (so a
 * change of offset between the two instants shifts the result, as addDayTime), the rest is
 * added to the instant; a result outside the long range is Spark's "long overflow".
 */
function exactDayTimeSum(zone: ZoneRules, ts: NumVec, amounts: NumVec, sign: number, valid: Uint8Array | null, type: DataType): NumVec {
  const n = ts.length;
  const exact = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const t = bigIntAt(ts, i);
    const dayTime = BigInt(sign) * bigIntAt(amounts, i);
    const days = dayTime / BigInt(MICROS_PER_DAY);
    const approxEnd = Number(t + dayTime);
    const shift = days === 0n ? 0 : Math.round((zone.offsetMinutesAt(Number(t)) - zone.offsetMinutesAt(approxEnd)) * 60_000_000);
    const r = t + dayTime + BigInt(shift);
    if (r > LONG_MAX || r < LONG_MIN) throw new ExecutionError("[ARITHMETIC_OVERFLOW] long overflow. Use 'try_add' to tolerate overflow and return NULL instead.");
    exact[i] = r;
  }
  return longVecFromBigInts(type, exact, valid);
}
