import {
  BinaryType, BooleanType, DateType, DecimalType, DoubleType, IntegerType, LongType, StringType, TimestampNTZType, TimestampType,
  type DataType,
} from "../../types/data-types.ts";
import type { DbColumn } from "./jdbc-dialect.ts";
import { driverValue, UnreadableValue, type ReadColumn, type ReadTypeOptions } from "./read-values.ts";
import { decimalOfSql } from "./sql-types.ts";

const GEOMETRY_TYPES = new Set(["geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection"]);

/**
 * MySQL/MariaDB columns as Spark 3.5 reads them through its MySQLDialect and MySQL
 * Connector/J: `TINYINT(1)` and `BIT(1)` are BOOLEAN, `BIT(n)` a BIGINT, unsigned
 * integers widen (INT/MEDIUMINT UNSIGNED → BIGINT, BIGINT UNSIGNED → DECIMAL(20,0)),
 * FLOAT is a DOUBLE, YEAR a DATE (January 1st), TIME a TIMESTAMP on 1970-01-01,
 * DATETIME a TIMESTAMP (TIMESTAMP_NTZ under `preferTimestampNTZ`), JSON a STRING.
 * `column.dbType` is information_schema's COLUMN_TYPE (`bigint(20) unsigned`).
 */
export function mysqlReadColumn(column: DbColumn, options: ReadTypeOptions): ReadColumn {
  const t = column.dbType.trim().toLowerCase();
  const base = t.replace(/\(.*$/, "").replace(/\s.*$/, "");
  const unsigned = /\bunsigned\b/.test(t);
  const length = Number(/^\w+\((\d+)\)/.exec(t)?.[1] ?? "0");
  const read = (type: DataType, convert: (v: unknown) => unknown = driverValue(type)): ReadColumn => ({ type, convert });
  switch (base) {
    case "tinyint":
      return length === 1 ? read(BooleanType) : read(IntegerType);
    case "bit":
      return length <= 1 ? read(BooleanType, (v) => (v === null || v === undefined ? null : Number(bitsOf(v)) !== 0)) : read(LongType, (v) => (v === null || v === undefined ? null : bitsOf(v)));
    case "smallint": return read(IntegerType);
    case "mediumint": case "int": case "integer": return read(unsigned ? LongType : IntegerType);
    case "bigint": return unsigned ? read(DecimalType(20, 0), (v) => (v === null || v === undefined ? null : String(v))) : read(LongType);
    case "float": case "double": case "real": return read(DoubleType);
    case "decimal": case "numeric": case "dec": case "fixed": return read(decimalOfSql(t.replace(/\s*unsigned.*$/, "").replace(/\s*zerofill.*$/, "")));
    case "date": return read(DateType);
    case "year": return read(DateType, (v) => (v === null || v === undefined ? null : `${String(v).padStart(4, "0")}-01-01`));
    case "datetime": return read(options.preferTimestampNTZ ? TimestampNTZType : TimestampType);
    case "timestamp": return read(TimestampType);
    case "time": return read(TimestampType, (v) => (v === null || v === undefined ? null : timeOfDay(String(v))));
    case "char": case "varchar": case "tinytext": case "text": case "mediumtext": case "longtext": case "enum": case "set": case "json":
    case "uuid": case "inet4": case "inet6":
      return read(StringType, (v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString("utf8") : String(v)));
    case "binary": case "varbinary": case "tinyblob": case "blob": case "mediumblob": case "longblob":
      return read(BinaryType);
    default:
      return GEOMETRY_TYPES.has(base) ? read(BinaryType) : { unsupported: t };
  }
}

/** A BIT(n) value (mysql2 gives its bytes, most significant first) as a number, or a bigint past 2^53. */
function bitsOf(v: unknown): bigint | number {
  if (!(v instanceof Uint8Array)) return typeof v === "number" ? v : BigInt(String(v));
  let n = 0n;
  for (const byte of v) n = (n << 8n) | BigInt(byte);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** A TIME within a day → that time on 1970-01-01 (as the JDBC driver's getTimestamp); durations beyond a day are refused. */
function timeOfDay(text: string): string {
  if (!/^\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) throw new UnreadableValue(`TIME '${text}' is not a time of day`);
  return `1970-01-01 ${text}`;
}
