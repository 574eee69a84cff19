import type { DataType } from "../types/data-types.ts";
import type { Vec } from "../columnar/vector.ts";
import {
  MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND,
  parseAnsiIntervalString, parseCalendarInterval,
} from "../columnar/intervals.ts";
import { parseTimestampNtzMicros } from "../columnar/temporal.ts";
import { zoneOf, type EvalContext } from "./eval-context.ts";
import { asNum, mapStrings, numVec } from "./vec-ops.ts";

/**
 * Casts that involve TIMESTAMP_NTZ and the interval types, as Spark's (non-ANSI) Cast does
 * them. The zone-aware ones (TIMESTAMP ↔ TIMESTAMP_NTZ, DATE → TIMESTAMP) read the session
 * zone's rules at each value's instant.
 */

const TEMPORAL = new Set(["timestamp_ntz", "interval_dt", "interval_ym", "interval"]);

/** DAY, HOUR, MINUTE, SECOND in µs. */
export const DAY_TIME_UNIT_MICROS = [MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND] as const;

/** Whether Spark (non-ANSI) allows `CAST(from AS to)` when either side is one of these types; undefined when neither is. */
export function canCastTemporal(from: DataType, to: DataType): boolean | undefined {
  if (!TEMPORAL.has(from.kind) && !TEMPORAL.has(to.kind)) return undefined;
  if (from.kind === "string" || to.kind === "string" || from.kind === "null") return true;
  if (to.kind === "timestamp_ntz") return from.kind === "timestamp" || from.kind === "date" || from.kind === "timestamp_ntz";
  if (from.kind === "timestamp_ntz") return to.kind === "timestamp" || to.kind === "date";
  const integral = (t: DataType): boolean => t.kind === "int" || t.kind === "long";
  // ANSI intervals: to and from each other within a family, and to and from integers when of one field.
  if (to.kind === "interval_dt") return from.kind === "interval_dt" || (integral(from) && to.startField === to.endField);
  if (to.kind === "interval_ym") return from.kind === "interval_ym" || (integral(from) && to.startField === to.endField);
  if (from.kind === "interval_dt" || from.kind === "interval_ym") return integral(to) && from.startField === from.endField;
  return false;
}

function mapNums(v: Vec, to: DataType, f: (x: number) => number, int32: boolean): Vec {
  const x = asNum(v);
  const n = x.length;
  const out = int32 ? new Int32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(x.values[i]!);
  return numVec(to, out, x.valid);
}

/** Casts a vector when either type is one of these; undefined leaves the cast to cast.ts. */
export function castTemporalVec(v: Vec, to: DataType, ctx: EvalContext): Vec | undefined {
  const from = v.type;
  if (!TEMPORAL.has(from.kind) && !TEMPORAL.has(to.kind)) return undefined;
  if (to.kind === "string") return undefined;
  if (v.kind === "str") {
    switch (to.kind) {
      case "timestamp_ntz": return mapStrings(v, to, parseTimestampNtzMicros);
      case "interval_dt": case "interval_ym": return mapStrings(v, to, (s) => parseAnsiIntervalString(s, to.kind, to.startField, to.endField));
      case "interval": return mapStrings(v, to, parseCalendarInterval);
      default: return undefined;
    }
  }
  if (v.kind !== "num") return undefined;
  const zone = zoneOf(ctx);
  switch (to.kind) {
    case "timestamp_ntz":
      if (from.kind === "timestamp") return mapNums(v, to, (t) => t + Math.round(zone.offsetMinutesAt(t) * MICROS_PER_MINUTE), false);
      if (from.kind === "date") return mapNums(v, to, (d) => d * MICROS_PER_DAY, false);
      return undefined;
    case "timestamp":
      if (from.kind === "timestamp_ntz") return mapNums(v, to, (t) => zone.toUtc(t), false);
      return undefined;
    case "date":
      if (from.kind === "timestamp_ntz") return mapNums(v, to, (t) => Math.floor(t / MICROS_PER_DAY), true);
      return undefined;
    case "interval_dt":
      if (from.kind === "interval_dt") {
        // To fewer fields: the value truncated to the new end field, as Spark's cast.
        const unit = DAY_TIME_UNIT_MICROS[to.endField];
        return mapNums(v, to, (x) => Math.trunc(x / unit) * unit, false);
      }
      return mapNums(v, to, (x) => x * DAY_TIME_UNIT_MICROS[to.startField], false);
    case "interval_ym":
      if (from.kind === "interval_ym") return mapNums(v, to, (x) => (to.endField === 0 ? Math.trunc(x / 12) * 12 : x), true);
      return mapNums(v, to, (x) => x * (to.startField === 0 ? 12 : 1), true);
    case "int": case "long": {
      const int32 = to.kind === "int";
      if (from.kind === "interval_dt") return mapNums(v, to, (x) => Math.trunc(x / DAY_TIME_UNIT_MICROS[from.startField]), int32);
      if (from.kind === "interval_ym") return mapNums(v, to, (x) => (from.startField === 0 ? Math.trunc(x / 12) : x), int32);
      return undefined;
    }
    default: return undefined;
  }
}
