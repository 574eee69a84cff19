import * as arrow from "apache-arrow";
import { assertNever } from "../common/errors.ts";
import {
  ArrayType, BinaryType, BooleanType, ByteType, DateType, DecimalType, DoubleType, FloatType, IntegerType, LongType, MapType,
  MAX_DECIMAL_PRECISION, ShortType,
  NullType, StringType, StructType, TimestampType, TimestampNTZType, DayTimeIntervalType, YearMonthIntervalType,
  type DataType,
} from "./data-types.ts";
import { ConnectorError } from "../common/errors.ts";

/**
 * The one mapping between rivulet types and Arrow types. Strings are dictionary-encoded
 * (int32 codes) throughout the engine; timestamps are microseconds in UTC, as in Spark.
 */
export function toArrowType(t: DataType): arrow.DataType {
  switch (t.kind) {
    case "null": return new arrow.Null();
    case "string": return new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    case "binary": return new arrow.Binary();
    case "boolean": return new arrow.Bool();
    case "byte": return new arrow.Int8();
    case "short": return new arrow.Int16();
    case "int": return new arrow.Int32();
    case "long": return new arrow.Int64();
    case "float": return new arrow.Float32();
    case "double": return new arrow.Float64();
    case "decimal": return new arrow.Decimal(t.scale, t.precision, 128);
    case "timestamp": return new arrow.TimestampMicrosecond("UTC");
    case "date": return new arrow.DateDay();
    // Spark's Arrow mapping: TIMESTAMP_NTZ is a timestamp without zone, day-time intervals are durations.
    case "timestamp_ntz": return new arrow.TimestampMicrosecond();
    case "interval_dt": return new arrow.Duration(arrow.TimeUnit.MICROSECOND);
    case "interval_ym": return new arrow.IntervalYearMonth();
    case "interval": return new arrow.Utf8();
    case "struct": return new arrow.Struct(t.fields.map((f) => new arrow.Field(f.name, toArrowType(f.dataType), f.nullable)));
    case "array": return new arrow.List(new arrow.Field("element", toArrowType(t.elementType), t.containsNull));
    case "map":
      return new arrow.Map_(new arrow.Field("entries", new arrow.Struct<any>([
        new arrow.Field("key", toArrowType(t.keyType), false),
        new arrow.Field("value", toArrowType(t.valueType), t.valueContainsNull),
      ]), false) as any);
    default: return assertNever(t, "data type");
  }
}

export function toArrowSchema(schema: StructType): arrow.Schema {
  return new arrow.Schema(schema.fields.map((f) => new arrow.Field(f.name, toArrowType(f.dataType), f.nullable)));
}

/** Maps an Arrow type (from a batch a user hands in) to the rivulet type that holds it. */
export function fromArrowType(t: arrow.DataType): DataType {
  const T = arrow.Type;
  switch (t.typeId) {
    case T.Null: return NullType;
    case T.Utf8: case T.LargeUtf8: return StringType;
    case T.Binary: case T.LargeBinary: case T.FixedSizeBinary: return BinaryType;
    case T.Bool: return BooleanType;
    case T.Int: {
      const it = t as arrow.Int;
      if (it.bitWidth === 8) return it.isSigned ? ByteType : ShortType;
      if (it.bitWidth === 16) return it.isSigned ? ShortType : IntegerType;
      // An unsigned 64-bit integer reaches 2^64−1, past BIGINT: DECIMAL(20,0), as Spark reads Parquet's UINT_64 (SPARK-34817).
      if (it.bitWidth === 64 && !it.isSigned) return DecimalType(20, 0);
      return it.bitWidth === 64 || (it.bitWidth === 32 && !it.isSigned) ? LongType : IntegerType;
    }
    case T.Float: return (t as arrow.Float).precision === arrow.Precision.DOUBLE ? DoubleType : FloatType;
    case T.Decimal: {
      const d = t as arrow.Decimal;
      // Decimal256 values beyond 38 digits do not fit Spark's decimal: they are read as doubles.
      return d.precision <= MAX_DECIMAL_PRECISION && d.bitWidth === 128 ? DecimalType(d.precision, d.scale) : DoubleType;
    }
    case T.Timestamp: return (t as arrow.Timestamp).timezone ? TimestampType : TimestampNTZType;
    case T.Duration: return DayTimeIntervalType();
    case T.Interval:
      if ((t as arrow.Interval).unit === arrow.IntervalUnit.YEAR_MONTH) return YearMonthIntervalType();
      throw new ConnectorError(`Arrow type ${String(t)} has no rivulet equivalent`);
    case T.Date: return DateType;
    case T.Dictionary: return fromArrowType((t as arrow.Dictionary).dictionary);
    case T.Struct: return new StructType((t as arrow.Struct).children.map((f) => ({ name: f.name, dataType: fromArrowType(f.type), nullable: f.nullable })));
    case T.List: case T.FixedSizeList: return ArrayType(fromArrowType((t as arrow.List).children[0]!.type));
    case T.Map: {
      const entries = (t as arrow.Map_).children[0]!.type as arrow.Struct;
      return MapType(fromArrowType(entries.children[0]!.type), fromArrowType(entries.children[1]!.type));
    }
    default: throw new ConnectorError(`Arrow type ${String(t)} has no rivulet equivalent`);
  }
}

export function fromArrowSchema(schema: arrow.Schema): StructType {
  return new StructType(schema.fields.map((f) => ({ name: f.name, dataType: fromArrowType(f.type), nullable: f.nullable })));
}
