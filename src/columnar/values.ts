import { AnalysisError, assertNever } from "../common/errors.ts";
import type { Row } from "./rows/batch-to-rows.ts";
import type { DataType, StructType } from "../types/data-types.ts";
import { typeName } from "../types/data-types.ts";
import { ColumnBatch } from "./column-batch.ts";
import { VecBuilder } from "./vec-builder.ts";
import { valueAt, type Vec } from "./vector.ts";
import { LONG_MAX, LONG_MIN, longOfBigInt } from "./long-values.ts";
import { parseTimestampMicros, parseDateDays, parseTimestampNtzMicros } from "./temporal.ts";
import { calendarInterval, parseAnsiIntervalString, parseCalendarInterval } from "./intervals.ts";
import { Decimal } from "./decimal.ts";
import { doubleToDecimal, fitsPrecision, parseDecimal, rescale } from "./decimal-values.ts";

/**
 * A Date holds milliseconds. The exact microseconds of a timestamp handed out as a Date are
 * remembered beside it (not on it: rows stay plain), so that the same Date handed back — by
 * a UDF or a typed map passing it through — keeps them; a Date changed since no longer
 * matches and counts in whole milliseconds.
 */
const exactMicros = new WeakMap<Date, number>();

/** A DATE (days since the epoch) as a Date at its UTC midnight. */
export function dateOfDays(days: number): Date {
  return new Date(days * 86_400_000);
}

export function dateOfMicros(micros: number): Date {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  if (micros !== ms * 1000) exactMicros.set(d, micros);
  return d;
}

function microsOfDate(d: Date): number {
  const ms = d.getTime();
  const micros = exactMicros.get(d);
  return micros !== undefined && Math.floor(micros / 1000) === ms ? micros : ms * 1000;
}

/**
 * Conversions between the values users hand in or get back (Date, number, bigint,
 * string, plain objects) and the internal representation of vector.ts.
 */
