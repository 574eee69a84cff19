import * as arrow from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { fromArrowType } from "../../types/arrow-types.ts";
import {
  ArrayType, MapType, StructType, TimestampType, ddlTypeName, isIntegral, type DataType,
} from "../../types/data-types.ts";

/**
 * The Spark type of a column as parquet-wasm hands it over in Arrow (ParquetToSparkSchemaConverter's
 * rules): TIMESTAMP(isAdjustedToUTC=true) is TIMESTAMP, isAdjustedToUTC=false TIMESTAMP_NTZ, and
 * INT96 — the legacy timestamps Spark writes by default, which arrow-rs reads as zone-less
 * nanoseconds — TIMESTAMP as well (Spark itself never writes nanosecond timestamps).
 */
export function sparkTypeOfParquet(t: arrow.DataType): DataType {
  if (t instanceof arrow.Timestamp && !t.timezone && t.unit === arrow.TimeUnit.NANOSECOND) return TimestampType;
  if (t instanceof arrow.Struct) return new StructType(t.children.map((f) => ({ name: f.name, dataType: sparkTypeOfParquet(f.type), nullable: f.nullable })));
  if (t instanceof arrow.List) return ArrayType(sparkTypeOfParquet(t.children[0]!.type), t.children[0]!.nullable);
  if (t instanceof arrow.Map_) {
    const [key, value] = (t.children[0]!.type as arrow.Struct).children;
    return MapType(sparkTypeOfParquet(key!.type), sparkTypeOfParquet(value!.type), value!.nullable);
  }
  return fromArrowType(t);
}

/** The Spark schema of a Parquet file's Arrow schema; every column nullable, as Spark reads files (`asNullable`). */
export function sparkSchemaOfParquet(schema: arrow.Schema): StructType {
  return new StructType(schema.fields.map((f) => ({ name: f.name, dataType: sparkTypeOfParquet(f.type), nullable: true })));
}

/** Types Parquet has no column for (Spark's ParquetFileFormat.supportDataType). */
function isWritable(t: DataType): boolean {
  switch (t.kind) {
    case "null": case "interval": case "interval_dt": case "interval_ym": return false;
    case "struct": return t.fields.every((f) => isWritable(f.dataType));
    case "array": return isWritable(t.elementType);
    case "map": return isWritable(t.keyType) && isWritable(t.valueType);
    default: return true;
  }
}

/** Fails as Spark does when a column cannot be written to Parquet. */
export function checkParquetSchema(schema: StructType): void {
  for (const f of schema.fields) {
    if (!isWritable(f.dataType)) {
      throw new ConnectorError(`[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Parquet datasource doesn't support the column \`${f.name}\` of the type "${ddlTypeName(f.dataType)}".`);
    }
  }
}

const INTEGRAL_WIDTH: Partial<Record<DataType["kind"], number>> = { byte: 1, short: 2, int: 3, long: 4 };

/**
 * Whether a file's column of type `found` can be read as `expected` (a schema the user
 * gave, or another file's): the same type, or the widenings Spark's Parquet reader does
 * (a narrower integer into a wider one or a double, float into double, a decimal into
 * one that holds all its digits).
 */
export function canReadAs(found: DataType, expected: DataType): boolean {
  if (found.kind === expected.kind) {
    if (found.kind === "decimal" && expected.kind === "decimal") {
      return expected.scale >= found.scale && expected.precision - expected.scale >= found.precision - found.scale;
    }
    if (found.kind === "struct" && expected.kind === "struct") {
      // Nested values are converted field by field in order: the same fields, each readable.
      return expected.fields.length === found.fields.length
        && expected.fields.every((e, i) => e.name.toLowerCase() === found.fields[i]!.name.toLowerCase() && canReadAs(found.fields[i]!.dataType, e.dataType));
    }
    if (found.kind === "array" && expected.kind === "array") return canReadAs(found.elementType, expected.elementType);
    if (found.kind === "map" && expected.kind === "map") return canReadAs(found.keyType, expected.keyType) && canReadAs(found.valueType, expected.valueType);
    return true;
  }
  if (isIntegral(found) && isIntegral(expected)) return INTEGRAL_WIDTH[found.kind]! < INTEGRAL_WIDTH[expected.kind]!;
  if ((isIntegral(found) && found.kind !== "long") || found.kind === "float") return expected.kind === "double";
  return false;
}
