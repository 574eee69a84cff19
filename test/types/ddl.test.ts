import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/common/errors.ts";
import {
  ByteType, DecimalType, FloatType, ShortType,
  ArrayType, BooleanType, DateType, DoubleType, IntegerType, LongType, MapType, NullType, StringType, StructType,
  TimestampType, TimestampNTZType, BinaryType, type DataType,
} from "../../src/types/data-types.ts";
import { parseDataType, parseSchema } from "../../src/types/ddl.ts";

function parseError(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error("expected a ParseError");
}

const fields = (s: StructType): [string, DataType, boolean][] => s.fields.map((f) => [f.name, f.dataType, f.nullable]);

describe("parseSchema", () => {
  it("parses a simple comma-separated column list, all columns nullable", () => {
    expect(fields(parseSchema("time TIMESTAMP, action STRING, bytes BIGINT"))).toEqual([
      ["time", TimestampType, true],
      ["action", StringType, true],
      ["bytes", LongType, true],
    ]);
  });

  it("accepts Spark's type aliases, case-insensitively", () => {
    const s = parseSchema("a INTEGER, b int, c BIGINT, d long, e FLOAT, f double, g REAL, h DECIMAL(10, 2), i VARCHAR(20), j boolean, k BOOL, l date, m binary, n SMALLINT, o TINYINT, p void");
    expect(s.fields.map((f) => f.dataType)).toEqual([
      IntegerType, IntegerType, LongType, LongType, FloatType, DoubleType, FloatType, DecimalType(10, 2), StringType,
      BooleanType, BooleanType, DateType, BinaryType, ShortType, ByteType, NullType,
    ]);
  });

  it("parses nested struct, array and map types, with or without a colon after field names", () => {
    const s = parseSchema("s STRUCT<a: INT, b: ARRAY<STRING>>, m MAP<STRING, ARRAY<BIGINT>>, t struct<x int>");
    expect(fields(s)).toEqual([
      ["s", new StructType([
        { name: "a", dataType: IntegerType, nullable: true },
        { name: "b", dataType: ArrayType(StringType), nullable: true },
      ]), true],
      ["m", MapType(StringType, ArrayType(LongType)), true],
      ["t", new StructType([{ name: "x", dataType: IntegerType, nullable: true }]), true],
    ]);
  });

  it("accepts a whole schema written as struct<...>", () => {
    expect(fields(parseSchema("struct<a:int,b:string>"))).toEqual([["a", IntegerType, true], ["b", StringType, true]]);
  });

  it("accepts 'name: type' at the top level too", () => {
    expect(fields(parseSchema("a: INT, b: STRING"))).toEqual([["a", IntegerType, true], ["b", StringType, true]]);
  });

  it("reads backquoted names with spaces, dots and doubled backquotes", () => {
    expect(parseSchema("`user id` STRING, `a.b` INT, `x``y` LONG").fieldNames).toEqual(["user id", "a.b", "x`y"]);
  });

  it("NOT NULL makes a column non-nullable; COMMENT is accepted and ignored", () => {
    expect(fields(parseSchema("id BIGINT NOT NULL COMMENT 'the key', name STRING COMMENT \"who\", s STRUCT<a: INT NOT NULL>"))).toEqual([
      ["id", LongType, false],
      ["name", StringType, true],
      ["s", new StructType([{ name: "a", dataType: IntegerType, nullable: false }]), true],
    ]);
  });

  it("rejects an unknown type with the position of the type name", () => {
    const e = parseError(() => parseSchema("a INT, b FOO"));
    expect(e.message).toContain('[UNSUPPORTED_DATATYPE] Unsupported data type "FOO".');
    expect([e.line, e.column]).toEqual([1, 10]);
  });

  it("reports the line and column of an error on a later line", () => {
    const e = parseError(() => parseSchema("a INT,\n  b STRNG"));
    expect(e.message).toContain('[UNSUPPORTED_DATATYPE] Unsupported data type "STRNG".');
    expect([e.line, e.column]).toEqual([2, 5]);
  });

  it("rejects a missing comma between columns", () => {
    const e = parseError(() => parseSchema("a INT b STRING"));
    expect(e.message).toContain("[PARSE_SYNTAX_ERROR] Syntax error at or near 'b'.");
    expect([e.line, e.column]).toEqual([1, 7]);
  });

  it("rejects duplicate columns, case-insensitively", () => {
    const e = parseError(() => parseSchema("a INT, A STRING"));
    expect(e.message).toContain("duplicate column 'A'");
  });

  it("rejects an unterminated backquoted name", () => {
    const e = parseError(() => parseSchema("`abc INT"));
    expect(e.message).toContain("unterminated backquoted name");
  });

  it("rejects an empty schema and an unclosed type", () => {
    expect(parseError(() => parseSchema("   ")).message).toContain("empty schema");
    expect(parseError(() => parseSchema("a ARRAY<INT")).message).toContain("[PARSE_SYNTAX_ERROR] Syntax error at or near end of input.");
    expect(parseError(() => parseSchema("a MAP<STRING>")).message).toContain("[PARSE_SYNTAX_ERROR] Syntax error at or near '>'.");
    expect(parseError(() => parseSchema("a INT NOT")).message).toContain("expected NULL after NOT");
  });
});

describe("parseDataType", () => {
  it("parses one type name as cast() takes it", () => {
    expect(parseDataType("bigint")).toEqual(LongType);
    expect(parseDataType("  INT ")).toEqual(IntegerType);
    expect(parseDataType("array<int>")).toEqual(ArrayType(IntegerType));
    expect(parseDataType("map<string,double>")).toEqual(MapType(StringType, DoubleType));
    expect(parseDataType("struct<start:timestamp,end:timestamp>")).toEqual(new StructType([
      { name: "start", dataType: TimestampType, nullable: true },
      { name: "end", dataType: TimestampType, nullable: true },
    ]));
    expect(parseDataType("timestamp_ntz")).toEqual(TimestampNTZType);
    expect(parseDataType("timestamp_ltz")).toEqual(TimestampType);
  });

  it("rejects trailing text and unknown names", () => {
    expect(parseError(() => parseDataType("int int")).message).toContain("unexpected 'int' after the type");
    const e = parseError(() => parseDataType("uuid"));
    expect(e.message).toBe("[UNSUPPORTED_DATATYPE] Unsupported data type \"UUID\". in schema 'uuid' (line 1, column 1)");
  });
});
