import {
  ArrayType, BinaryType, BooleanType, DateType, DecimalType, DoubleType, FloatType, IntegerType, LongType, MAX_DECIMAL_PRECISION,
  ShortType, StringType, TimestampNTZType, TimestampType, type DataType,
} from "../../types/data-types.ts";
import type { DbColumn } from "./jdbc-dialect.ts";
import { driverValue, UnreadableValue, type ReadColumn, type ReadTypeOptions } from "./read-values.ts";

/**
 * PostgreSQL columns as Spark's PostgresDialect reads them. The pool hands over every
 * value as PostgreSQL's text except numbers, booleans and bytea (see postgres-dialect.ts),
 * so timestamptz is read from its `+00` offset, json/jsonb keep their exact text, and an
 * array is parsed here from its `{…}` literal.
 *
 * The type is named as in pg_type (`int4`, `timestamptz`, `_text` for text[], `bit(3)`,
 * `numeric(8,2)`): describeTable's `typeName`.
 */
export function postgresReadColumn(column: DbColumn, options: ReadTypeOptions): ReadColumn {
  const name = column.typeName ?? column.dbType;
  if (name.startsWith("_")) {
    const element = elementType(name.slice(1));
    if (element === null) return { unsupported: `${name.slice(1)}[]` };
    const convert = scalarValue(element, name.slice(1));
    return { type: ArrayType(element), convert: (v) => (v === null || v === undefined ? null : parseArrayLiteral(String(v)).map((e) => (e === null ? null : convert(e)))) };
  }
  const type = scalarType(name, options);
  return { type, convert: scalarValue(type, name) };
}

/** A scalar column's type: Spark maps every type its driver calls OTHER (json, uuid, inet, interval, enums, ranges…) to STRING. */
function scalarType(name: string, options: ReadTypeOptions): DataType {
  const base = name.replace(/\(.*$/, "");
  switch (base) {
    case "bit": return /^bit\(1\)$/.test(name) ? BooleanType : BinaryType;
    case "timestamp": case "time": return options.preferTimestampNTZ ? TimestampNTZType : TimestampType;
    case "money": return StringType; // SPARK-34333: the driver cannot read it as a number
    default: return elementType(name) ?? StringType;
  }
}

/** An array element's type (Spark's PostgresDialect.toCatalystType); null for those it cannot read (money[], user types). */
function elementType(name: string): DataType | null {
  const base = name.replace(/\(.*$/, "");
  switch (base) {
    case "bool": return BooleanType;
    case "bit": return BinaryType;
    case "int2": return ShortType;
    case "int4": return IntegerType;
    case "int8": case "oid": return LongType;
    case "float4": return FloatType;
    case "float8": return DoubleType;
    case "text": case "varchar": case "char": case "bpchar": case "name": case "cidr": case "inet": case "json": case "jsonb": case "uuid":
    case "xml": case "tsvector": case "tsquery": case "macaddr": case "macaddr8": case "txid_snapshot": case "point": case "line":
    case "lseg": case "box": case "path": case "polygon": case "circle": case "pg_lsn": case "varbit": case "interval": case "pg_snapshot":
      return StringType;
    case "bytea": return BinaryType;
    case "timestamp": case "timestamptz": case "time": case "timetz": return TimestampType;
    case "date": return DateType;
    case "numeric": case "decimal": {
      const m = /\((\d+),(\d+)\)/.exec(name);
      if (m === null) return DecimalType(MAX_DECIMAL_PRECISION, 18); // numeric without precision: Spark's system default
      const precision = Number(m[1]), scale = Number(m[2]);
      return DecimalType(Math.min(precision, MAX_DECIMAL_PRECISION), Math.min(scale, MAX_DECIMAL_PRECISION));
    }
    default: return null;
  }
}

/** A value of pg type `name` (its text, or what pg parsed) → what rowsToBatch takes for `type`. */
function scalarValue(type: DataType, name: string): (v: unknown) => unknown {
  const base = name.replace(/\(.*$/, "");
  const parsed = driverValue(type);
  switch (type.kind) {
    case "timestamp": case "timestamp_ntz": {
      const zoned = base === "timestamptz" || base === "timetz";
      const onEpochDay = base === "time" || base === "timetz";
      return (v) => (typeof v === "string" ? timestampText(onEpochDay ? `1970-01-01 ${v}` : v, zoned) : parsed(v));
    }
    case "date": return (v) => (typeof v === "string" ? finiteText(v) : parsed(v));
    case "binary":
      // bytea inside an array literal is its hex text; bit(n) is read as the bytes of its text, as the JDBC driver's getBytes.
      return (v) => (typeof v !== "string" ? parsed(v) : base === "bytea" ? hexBytes(v) : new TextEncoder().encode(v));
    case "boolean": return (v) => (typeof v === "string" ? v === "t" || v === "1" || v === "true" : parsed(v));
    default: return parsed;
  }
}

/** PostgreSQL's timestamp text → text rivulet parses: `+HH` offsets get their minutes; infinity and BC dates are refused. */
function timestampText(text: string, zoned: boolean): string {
  finiteText(text);
  if (!zoned) return text;
  const m = /([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(text);
  if (m === null) throw new UnreadableValue(`'${text}' has no time zone offset`);
  if (m[4] !== undefined && m[4] !== "00") throw new UnreadableValue(`'${text}' has an offset with seconds`);
  return `${text.slice(0, m.index)}${m[1]}${m[2]}:${m[3] ?? "00"}`;
}

function finiteText(text: string): string {
  if (/infinity|BC$/i.test(text)) throw new UnreadableValue(`'${text}' is not a date rivulet can hold`);
  return text;
}

function hexBytes(text: string): Uint8Array {
  if (!text.startsWith("\\x")) throw new UnreadableValue(`bytea '${text.slice(0, 20)}' is not in hex form (bytea_output = hex)`);
  return Buffer.from(text.slice(2), "hex");
}

/**
 * A one-dimensional array literal (`{1,NULL,"a,b","q\"x"}`, optionally `[0:2]={…}`) → its
 * elements' text, null for NULL. Arrays of arrays are refused: Spark's ArrayType from the
 * dialect has one level.
 */
export function parseArrayLiteral(text: string): (string | null)[] {
  const s = text.replace(/^\[[^\]]*\]=/, "");
  if (s[0] !== "{" || s[s.length - 1] !== "}") throw new UnreadableValue(`'${text.slice(0, 40)}' is not an array literal`);
  const out: (string | null)[] = [];
  let i = 1;
  if (s[i] === "}") return out;
  while (i < s.length) {
    if (s[i] === "{") throw new UnreadableValue(`multi-dimensional array '${text.slice(0, 40)}' cannot be read as a one-level ARRAY`);
    let value = "";
    let quoted = false;
    if (s[i] === '"') {
      quoted = true;
      for (i++; s[i] !== '"'; i++) {
        if (i >= s.length) throw new UnreadableValue(`unterminated array literal '${text.slice(0, 40)}'`);
        if (s[i] === "\\") i++;
        value += s[i];
      }
      i++;
    } else {
      while (s[i] !== "," && s[i] !== "}") value += s[i++];
    }
    out.push(!quoted && value === "NULL" ? null : value);
    i++; // the comma, or the closing brace
  }
  return out;
}
