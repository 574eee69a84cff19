import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { coalesce, col, lit, when } from "../../src/api/functions.ts";

const spark = Session.builder().getOrCreate();
const codes = spark.createDataFrame([{ x: "01" }, { x: "1" }, { x: "a" }, { x: null }], "x STRING");

describe("a number met with a string, in the DataFrame forms (Spark's non-ANSI string promotion)", () => {
  test("isin(1, 'a') compares strings: '01' is not 1", async () => {
    const hits = await codes.select(col("x"), col("x").isin(1, "a").as("hit")).collect();
    expect(hits).toEqual([{ x: "01", hit: false }, { x: "1", hit: true }, { x: "a", hit: true }, { x: null, hit: null }]);
    expect((await codes.filter(col("x").isin(1, "a")).collect()).map((r) => r.x)).toEqual(["1", "a"]);
  });

  test("coalesce and when/otherwise of a number and a string are strings; a boolean with a string has no common type", async () => {
    const df = codes.select(
      coalesce(lit(null), lit(1), col("x")).as("c"),
      when(col("x").equalTo("a"), lit(1)).otherwise(lit("z")).as("w"),
    );
    expect(df.schema.simpleString()).toBe("struct<c:string,w:string>");
    expect(await df.collect()).toEqual([{ c: "1", w: "z" }, { c: "1", w: "z" }, { c: "1", w: "1" }, { c: "1", w: "z" }]);
    expect(() => codes.select(coalesce(lit(true), col("x")))).toThrow('[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "coalesce(true, x)"');
  });
});
