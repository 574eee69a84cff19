import { describe, expect, test } from "vitest";
import { ArrayType, IntegerType, MapType, Session, StringType, StructType, col, from_json } from "../../../src/index.ts";

/** from_json with any DDL type (Spark's DataType.fromDDL): ARRAY and MAP roots as JacksonParser's root converters. */
const spark = Session.builder().appName("from-json-array-map").getOrCreate();
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Map ? Object.fromEntries(x) : x)));
const one = async (q: string): Promise<unknown> => plain((await spark.sql(q).collect())[0]);

describe("from_json with an ARRAY or MAP schema", () => {
  test("arrays of structs and of scalars, maps", async () => {
    expect(await one(`SELECT from_json('[{"a": 1}, {"a": 2}]', 'ARRAY<STRUCT<a: INT>>') AS s, from_json('[1, 2, null]', 'ARRAY<INT>') AS i,
      from_json('{"a": 1, "b": 2}', 'MAP<STRING, INT>') AS m, from_json('{"a": [1, 2]}', 'MAP<STRING, ARRAY<BIGINT>>') AS ma,
      from_json('[[1], []]', 'array<array<int>>') AS nested`))
      .toEqual({ s: [{ a: 1 }, { a: 2 }], i: [1, 2, null], m: { a: 1, b: 2 }, ma: { a: [1, 2] }, nested: [[1], []] });
  });

  test("one object with an array-of-structs schema is a one-element array", async () => {
    expect(await one(`SELECT from_json('{"a": 5}', 'ARRAY<STRUCT<a: INT>>') AS r`)).toEqual({ r: [{ a: 5 }] });
  });

  test("PERMISSIVE: malformed text, the other kind of value, or an element that does not fit is NULL", async () => {
    expect(await one(`SELECT from_json('[1, 2', 'ARRAY<INT>') a, from_json('{"a": 1}', 'ARRAY<INT>') b, from_json('[1, "x"]', 'ARRAY<INT>') c,
      from_json('[1]', 'MAP<STRING, INT>') d, from_json('{"a": "x"}', 'MAP<STRING, INT>') e, from_json(CAST(NULL AS STRING), 'ARRAY<INT>') f,
      from_json('3', 'ARRAY<INT>') g`))
      .toEqual({ a: null, b: null, c: null, d: null, e: null, f: null, g: null });
  });

  test("FAILFAST fails on such a record", async () => {
    await expect(spark.sql(`SELECT from_json('[1, "x"]', 'ARRAY<INT>', map('mode', 'FAILFAST')) AS r`).collect()).rejects.toThrow(/MALFORMED_RECORD_IN_PARSING/);
  });

  test("a schema that is neither a struct, an array nor a map is Spark's INVALID_JSON_SCHEMA; field lists still work", async () => {
    expect(() => spark.sql(`SELECT from_json('1', 'INT')`)).toThrow(/^\[DATATYPE_MISMATCH\.INVALID_JSON_SCHEMA\] .*Input schema "INT" must be a struct, an array or a map\./);
    expect(await one(`SELECT from_json('{"array": [1]}', 'array ARRAY<INT>') AS r`)).toEqual({ r: { array: [1] } });
    expect(() => spark.sql(`SELECT from_json('1', 'ARRAY<INT')`)).toThrow(/INVALID_SCHEMA\.PARSE_ERROR/);
  });

  test("the DataFrame form takes the DDL or the type", async () => {
    const df = spark.createDataFrame([{ j: '[{"a": 1}, {"a": 2}]' }, { j: "oops" }], "j STRING");
    const arrayOfStructs = ArrayType(new StructType([{ name: "a", dataType: IntegerType, nullable: true }]));
    expect(plain(await df.select(from_json(col("j"), arrayOfStructs).as("r"), from_json(col("j"), "ARRAY<STRUCT<a: INT>>").as("s")).collect()))
      .toEqual([{ r: [{ a: 1 }, { a: 2 }], s: [{ a: 1 }, { a: 2 }] }, { r: null, s: null }]);
    const m = spark.createDataFrame([{ j: '{"x": 1}' }], "j STRING").select(from_json(col("j"), MapType(StringType, IntegerType)).as("m"));
    expect(plain(await m.collect())).toEqual([{ m: { x: 1 } }]);
  });
});
