import { assertNever } from "../common/errors.ts";
import { longOfBigInt } from "./long-values.ts";
import { doubleToDecimal, fitsPrecision, parseDecimal, withoutGrouping } from "./decimal-values.ts";
import { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "./temporal.ts";
import { parseAnsiIntervalString, parseCalendarInterval } from "./intervals.ts";
import type { DataType } from "../types/data-types.ts";
import { UTC, type ZoneRules } from "../common/time-zone.ts";
import { typeName } from "../types/data-types.ts";

/** Integers beyond ±2^53 arrive as bigints (JsonCursor.parseValue); JSON text writes them as numbers. */
function numberOfBigInt(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? Number(v) : v;
}

/** 2^63: a BIGINT holds [-2^63, 2^63). */
const LONG_BOUND = 2 ** 63;

/** A JSON value that does not fit the type of its field: the record is malformed. */
export class JsonTypeMismatch extends Error {}

function mismatch(value: unknown, type: DataType): never {
  const shown = typeof value === "string" ? `'${value}'` : JSON.stringify(value, numberOfBigInt);
  throw new JsonTypeMismatch(`cannot convert ${shown} to ${typeName(type)}`);
}

/**
 * Converts a parsed JSON value (nested fields decode through here) to rivulet's internal
 * representation of `type` with the coercions of Spark's JSON reader; throws
 * JsonTypeMismatch when it does not fit. Timestamps written without an offset are times in
 * `zone` (the session's, as Spark's JSON reader and from_json read them).
 */
export function jsonToInternal(value: unknown, type: DataType, zone: ZoneRules = UTC): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "null": return null;
    case "string": return typeof value === "string" ? value : typeof value === "bigint" ? value.toString() : JSON.stringify(value, numberOfBigInt);
    case "binary": return typeof value === "string" ? new Uint8Array(Buffer.from(value, "base64")) : mismatch(value, type);
    case "boolean": return typeof value === "boolean" ? value : mismatch(value, type);
    case "byte": case "short": case "int": {
      if (typeof value === "bigint") return mismatch(value, type);
      const bound = type.kind === "byte" ? 128 : type.kind === "short" ? 32768 : 2147483648;
      return typeof value === "number" && Number.isInteger(value) && value >= -bound && value < bound ? value : mismatch(value, type);
    }
    case "decimal": {
      // Exact for integers of any length (bigints) and for text; a JSON number that reached
      // here as a double converts through its shortest text (the JSON reader keeps raw text).
      const unscaled = typeof value === "bigint" ? value * 10n ** BigInt(type.scale)
        : typeof value === "number" ? doubleToDecimal(value, type.scale)
        : typeof value === "string" && value.trim() !== "" ? parseDecimal(withoutGrouping(value), type.scale) : null;
      return unscaled !== null && fitsPrecision(unscaled, type.precision) ? unscaled : mismatch(value, type);
    }
    case "float":
      if (typeof value === "number") return Math.fround(value);
      if (typeof value === "bigint") return Math.fround(Number(value));
      return value === "NaN" ? NaN : value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : mismatch(value, type);
    case "long":
      if (typeof value === "bigint") return BigInt.asIntN(64, value) === value ? longOfBigInt(value) : mismatch(value, type);
      return typeof value === "number" && Number.isInteger(value) && value >= -LONG_BOUND && value < LONG_BOUND ? value : mismatch(value, type);
    case "double":
      if (typeof value === "number") return value;
      if (typeof value === "bigint") return Number(value);
      return value === "NaN" ? NaN : value === "Infinity" ? Infinity : value === "-Infinity" ? -Infinity : mismatch(value, type);
    case "timestamp":
      if (typeof value === "bigint") return mismatch(value, type);
      if (typeof value === "number") return Math.floor(value * 1_000_000);
      return (typeof value === "string" ? parseTimestampMicros(value, zone) : null) ?? mismatch(value, type);
    case "date":
      return (typeof value === "string" ? parseDateDays(value) : null) ?? mismatch(value, type);
    case "timestamp_ntz":
      return (typeof value === "string" ? parseTimestampNtzMicros(value) : null) ?? mismatch(value, type);
    case "interval_dt": case "interval_ym":
      return (typeof value === "string" ? parseAnsiIntervalString(value, type.kind, type.startField, type.endField) : null) ?? mismatch(value, type);
    case "interval":
      return (typeof value === "string" ? parseCalendarInterval(value) : null) ?? mismatch(value, type);
    case "struct": {
      if (typeof value !== "object" || Array.isArray(value)) return mismatch(value, type);
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      // Names match exactly, as Spark's JacksonParser (a repeated key: JSON.parse keeps the last).
      for (const f of type.fields) out[f.name] = Object.hasOwn(obj, f.name) ? jsonToInternal(obj[f.name], f.dataType, zone) : null;
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((v) => jsonToInternal(v, type.elementType, zone)) : mismatch(value, type);
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) return mismatch(value, type);
      const out = new Map<unknown, unknown>();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.set(jsonToInternal(k, type.keyType, zone), jsonToInternal(v, type.valueType, zone));
      }
      return out;
    }
    default: return assertNever(type, "data type");
  }
}