export function toInternal(value: unknown, type: DataType, where: string): unknown {
  if (value === null || value === undefined) return null;
  // No closure per call (this runs once per input value): errors go through cannotUse.
  switch (type.kind) {
    case "null": return null;
    case "string": return typeof value === "string" ? value : String(value);
    case "binary":
      if (value instanceof Uint8Array) return value;
      return typeof value === "string" ? new TextEncoder().encode(value) : cannotUse(value, type, where);
    case "boolean": return typeof value === "boolean" ? value : cannotUse(value, type, where);
    case "byte": case "short": case "int": {
      const bound = type.kind === "byte" ? 128 : type.kind === "short" ? 32768 : 2147483648;
      if (typeof value === "number" && Number.isInteger(value) && value >= -bound && value < bound) return value;
      if (typeof value === "bigint") return toInternal(Number(value), type, where);
      return cannotUse(value, type, where);
    }
    case "float":
      if (typeof value === "number") return Math.fround(value);
      return typeof value === "bigint" ? Math.fround(Number(value)) : cannotUse(value, type, where);
    case "decimal": {
      // A Decimal, its text, a number (through its shortest text) or a bigint (an integer), rounded HALF_UP to the scale.
      const unscaled = value instanceof Decimal ? rescale(value.unscaled, value.scale, type.scale)
        : typeof value === "string" ? parseDecimal(value, type.scale)
        : typeof value === "number" ? doubleToDecimal(value, type.scale)
        : typeof value === "bigint" ? rescale(value, 0, type.scale) : null;
      return unscaled !== null && fitsPrecision(unscaled, type.precision) ? unscaled : cannotUse(value, type, where);
    }
    case "long":
      if (typeof value === "bigint") return value >= LONG_MIN && value <= LONG_MAX ? longOfBigInt(value) : cannotUse(value, type, where);
      if (typeof value !== "number" || !Number.isInteger(value)) return cannotUse(value, type, where);
      return Number.isSafeInteger(value) ? value : toInternal(BigInt(value), type, where);
    case "double":
      if (typeof value === "number") return value;
      return typeof value === "bigint" ? Number(value) : cannotUse(value, type, where);
    case "timestamp": {
      if (value instanceof Date) return microsOfDate(value);
      // Numbers are milliseconds since the epoch, as in JavaScript's Date.
      if (typeof value === "number") return value * 1000;
      if (typeof value === "string") return parseTimestampMicros(value) ?? cannotUse(value, type, where);
      return cannotUse(value, type, where);
    }
    case "date": {
      if (value instanceof Date) return Math.floor(value.getTime() / 86_400_000);
      if (typeof value === "string") return parseDateDays(value) ?? cannotUse(value, type, where);
      if (typeof value === "number" && Number.isInteger(value)) return value;
      return cannotUse(value, type, where);
    }
    case "timestamp_ntz":
      // A Date's UTC fields are the wall time (as Arrow JS reads a timestamp without zone).
      if (value instanceof Date) return microsOfDate(value);
      if (typeof value === "string") return parseTimestampNtzMicros(value) ?? cannotUse(value, type, where);
      return cannotUse(value, type, where);
    case "interval_dt": case "interval_ym":
      // Day-time intervals are microseconds, year-month intervals months, as collect() returns them.
      if (typeof value === "number" && Number.isInteger(value)) return value;
      if (typeof value === "string") return parseAnsiIntervalString(value, type.kind, type.startField, type.endField) ?? cannotUse(value, type, where);
      return cannotUse(value, type, where);
    case "interval":
      if (typeof value === "string") return parseCalendarInterval(value) ?? cannotUse(value, type, where);
      if (typeof value === "object" && value !== null && "months" in value) {
        const v = value as { months: number; days: number; microseconds: number };
        return calendarInterval(v.months, v.days, v.microseconds);
      }
      return cannotUse(value, type, where);
    case "struct": {
      if (typeof value !== "object") return cannotUse(value, type, where);
      const out: Record<string, unknown> = {};
      for (const f of type.fields) out[f.name] = toInternal((value as Record<string, unknown>)[f.name], f.dataType, `${where}.${f.name}`);
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((v, i) => toInternal(v, type.elementType, `${where}[${i}]`)) : cannotUse(value, type, where);
    case "map": {
      const entries = value instanceof Map ? [...value] : typeof value === "object" ? Object.entries(value as object) : cannotUse(value, type, where);
      return new Map(entries.map(([k, v]) => [toInternal(k, type.keyType, where), toInternal(v, type.valueType, `${where}[${String(k)}]`)]));
    }
    default: return assertNever(type, "data type");
  }
}

function cannotUse(value: unknown, type: DataType, where: string): never {
  throw new AnalysisError(`${where}: cannot use ${JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}` : v))} as ${typeName(type)}`);
}

/**
 * Internal value → what the API returns: Date for timestamps and dates, number for longs when
 * safe (bigint beyond ±2^53), a Decimal for decimals (exact; `String(d)` prints as Spark does),
 * numbers for tinyint, smallint and float (a float's double, e.g. 0.10000000149011612 for 0.1F).
 */
export function toExternal(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "timestamp": return dateOfMicros(Number(value));
    case "date": return dateOfDays(value as number);
    case "timestamp_ntz": return dateOfMicros(Number(value));
    case "long": return typeof value === "bigint" || Number.isSafeInteger(value) ? value : BigInt(Math.trunc(value as number));
    case "decimal": return new Decimal(value as bigint, type.scale);
    case "struct": {
      const out: Record<string, unknown> = {};
      for (const f of type.fields) out[f.name] = toExternal((value as Record<string, unknown>)[f.name], f.dataType);
      return out;
    }
    case "array": return (value as unknown[]).map((v) => toExternal(v, type.elementType));
    case "map": return new Map([...(value as Map<unknown, unknown>)].map(([k, v]) => [toExternal(k, type.keyType), toExternal(v, type.valueType)]));
    default: return value;
  }
}

export { batchToRows, resultRows, resultRowsOf, rowReader, type Row } from "./rows/batch-to-rows.ts";

/** Plain objects (or arrays in column order) → a batch of `schema`; `where` names the caller in errors. */
export function rowsToBatch(schema: StructType, rows: readonly unknown[], where: string): ColumnBatch {
  const fields = schema.fields;
  const builders = fields.map((f) => new VecBuilder(f.dataType, rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === null || typeof row !== "object") {
      if (fields.length === 1) { builders[0]!.append(toInternal(row, fields[0]!.dataType, `${where} row ${r}`)); continue; }
      throw new AnalysisError(`${where} row ${r}: expected an object with fields ${schema.fieldNames.join(", ")}`);
    }
    const isArray = Array.isArray(row);
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k]!;
      const v = isArray ? (row as unknown[])[k] : (row as Row)[f.name];
      let internal: unknown;
      try {
        internal = toInternal(v, f.dataType, where);
      } catch {
        // Only a bad value pays for naming its row and column: converting it again throws with them.
        internal = toInternal(v, f.dataType, `${where} row ${r}, column ${f.name}`);
      }
      builders[k]!.append(internal);
    }
  }
  return new ColumnBatch(schema, builders.map((b) => b.finish()), rows.length);
}

