import { assertNever } from "../common/errors.ts";
import { quoteIfNeeded } from "../common/identifiers.ts";

/**
 * rivulet's data types: Spark's SQL types that streaming jobs use. Values of every
 * type map to one Arrow type (see arrow-types.ts) and to one JS type at the API edge.
 */
export type DataType =
  | AtomicType
  | StructType
  | ArrayType
  | MapType;

export type AtomicType =
  | { readonly kind: "null" }
  | { readonly kind: "string" }
  | { readonly kind: "binary" }
  | { readonly kind: "boolean" }
  /** Spark's ByteType (TINYINT): 8-bit, wrapping as Java's byte in non-ANSI arithmetic. */
  | { readonly kind: "byte" }
  /** Spark's ShortType (SMALLINT): 16-bit. */
  | { readonly kind: "short" }
  | { readonly kind: "int" }
  | { readonly kind: "long" }
  /** Spark's FloatType (FLOAT, REAL): IEEE single precision (values held as Math.fround doubles). */
  | { readonly kind: "float" }
  | { readonly kind: "double" }
  | DecimalType
  /** Microseconds since the epoch, UTC (Spark's TimestampType). */
  | { readonly kind: "timestamp" }
  /** Days since the epoch (Spark's DateType). */
  | { readonly kind: "date" }
  /** A wall-clock time without zone, as µs since 1970-01-01T00:00 (Spark's TimestampNTZType). */
  | { readonly kind: "timestamp_ntz" }
  | DayTimeIntervalType
  | YearMonthIntervalType
  /** Spark's legacy CalendarIntervalType: {months, days, microseconds} (see columnar/intervals.ts). */
  | { readonly kind: "interval" };

/** DAY = 0, HOUR = 1, MINUTE = 2, SECOND = 3, as Spark's DayTimeIntervalType fields. */
export type DayTimeField = 0 | 1 | 2 | 3;
/** YEAR = 0, MONTH = 1, as Spark's YearMonthIntervalType fields. */
export type YearMonthField = 0 | 1;

/** An exact duration in µs (Spark's DayTimeIntervalType(startField, endField)). */
export interface DayTimeIntervalType {
  readonly kind: "interval_dt";
  readonly startField: DayTimeField;
  readonly endField: DayTimeField;
}

/** A number of months (Spark's YearMonthIntervalType(startField, endField)). */
export interface YearMonthIntervalType {
  readonly kind: "interval_ym";
  readonly startField: YearMonthField;
  readonly endField: YearMonthField;
}

/** Spark's DecimalType(precision, scale): an exact decimal of up to 38 digits, `scale` of them after the point. */
export interface DecimalType {
  readonly kind: "decimal";
  readonly precision: number;
  readonly scale: number;
}

/** Spark's maximum decimal precision. */
export const MAX_DECIMAL_PRECISION = 38;

export interface StructField {
  readonly name: string;
  readonly dataType: DataType;
  readonly nullable: boolean;
}

export class StructType {
  readonly kind = "struct" as const;
  readonly fields: readonly StructField[];

  constructor(fields: readonly StructField[] = []) {
    this.fields = Object.freeze(fields.map((f) => Object.freeze({ ...f })));
  }

  /** Spark's `StructType.add(name, type, nullable)`; returns a new struct. */
  add(name: string, dataType: DataType | string, nullable = true): StructType {
    const type = typeof dataType === "string" ? parseTypeName(dataType) : dataType;
    return new StructType([...this.fields, { name, dataType: type, nullable }]);
  }

  get fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  get length(): number {
    return this.fields.length;
  }

  fieldIndex(name: string): number {
    return this.fields.findIndex((f) => f.name === name);
  }

  simpleString(): string {
    return typeName(this);
  }

  toDDL(): string {
    return this.fields.map((f) => `${quoteIfNeeded(f.name)} ${ddlTypeName(f.dataType)}${f.nullable ? "" : " NOT NULL"}`).join(", ");
  }

