import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("createDataFrame without a schema infers one, as PySpark's createDataFrame", () => {
  test("arrays with column names; arrays alone get _1, _2", async () => {
    const df = spark.createDataFrame([[1, "a"], [2, "b"]], ["id", "name"]);
    expect(df.dtypes).toEqual([["id", "bigint"], ["name", "string"]]);
    expect(await df.collect()).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    const unnamed = spark.createDataFrame([[1.5, true]]);
    expect(unnamed.dtypes).toEqual([["_1", "double"], ["_2", "boolean"]]);
    // Fewer names than columns: the rest keep _N.
    expect(spark.createDataFrame([[1, "a"]], ["id"]).columns).toEqual(["id", "_2"]);
    const filtered = await spark.createDataFrame([[1, "a"], [2, "b"]], ["id", "name"]).filter("id > 1").selectExpr("upper(name) AS n").collect();
    expect(filtered).toEqual([{ n: "B" }]);
  });

  test("objects: columns in the order first seen, nulls and missing keys, nested objects, arrays, maps, dates", async () => {
    const t = new Date("2024-01-02T03:04:05.000Z");
    const df = spark.createDataFrame([
      { id: 1, name: "a", tags: ["x"], at: t, point: { x: 1, y: 2.5 }, attrs: new Map([["k", 1]]) },
      { id: 2, name: null, tags: [], extra: true },
    ]);
    expect(df.dtypes).toEqual([
      ["id", "bigint"], ["name", "string"], ["tags", "array<string>"], ["at", "timestamp"],
      ["point", "struct<x:bigint,y:double>"], ["attrs", "map<string,bigint>"], ["extra", "boolean"],
    ]);
    const rows = await df.select("id", "name", "tags", "at", "point.y", "extra").collect();
    expect(rows).toEqual([
      { id: 1, name: "a", tags: ["x"], at: t, y: 2.5, extra: null },
      { id: 2, name: null, tags: [], at: null, y: null, extra: true },
    ]);
    expect(await spark.createDataFrame([{ v: 1 }, { v: 2.5 }]).selectExpr("sum(v) AS s").collect()).toEqual([{ s: 3.5 }]);
  });

  test("what cannot be inferred fails with PySpark's error classes", () => {
    expect(() => spark.createDataFrame([{ id: 1, v: null }, { id: 2, v: null }])).toThrow(
      "[CANNOT_DETERMINE_TYPE] Some of types cannot be determined after inferring.",
    );
    expect(() => spark.createDataFrame([{ a: [] }])).toThrow("[CANNOT_DETERMINE_TYPE]");
    expect(() => spark.createDataFrame([])).toThrow("[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema from an empty dataset.");
    expect(() => spark.createDataFrame([1, 2])).toThrow("[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: `number`.");
    expect(() => spark.createDataFrame([{ v: 1 }, { v: "x" }])).toThrow("[CANNOT_MERGE_TYPE] Can not merge type `LongType` and `StringType`.");
    expect(() => spark.createDataFrame([{ f: () => 1 }])).toThrow("[CANNOT_INFER_TYPE_FOR_FIELD] Unable to infer the type of the field `f`.");
    expect(() => spark.createDataFrame([[1]], ["a", "b"])).toThrow("[LENGTH_SHOULD_BE_THE_SAME]");
  });

  test("an explicit schema is used as before", async () => {
    const df = spark.createDataFrame([{ id: 1 }], "id INT");
    expect(df.dtypes).toEqual([["id", "int"]]);
    expect(await spark.createDataFrame([{ id: null }], "id INT").collect()).toEqual([{ id: null }]);
  });
});
