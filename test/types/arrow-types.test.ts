import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { ConnectorError } from "../../src/common/errors.ts";
import {
  ArrayType, ByteType, DecimalType, FloatType, ShortType, BinaryType, BooleanType, DateType, DoubleType, IntegerType, LongType, MapType, NullType, StringType,
  StructType, TimestampType, TimestampNTZType, sameType,
} from "../../src/types/data-types.ts";
import { fromArrowSchema, fromArrowType, toArrowSchema, toArrowType } from "../../src/types/arrow-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";

describe("toArrowType", () => {
  it("maps each atomic type to the engine's Arrow type", () => {
    expect(String(toArrowType(StringType))).toBe("Dictionary<Int32, Utf8>");
    expect(toArrowType(IntegerType)).toBeInstanceOf(arrow.Int32);
    expect(toArrowType(LongType)).toBeInstanceOf(arrow.Int64);
    expect(toArrowType(DoubleType)).toBeInstanceOf(arrow.Float64);
    expect(toArrowType(BooleanType)).toBeInstanceOf(arrow.Bool);
    expect(toArrowType(BinaryType)).toBeInstanceOf(arrow.Binary);
    expect(toArrowType(NullType)).toBeInstanceOf(arrow.Null);
    expect(toArrowType(DateType)).toBeInstanceOf(arrow.DateDay);
    const ts = toArrowType(TimestampType) as arrow.Timestamp;
    expect(ts.typeId).toBe(arrow.Type.Timestamp);
    expect(ts.unit).toBe(arrow.TimeUnit.MICROSECOND);
    expect(ts.timezone).toBe("UTC");
  });

  it("maps nested types with their children's names and nullability", () => {
    const s = toArrowType(parseSchema("a INT NOT NULL, b ARRAY<STRING>").fields[1]!.dataType) as arrow.List;
    expect(s.typeId).toBe(arrow.Type.List);
    expect(s.children[0]!.name).toBe("element");
    const struct = toArrowType(new StructType([{ name: "x", dataType: LongType, nullable: false }])) as arrow.Struct;
    expect(struct.children.map((f) => [f.name, f.nullable, f.type.typeId])).toEqual([["x", false, arrow.Type.Int]]);
    const map = toArrowType(MapType(StringType, DoubleType)) as arrow.Map_;
    expect(map.typeId).toBe(arrow.Type.Map);
  });

  it("toArrowSchema keeps names and nullability", () => {
    const schema = toArrowSchema(parseSchema("id BIGINT NOT NULL, name STRING"));
    expect(schema.fields.map((f) => [f.name, f.nullable])).toEqual([["id", false], ["name", true]]);
  });
});

describe("fromArrowType", () => {
  it("maps Arrow types users hand in to the rivulet type that holds them", () => {
    expect(fromArrowType(new arrow.Utf8())).toEqual(StringType);
    expect(fromArrowType(new arrow.LargeUtf8())).toEqual(StringType);
    expect(fromArrowType(new arrow.Dictionary(new arrow.Utf8(), new arrow.Int16()))).toEqual(StringType);
    expect(fromArrowType(new arrow.Int8())).toEqual(ByteType);
    expect(fromArrowType(new arrow.Int16())).toEqual(ShortType);
    expect(fromArrowType(new arrow.Uint8())).toEqual(ShortType);
    expect(fromArrowType(new arrow.Int32())).toEqual(IntegerType);
    expect(fromArrowType(new arrow.Uint16())).toEqual(IntegerType);
    expect(fromArrowType(new arrow.Uint32())).toEqual(LongType);
    expect(fromArrowType(new arrow.Int64())).toEqual(LongType);
    expect(fromArrowType(new arrow.Float32())).toEqual(FloatType);
    expect(fromArrowType(new arrow.Decimal(10, 38, 128))).toEqual(DecimalType(38, 10));
    expect(fromArrowType(new arrow.Float64())).toEqual(DoubleType);
    // Without a zone, an Arrow timestamp is a wall time: TIMESTAMP_NTZ, as Spark maps it.
    expect(fromArrowType(new arrow.TimestampMillisecond())).toEqual(TimestampNTZType);
    expect(fromArrowType(new arrow.TimestampNanosecond("UTC"))).toEqual(TimestampType);
    expect(fromArrowType(new arrow.DateMillisecond())).toEqual(DateType);
    expect(fromArrowType(new arrow.Bool())).toEqual(BooleanType);
    expect(fromArrowType(new arrow.Binary())).toEqual(BinaryType);
    expect(fromArrowType(new arrow.List(new arrow.Field("item", new arrow.Int64())))).toEqual(ArrayType(LongType));
  });

  it("round-trips every rivulet type through Arrow", () => {
    const schema = parseSchema(
      "s STRING, b BINARY, ok BOOLEAN, i INT NOT NULL, l BIGINT, d DOUBLE, t TIMESTAMP, day DATE, " +
      "st STRUCT<a: INT, b: STRING>, arr ARRAY<BIGINT>, m MAP<STRING, DOUBLE>, y TINYINT, sh SMALLINT, f FLOAT, dec DECIMAL(38,10)",
    );
    const back = fromArrowSchema(toArrowSchema(schema));
    expect(sameType(back, schema)).toBe(true);
    expect(back.fieldNames).toEqual(schema.fieldNames);
    expect(back.fields.map((f) => f.nullable)).toEqual(schema.fields.map((f) => f.nullable));
  });

  it("rejects Arrow types with no rivulet equivalent", () => {
    expect(() => fromArrowType(new arrow.IntervalDayTime())).toThrow(ConnectorError);
    expect(() => fromArrowType(new arrow.IntervalDayTime())).toThrow(/has no rivulet equivalent/);
  });
});
