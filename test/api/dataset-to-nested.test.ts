import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { ArrayType, IntegerType, StructType } from "../../src/types/data-types.ts";

const spark = Session.builder().getOrCreate();

/** Spark 3.4's Dataset.to(schema) on nested types (Project.matchSchema's reconcileColumnType). */
describe("Dataset.to(schema) with structs, arrays and maps", () => {
  const df = spark.sql(`SELECT 1 AS id, named_struct('a', 1, 'b', 'x', 'c', named_struct('d', 2, 'e', 3)) AS s,
      array(named_struct('p', 1, 'q', 'u'), named_struct('p', 2, 'q', 'v')) AS arr, map('k', named_struct('m', 1, 'n', 2)) AS mp
    UNION ALL SELECT 2, NULL, NULL, NULL`);

  test("a struct's fields are reordered and narrowed by name (case-insensitively), deeply; a null struct stays null", async () => {
    const out = df.to("s STRUCT<C: STRUCT<e: BIGINT>, a: STRING>, id INT");
    expect(out.schema.simpleString()).toBe("struct<s:struct<C:struct<e:bigint>,a:string>,id:int>");
    expect(await out.orderBy("id").collect()).toEqual([{ s: { C: { e: 3 }, a: "1" }, id: 1 }, { s: null, id: 2 }]);
  });

  test("array elements and map values are reconciled in turn", async () => {
    const out = df.to("arr ARRAY<STRUCT<q: STRING>>, mp MAP<STRING, STRUCT<n: DOUBLE>>, id INT");
    expect(out.schema.simpleString()).toBe("struct<arr:array<struct<q:string>>,mp:map<string,struct<n:double>>,id:int>");
    const rows = await out.orderBy("id").collect();
    expect(rows[0]).toEqual({ arr: [{ q: "u" }, { q: "v" }], mp: new Map([["k", { n: 2 }]]), id: 1 });
    expect(rows[1]).toEqual({ arr: null, mp: null, id: 2 });
  });

  test("Spark's errors name the nested path", () => {
    expect(() => df.to("s STRUCT<zz: INT>")).toThrow(
      "[UNRESOLVED_FIELD.WITH_SUGGESTION] A field with name `zz` cannot be resolved with the struct-type column `s`. Did you mean one of the following? [`a`, `b`, `c`].");
    expect(() => df.to("s STRUCT<c: STRUCT<d: BINARY>>")).toThrow(
      '[INVALID_COLUMN_OR_FIELD_DATA_TYPE] Column or field `s`.`c`.`d` is of type "INT" while it\'s required to be "BINARY".');
    expect(() => df.to("s STRUCT<a: INT NOT NULL>")).toThrow(
      "[NULLABLE_COLUMN_OR_FIELD] Column or field `s`.`a` is nullable while it's required to be non-nullable.");
    expect(() => df.to("s STRUCT<c: INT>")).toThrow(
      '[INVALID_COLUMN_OR_FIELD_DATA_TYPE] Column or field `s`.`c` is of type "STRUCT<d: INT, e: INT>" while it\'s required to be "INT".');
    const withNulls = spark.sql("SELECT array(1, NULL) AS xs");
    expect(() => withNulls.to(new StructType([{ name: "xs", dataType: ArrayType(IntegerType, false), nullable: true }]))).toThrow(
      "[NULLABLE_ARRAY_OR_MAP_ELEMENT] Array or map at `xs` has nullable elements while it's required to be non-nullable.");
    const twice = spark.sql("SELECT named_struct('a', 1, 'A', 2) AS s");
    expect(() => twice.to("s STRUCT<a: INT>")).toThrow("[AMBIGUOUS_COLUMN_OR_FIELD] Column or field `s`.`a` is ambiguous and has 2 matches.");
  });
});
