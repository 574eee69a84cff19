import {
  BinaryType, BooleanType, DateType, DecimalType, DoubleType, IntegerType, LongType, MAX_DECIMAL_PRECISION, StringType, TimestampType,
  type DataType,
} from "../../types/data-types.ts";
import type { DialectName } from "./jdbc-url.ts";

/** What a database column type holds, whatever the dialect spells it. */
export type SqlTypeClass = "integer" | "bigint" | "boolean" | "float" | "decimal" | "text" | "timestamp" | "date" | "binary" | "other";

/** Classifies a database type name ("varchar(255)", "int8", "datetime(6)", "tinyint(1)"). */
export function sqlTypeClass(dbType: string, dialect: DialectName): SqlTypeClass {
  const t = dbType.trim().toLowerCase();
  const base = t.replace(/\(.*$/, "").replace(/\s+unsigned$/, "").trim();
  if (dialect === "mysql" && /^(tinyint|bit)\(1\)/.test(t)) return "boolean";
  if (["tinyint", "smallint", "mediumint", "int", "integer", "int2", "int4", "serial", "smallserial", "year"].includes(base)) {
    return dialect === "sqlite" && base === "integer" ? "bigint" : "integer";
  }
  if (["bigint", "int8", "bigserial"].includes(base)) return "bigint";
  if (["boolean", "bool", "bit"].includes(base)) return "boolean";
  if (["double", "double precision", "float", "float4", "float8", "real"].includes(base)) return "float";
  // DECIMAL_TEXT(p, s): how rivulet's SQLite sink declares a decimal column (TEXT affinity keeps every digit).
  if (["decimal", "numeric", "dec", "fixed", "decimal_text"].includes(base)) return "decimal";
  if (/char|text|clob|enum|set|json|uuid|citext|string/.test(base)) return "text";
  if (/^(datetime|timestamp)/.test(base)) return "timestamp";
  if (base === "date") return "date";
  if (/blob|binary|bytea/.test(base)) return "binary";
  return "other";
}

/** The rivulet type a column of a database type is read as (Spark's JdbcUtils.getCatalystType). */
export function dataTypeOfSql(dbType: string, dialect: DialectName): DataType {
  switch (sqlTypeClass(dbType, dialect)) {
    case "integer": return IntegerType;
    case "bigint": return LongType;
    case "boolean": return BooleanType;
    case "float": return DoubleType;
    case "decimal": return decimalOfSql(dbType);
    case "timestamp": return TimestampType;
    case "date": return DateType;
    case "binary": return BinaryType;
    case "text": case "other": return StringType;
  }
}

/**
 * DECIMAL(p, s) as Spark's JDBC reader: precision and scale from the column (DECIMAL alone
 * is (10, 0) in MariaDB, arbitrary in PostgreSQL: then (38, 18) as Spark's default); wider
 * than 38 digits is bounded as Spark's DecimalType.bounded: DECIMAL(38, min(s, 38)), read
 * exactly where a value fits.
 */
export function decimalOfSql(dbType: string): DataType {
  const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(dbType);
  if (m === null) return /^\s*numeric\s*$/i.test(dbType) ? DecimalType(38, 18) : DecimalType(10, 0);
  const precision = Number(m[1]), scale = m[2] === undefined ? 0 : Number(m[2]);
  return DecimalType(Math.min(precision, MAX_DECIMAL_PRECISION), Math.min(scale, MAX_DECIMAL_PRECISION));
}

/** Which database type classes can hold values of a rivulet type (an existing table is checked against this). */
export function accepts(type: DataType, cls: SqlTypeClass): boolean {
  switch (type.kind) {
    case "byte": case "short": case "int": case "long": return cls === "integer" || cls === "bigint" || cls === "decimal" || cls === "float";
    case "float": case "double": return cls === "float" || cls === "decimal";
    case "decimal": return cls === "decimal" || cls === "float" || cls === "text";
    case "boolean": return cls === "boolean" || cls === "integer" || cls === "bigint";
    case "string": return cls === "text" || cls === "other";
    case "timestamp": case "timestamp_ntz": return cls === "timestamp" || cls === "text";
    case "interval_dt": case "interval_ym": case "interval": return cls === "text" || cls === "other";
    case "date": return cls === "date" || cls === "timestamp" || cls === "text";
    case "binary": return cls === "binary";
    case "array": case "map": case "struct": return cls === "text" || cls === "other";
    case "null": return true;
  }
}
