import type { MessageInitShape } from "@bufbuild/protobuf";
import { AnalysisError, assertNever } from "../../common/errors.ts";
import { quoteIfNeeded } from "../../common/identifiers.ts";
import {
  ArrayType, BinaryType, BooleanType, ByteType, CalendarIntervalType, DateType, DayTimeIntervalType, DecimalType, DoubleType,
  FloatType, IntegerType, LongType, MapType, NullType, ShortType, StringType, StructField, StructType, TimestampNTZType,
  TimestampType, YearMonthIntervalType, ddlTypeName, type DataType, type DayTimeField, type YearMonthField,
} from "../../types/data-types.ts";
import type { DataTypeSchema } from "../gen/spark/connect/types_pb.ts";

type ProtoDataType = MessageInitShape<typeof DataTypeSchema>;

/** A rivulet DataType as Spark Connect's DataType message (what `cast(…)` sends, as Spark's client does). */
export function toProtoDataType(t: DataType): ProtoDataType {
  const kind = (k: string, value: Record<string, unknown> = {}): ProtoDataType => ({ kind: { case: k, value } as never });
  switch (t.kind) {
    case "null": return kind("null");
    // Spark 4.0's client names the collation of every string type (UTF8_BINARY is the default one).
    case "string": return kind("string", { collation: "UTF8_BINARY" });
    case "binary": return kind("binary");
    case "boolean": return kind("boolean");
    case "byte": return kind("byte");
    case "short": return kind("short");
    case "int": return kind("integer");
    case "long": return kind("long");
    case "float": return kind("float");
    case "double": return kind("double");
    case "timestamp": return kind("timestamp");
    case "date": return kind("date");
    case "timestamp_ntz": return kind("timestampNtz");
    case "interval": return kind("calendarInterval");
    case "interval_dt": return kind("dayTimeInterval", { startField: t.startField, endField: t.endField });
    case "interval_ym": return kind("yearMonthInterval", { startField: t.startField, endField: t.endField });
    case "decimal": return kind("decimal", { precision: t.precision, scale: t.scale });
    case "array": return kind("array", { elementType: toProtoDataType(t.elementType), containsNull: t.containsNull });
    case "map": return kind("map", { keyType: toProtoDataType(t.keyType), valueType: toProtoDataType(t.valueType), valueContainsNull: t.valueContainsNull });
    case "struct": return kind("struct", { fields: t.fields.map((f) => ({ name: f.name, dataType: toProtoDataType(f.dataType), nullable: f.nullable })) });
    default: return assertNever(t);
  }
}

/** Spark's JSON form of a type (`StructType.json`): what a LocalRelation's `schema` carries, as Spark's client sends it. */
export function sparkTypeJson(t: DataType): unknown {
  switch (t.kind) {
    case "null": return "void";
    case "int": return "integer";
    case "interval": return "interval";
    case "interval_dt": return `interval ${DAY_TIME[t.startField]}${t.startField === t.endField ? "" : ` to ${DAY_TIME[t.endField]}`}`;
    case "interval_ym": return `interval ${YEAR_MONTH[t.startField]}${t.startField === t.endField ? "" : ` to ${YEAR_MONTH[t.endField]}`}`;
    case "decimal": return `decimal(${t.precision},${t.scale})`;
    case "array": return { type: "array", elementType: sparkTypeJson(t.elementType), containsNull: t.containsNull };
    case "map": return { type: "map", keyType: sparkTypeJson(t.keyType), valueType: sparkTypeJson(t.valueType), valueContainsNull: t.valueContainsNull };
    case "struct": return { type: "struct", fields: t.fields.map((f) => ({ name: f.name, type: sparkTypeJson(f.dataType), nullable: f.nullable, metadata: {} })) };
    default: return t.kind;
  }
}

export function sparkSchemaJson(schema: StructType): string {
  return JSON.stringify(sparkTypeJson(schema));
}

const DAY_TIME = ["day", "hour", "minute", "second"] as const;
const YEAR_MONTH = ["year", "month"] as const;

/** Spark Connect's DataType (an AnalyzePlan schema) as rivulet's. */
export function fromProtoDataType(t: import("../gen/spark/connect/types_pb.ts").DataType): DataType {
  const k = t.kind;
  switch (k.case) {
    case "null": return NullType;
    case "binary": return BinaryType;
    case "boolean": return BooleanType;
    case "byte": return ByteType;
    case "short": return ShortType;
    case "integer": return IntegerType;
    case "long": return LongType;
    case "float": return FloatType;
    case "double": return DoubleType;
    case "decimal": return DecimalType(k.value.precision ?? 10, k.value.scale ?? 0);
    case "string": case "char": case "varChar": return StringType;
    case "date": return DateType;
    case "timestamp": return TimestampType;
    case "timestampNtz": return TimestampNTZType;
    case "calendarInterval": return CalendarIntervalType;
    case "dayTimeInterval": return DayTimeIntervalType((k.value.startField ?? 0) as DayTimeField, (k.value.endField ?? 3) as DayTimeField);
    case "yearMonthInterval": return YearMonthIntervalType((k.value.startField ?? 0) as YearMonthField, (k.value.endField ?? 1) as YearMonthField);
    case "array": return ArrayType(fromProtoDataType(k.value.elementType!), k.value.containsNull);
    case "map": return MapType(fromProtoDataType(k.value.keyType!), fromProtoDataType(k.value.valueType!), k.value.valueContainsNull);
    case "struct": return new StructType(k.value.fields.map((f) => StructField(f.name, fromProtoDataType(f.dataType!), f.nullable)));
    default: throw new AnalysisError(`Spark sent a ${k.case ?? "missing"} type, which rivulet does not read`);
  }
}

/** A StructType as Spark's `StructType.toDDL` writes it (what Spark's reader sends for a schema given as a StructType). */
export function sparkDdl(schema: StructType): string {
  return schema.fields.map((f) => `${quoteIfNeeded(f.name)} ${ddlTypeName(f.dataType)}${f.nullable ? "" : " NOT NULL"}`).join(",");
}