  /** The tree `printSchema()` prints. */
  treeString(): string {
    const lines = ["root"];
    const element = (label: string, t: DataType, nullable: string, prefix: string): void => {
      lines.push(`${prefix}|-- ${label}: ${treeTypeName(t)}${nullable}`);
      nested(t, prefix + "|    ");
    };
    const nested = (t: DataType, prefix: string): void => {
      if (t.kind === "struct") walk(t.fields, prefix);
      else if (t.kind === "array") element("element", t.elementType, ` (containsNull = ${t.containsNull})`, prefix);
      else if (t.kind === "map") {
        element("key", t.keyType, "", prefix);
        element("value", t.valueType, ` (valueContainsNull = ${t.valueContainsNull})`, prefix);
      }
    };
    const walk = (fields: readonly StructField[], prefix: string): void => {
      for (const f of fields) {
        lines.push(`${prefix}|-- ${f.name}: ${treeTypeName(f.dataType)} (nullable = ${f.nullable})`);
        nested(f.dataType, prefix + "|    ");
      }
    };
    walk(this.fields, " ");
    return lines.join("\n") + "\n";
  }

  toString(): string {
    return `StructType(${this.fields.map((f) => `StructField(${f.name},${typeName(f.dataType)},${f.nullable})`).join(",")})`;
  }
}

export interface ArrayType {
  readonly kind: "array";
  readonly elementType: DataType;
  readonly containsNull: boolean;
}

export interface MapType {
  readonly kind: "map";
  readonly keyType: DataType;
  readonly valueType: DataType;
  readonly valueContainsNull: boolean;
}

export const NullType: DataType = Object.freeze({ kind: "null" });
export const StringType: DataType = Object.freeze({ kind: "string" });
export const BinaryType: DataType = Object.freeze({ kind: "binary" });
export const BooleanType: DataType = Object.freeze({ kind: "boolean" });
export const ByteType: DataType = Object.freeze({ kind: "byte" });
export const ShortType: DataType = Object.freeze({ kind: "short" });
export const IntegerType: DataType = Object.freeze({ kind: "int" });
export const LongType: DataType = Object.freeze({ kind: "long" });
export const FloatType: DataType = Object.freeze({ kind: "float" });
export const DoubleType: DataType = Object.freeze({ kind: "double" });
export const TimestampType: DataType = Object.freeze({ kind: "timestamp" });
export const DateType: DataType = Object.freeze({ kind: "date" });
export const TimestampNTZType: DataType = Object.freeze({ kind: "timestamp_ntz" });
export const CalendarIntervalType: DataType = Object.freeze({ kind: "interval" });

export const DAY_TIME_FIELDS = ["day", "hour", "minute", "second"] as const;
export const YEAR_MONTH_FIELDS = ["year", "month"] as const;

/** DayTimeIntervalType(start, end); DAY TO SECOND by default, as Spark's DayTimeIntervalType(). */
export function DayTimeIntervalType(startField: DayTimeField = 0, endField: DayTimeField = startField === 0 ? 3 : startField): DayTimeIntervalType {
  return Object.freeze({ kind: "interval_dt", startField, endField });
}

/** YearMonthIntervalType(start, end); YEAR TO MONTH by default. */
export function YearMonthIntervalType(startField: YearMonthField = 0, endField: YearMonthField = startField === 0 ? 1 : startField): YearMonthIntervalType {
  return Object.freeze({ kind: "interval_ym", startField, endField });
}

function intervalTypeName(fields: readonly string[], start: number, end: number): string {
  return start === end ? `interval ${fields[start]}` : `interval ${fields[start]} to ${fields[end]}`;
}

/** Whether `t` is one of Spark's ANSI interval types (AnsiIntervalType). */
export function isAnsiInterval(t: DataType): t is DayTimeIntervalType | YearMonthIntervalType {
  return t.kind === "interval_dt" || t.kind === "interval_ym";
}

/** TIMESTAMP (with local time zone) or TIMESTAMP_NTZ (Spark's AnyTimestampType). */
export function isAnyTimestamp(t: DataType): boolean {
  return t.kind === "timestamp" || t.kind === "timestamp_ntz";
}

/** DECIMAL(precision, scale); Spark's defaults are (10, 0). Out-of-range arguments are an AnalysisError at the caller (see ddl.ts). */
export function DecimalType(precision = 10, scale = 0): DecimalType {
  return Object.freeze({ kind: "decimal", precision, scale });
}

