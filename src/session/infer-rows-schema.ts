import { AnalysisError } from "../common/errors.ts";
import {
  ArrayType, BinaryType, BooleanType, DoubleType, LongType, MapType, NullType, StringType, StructField, StructType, TimestampType,
  type DataType,
} from "../types/data-types.ts";

/**
 * PySpark's schema inference for `createDataFrame(rows)` / `createDataFrame(rows, names)`
 * (`_infer_schema`, `_merge_type`): every row is typed, the types merged, and a column
 * left without a type (null in every row) refused. Rows are plain objects (columns by key,
 * in the order first seen, as a Row keeps its fields) or arrays (columns `_1`, `_2`, … unless
 * named). JavaScript has one number type, so an integral number is a BIGINT and a column
 * mixing integral and fractional numbers is a DOUBLE (PySpark's int and float do not merge).
 * A nested plain object is a STRUCT (as a nested Row), a `Map` a MAP, a `Date` a TIMESTAMP.
 */
export function inferRowsSchema(rows: readonly unknown[], names?: readonly string[]): { schema: StructType; rows: unknown[][] } {
  if (rows.length === 0) throw new AnalysisError("[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema from an empty dataset.");
  const columns: string[] = [];
  const types: DataType[] = [];
  const indexOf = new Map<string, number>();
  const positional = rows.map((row) => {
    if (Array.isArray(row)) return row.map((v, i) => typeColumn(`_${i + 1}`, v));
    if (isRecord(row)) return Object.entries(row).map(([k, v]) => typeColumn(k, v));
    throw new AnalysisError(`[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: \`${jsTypeName(row)}\`.`);
  });
  function typeColumn(name: string, value: unknown): [number, unknown] {
    let i = indexOf.get(name);
    const t = inferType(value, name);
    if (i === undefined) {
      i = columns.length;
      indexOf.set(name, i);
      columns.push(name);
      types.push(t);
    } else {
      types[i] = mergeTypes(types[i]!, t, name);
    }
    return [i, value];
  }
  if (names !== undefined && names.length > columns.length) {
    throw new AnalysisError(`[LENGTH_SHOULD_BE_THE_SAME] schema (${names.length} column names) and data (${columns.length} columns) should have the same length.`);
  }
  const fieldNames = columns.map((c, i) => names?.[i] ?? c);
  const fields = fieldNames.map((n, i) => StructField(n, types[i]!, true));
  if (fields.some((f) => hasNullType(f.dataType))) {
    throw new AnalysisError(`[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after inferring. (column ${undetermined(fields)} is null in every row: pass a schema)`);
  }
  const schema = new StructType(fields);
  const values = positional.map((cells) => {
    const row: unknown[] = new Array(columns.length).fill(null);
    for (const [i, v] of cells) row[i] = v ?? null;
    return row;
  });
  return { schema, rows: values };
}

function inferType(value: unknown, field: string): DataType {
  if (value === null || value === undefined) return NullType;
  switch (typeof value) {
    case "boolean": return BooleanType;
    case "string": return StringType;
    case "bigint": return LongType;
    case "number": return Number.isInteger(value) ? LongType : DoubleType;
    case "object": break;
    default: throw new AnalysisError(`[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field \`${field}\`.`);
  }
  if (value instanceof Date) return TimestampType;
  if (value instanceof Uint8Array) return BinaryType;
  if (Array.isArray(value)) {
    return ArrayType(value.reduce<DataType>((t, v) => mergeTypes(t, inferType(v, field), field), NullType), true);
  }
  if (value instanceof Map) {
    let key: DataType = NullType;
    let item: DataType = NullType;
    for (const [k, v] of value) {
      key = mergeTypes(key, inferType(k, field), field);
      item = mergeTypes(item, inferType(v, field), field);
    }
    return MapType(key, item, true);
  }
  return new StructType(Object.entries(value as object).map(([k, v]) => StructField(k, inferType(v, `${field}.${k}`), true)));
}

/** PySpark's `_merge_type`: null gives way to the other; BIGINT and DOUBLE make DOUBLE (see above); otherwise the kinds must agree. */
function mergeTypes(a: DataType, b: DataType, field: string): DataType {
  if (a.kind === "null") return b;
  if (b.kind === "null") return a;
  if ((a.kind === "long" && b.kind === "double") || (a.kind === "double" && b.kind === "long")) return DoubleType;
  if (a.kind !== b.kind) {
    throw new AnalysisError(`[CANNOT_MERGE_TYPE] Can not merge type \`${className(a)}\` and \`${className(b)}\`. (field ${field})`);
  }
  if (a.kind === "array" && b.kind === "array") return ArrayType(mergeTypes(a.elementType, b.elementType, field), true);
  if (a.kind === "map" && b.kind === "map") {
    return MapType(mergeTypes(a.keyType, b.keyType, field), mergeTypes(a.valueType, b.valueType, field), true);
  }
  if (a.kind === "struct" && b.kind === "struct") {
    const fields = a.fields.map((f) => {
      const other = b.fields.find((g) => g.name === f.name);
      return other === undefined ? f : StructField(f.name, mergeTypes(f.dataType, other.dataType, `${field}.${f.name}`), true);
    });
    return new StructType([...fields, ...b.fields.filter((g) => a.fieldIndex(g.name) < 0)]);
  }
  return a;
}

function hasNullType(t: DataType): boolean {
  switch (t.kind) {
    case "null": return true;
    case "array": return hasNullType(t.elementType);
    case "map": return hasNullType(t.keyType) || hasNullType(t.valueType);
    case "struct": return t.fields.some((f) => hasNullType(f.dataType));
    default: return false;
  }
}

function undetermined(fields: readonly StructField[]): string {
  return fields.filter((f) => hasNullType(f.dataType)).map((f) => `\`${f.name}\``).join(", ");
}

/** PySpark's class names for the types a JavaScript value infers to, as its CANNOT_MERGE_TYPE names them. */
function className(t: DataType): string {
  const names: Partial<Record<DataType["kind"], string>> = {
    long: "LongType", double: "DoubleType", string: "StringType", boolean: "BooleanType", timestamp: "TimestampType",
    binary: "BinaryType", array: "ArrayType", map: "MapType", struct: "StructType",
  };
  return names[t.kind] ?? t.kind;
}

function isRecord(row: unknown): row is Record<string, unknown> {
  return typeof row === "object" && row !== null && !(row instanceof Date) && !(row instanceof Map) && !(row instanceof Uint8Array);
}

function jsTypeName(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
