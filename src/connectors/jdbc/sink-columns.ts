import { formatDecimal } from "../../columnar/decimal-values.ts";
import { formatCell } from "../../columnar/show-string.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { isNull, valueAt, type StructVec, type Vec } from "../../columnar/vector.ts";
import { toExternal } from "../../columnar/values.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import type { JdbcDialect } from "./jdbc-dialect.ts";

/**
 * A column of the sink's table. Struct columns are flattened: the window column
 * `window: struct<start, end>` becomes `window_start` and `window_end`.
 */
export interface SinkColumn {
  readonly name: string;
  readonly type: DataType;
  /** Whether the result may hold NULL here (a grouping key too: Spark groups NULLs as one group). */
  readonly nullable: boolean;
  /** Part of the row's identity (the grouping keys in update and complete mode): the table's primary key, or its unique key when one may be NULL. */
  readonly isKey: boolean;
  /** Index of the result column, then of the struct field(s) under it. */
  readonly path: readonly number[];
}

/** The table columns for a result schema; `keyColumns` are indices of result columns (a struct key makes all its fields keys). */
export function sinkColumns(schema: StructType, keyColumns: readonly number[]): SinkColumn[] {
  const keys = new Set(keyColumns);
  const out: SinkColumn[] = [];
  const walk = (name: string, type: DataType, nullable: boolean, isKey: boolean, path: number[]): void => {
    if (type.kind === "struct" && type.fields.length > 0) {
      type.fields.forEach((f, i) => walk(`${name}_${f.name}`, f.dataType, nullable || f.nullable, isKey, [...path, i]));
      return;
    }
    out.push({ name, type, nullable, isKey, path });
  };
  schema.fields.forEach((f, i) => walk(f.name, f.dataType, f.nullable, keys.has(i), [i]));
  return out;
}

/** Reads one column of a batch as the values the database driver binds. */
export function columnReader(batch: ColumnBatch, column: SinkColumn, dialect: JdbcDialect): (row: number) => unknown {
  let vec: Vec = batch.columns[column.path[0]!]!;
  const parents: Vec[] = [];
  for (const k of column.path.slice(1)) {
    parents.push(vec);
    vec = (vec as StructVec).children[k]!;
  }
  const convert = sqlValue(column.type, dialect);
  const leaf = vec;
  if (parents.length === 0) return (i) => { const v = valueAt(leaf, i); return v === null ? null : convert(v); };
  return (i) => {
    for (const p of parents) if (isNull(p, i)) return null;
    const v = valueAt(leaf, i);
    return v === null ? null : convert(v);
  };
}

function sqlValue(type: DataType, dialect: JdbcDialect): (v: unknown) => unknown {
  switch (type.kind) {
    // A TIMESTAMP_NTZ's wall time is written as it is, as a TIMESTAMP's UTC time.
    case "timestamp": case "timestamp_ntz": return (v) => formatTimestampMicros(v as number);
    case "interval_dt": case "interval_ym": case "interval": return (v) => formatCell(v, type);
    case "date": return (v) => formatDateDays(v as number);
    case "boolean": return (v) => dialect.booleanValue(v as boolean);
    case "binary": return (v) => { const u = v as Uint8Array; return Buffer.from(u.buffer, u.byteOffset, u.byteLength); };
    case "array": case "map": case "struct": return (v) => JSON.stringify(toExternal(v, type), jsonValue);
    // A long beyond ±2^53 is a bigint: bound as its digits, which every driver passes and every BIGINT column reads exactly.
    case "long": return (v) => (typeof v === "bigint" ? v.toString() : v);
    // Decimals are bound as their digits: exact into DECIMAL/NUMERIC columns (and SQLite's text).
    case "decimal": return (v) => formatDecimal(v as bigint, type.scale);
    default: return (v) => v;
  }
}

function jsonValue(_key: string, value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** Microseconds since the epoch → `YYYY-MM-DD HH:MM:SS.ffffff` (UTC), the text every dialect reads as a timestamp. */
export function formatTimestampMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${String(Math.round(micros - ms * 1000)).padStart(3, "0")}`;
}

/** Days since the epoch → `YYYY-MM-DD`. */
export function formatDateDays(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