export function ArrayType(elementType: DataType, containsNull = true): ArrayType {
  return Object.freeze({ kind: "array", elementType, containsNull });
}

export function MapType(keyType: DataType, valueType: DataType, valueContainsNull = true): MapType {
  return Object.freeze({ kind: "map", keyType, valueType, valueContainsNull });
}

export function StructField(name: string, dataType: DataType, nullable = true): StructField {
  return Object.freeze({ name, dataType, nullable });
}

/** Spark's simpleString: "string", "bigint", "struct<start:timestamp,end:timestamp>". */
export function typeName(t: DataType): string {
  switch (t.kind) {
    case "null": return "void";
    case "string": return "string";
    case "binary": return "binary";
    case "boolean": return "boolean";
    case "byte": return "tinyint";
    case "short": return "smallint";
    case "int": return "int";
    case "long": return "bigint";
    case "float": return "float";
    case "double": return "double";
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "timestamp": return "timestamp";
    case "date": return "date";
    case "timestamp_ntz": return "timestamp_ntz";
    case "interval_dt": return intervalTypeName(DAY_TIME_FIELDS, t.startField, t.endField);
    case "interval_ym": return intervalTypeName(YEAR_MONTH_FIELDS, t.startField, t.endField);
    case "interval": return "interval";
    case "struct": return `struct<${t.fields.map((f) => `${quoteIfNeeded(f.name)}:${typeName(f.dataType)}`).join(",")}>`;
    case "array": return `array<${typeName(t.elementType)}>`;
    case "map": return `map<${typeName(t.keyType)},${typeName(t.valueType)}>`;
    default: return assertNever(t, "data type");
  }
}

/** The type as DDL writes it: keywords upper-case, field names as they are. */
export function ddlTypeName(t: DataType): string {
  switch (t.kind) {
    case "struct": return `STRUCT<${t.fields.map((f) => `${quoteIfNeeded(f.name)}: ${ddlTypeName(f.dataType)}`).join(", ")}>`;
    case "array": return `ARRAY<${ddlTypeName(t.elementType)}>`;
    case "map": return `MAP<${ddlTypeName(t.keyType)}, ${ddlTypeName(t.valueType)}>`;
    default: return typeName(t).toUpperCase();
  }
}

/** printSchema's names: "long" and "integer" as Spark prints them there. */
function treeTypeName(t: DataType): string {
  switch (t.kind) {
    case "long": return "long";
    case "int": return "integer";
    case "byte": return "byte";
    case "short": return "short";
    case "struct": return "struct";
    case "array": return "array";
    case "map": return "map";
    default: return typeName(t);
  }
}

export function isNumeric(t: DataType): boolean {
  switch (t.kind) {
    case "byte": case "short": case "int": case "long": case "float": case "double": case "decimal": return true;
    default: return false;
  }
}

/** TINYINT, SMALLINT, INT, BIGINT. */
export function isIntegral(t: DataType): boolean {
  return t.kind === "byte" || t.kind === "short" || t.kind === "int" || t.kind === "long";
}

/** FLOAT, DOUBLE. */
export function isFractional(t: DataType): boolean {
  return t.kind === "float" || t.kind === "double";
}

export function sameType(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "struct": {
      const bf = (b as StructType).fields;
      return a.fields.length === bf.length && a.fields.every((f, i) => f.name === bf[i]!.name && sameType(f.dataType, bf[i]!.dataType));
    }
    case "array": return sameType(a.elementType, (b as ArrayType).elementType);
    case "map": return sameType(a.keyType, (b as MapType).keyType) && sameType(a.valueType, (b as MapType).valueType);
    case "decimal": return a.precision === (b as DecimalType).precision && a.scale === (b as DecimalType).scale;
    case "interval_dt": case "interval_ym": {
      const o = b as DayTimeIntervalType | YearMonthIntervalType;
      return a.startField === o.startField && a.endField === o.endField;
    }
    default: return true;
  }
}

// Resolved lazily to avoid an import cycle with the DDL parser.
import { parseDataType as parseTypeName } from "./ddl.ts";
