import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { col } from "../../src/api/functions.ts";

const spark = Session.builder().getOrCreate();
const df = spark.createDataFrame([{ id: 1, v: "a" }, { id: 2, v: "b" }, { id: 3, v: "c" }], "id INT, v STRING");
const df2 = df.filter(col("id").gt(1));
const AMBIGUOUS = "[AMBIGUOUS_COLUMN_REFERENCE] Column `id` is ambiguous. It's because you joined several DataFrame together";

/** The rows by position (a self-join's columns share names, which row objects cannot hold). */
async function positional(d: { toArrow(): Promise<import("apache-arrow").Table> }): Promise<unknown[][]> {
  const table = await d.toArrow();
  return Array.from({ length: table.numRows }, (_, r) => table.schema.fields.map((_, c) => table.getChildAt(c)!.get(r)));
}

describe("self-joins in the DataFrame API (Spark's Dataset.join and DetectAmbiguousSelfJoin)", () => {
  test("df.join(df, df(\"id\") === df(\"id\")) joins the left side's id with the right side's (SPARK-6231)", async () => {
    expect(await positional(df.join(df, df.col("id").equalTo(df.col("id"))))).toEqual([[1, "a", 1, "a"], [2, "b", 2, "b"], [3, "c", 3, "c"]]);
    expect(await df.join(df, df.col("id").eqNullSafe(df.col("id"))).count()).toBe(3);
  });

  test("with a frame derived from df, df(\"id\") === df2(\"id\") is the same column on both sides too, either way round", async () => {
    expect(await positional(df.join(df2, df.col("id").equalTo(df2.col("id"))))).toEqual([[2, "b", 2, "b"], [3, "c", 3, "c"]]);
    const outer = await positional(df.join(df2, df2.col("id").equalTo(df.col("id")), "left_outer"));
    expect(outer.sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([[1, "a", null, null], [2, "b", 2, "b"], [3, "c", 3, "c"]]);
    // df2's columns are only on the right: they are read there.
    expect(await df.join(df2, df.col("id").equalTo(df2.col("id"))).select(df2.col("v")).collect()).toEqual([{ v: "b" }, { v: "c" }]);
  });

  test("in a direct self-join, df(\"id\") === 1 reads the left side", async () => {
    expect(await positional(df.join(df, df.col("id").equalTo(1)))).toEqual([[1, "a", 1, "a"], [1, "a", 2, "b"], [1, "a", 3, "c"]]);
  });

  test("a reference that could be either side fails instead of reading one: non-equalities, and df's columns after the join", () => {
    expect(() => df.join(df2, df.col("id").gt(df2.col("id")))).toThrow(AMBIGUOUS);
    expect(() => df.join(df, df.col("id").lt(df.col("id")))).toThrow(AMBIGUOUS);
    const joined = df.join(df2, df.col("id").equalTo(df2.col("id")));
    expect(() => joined.select(df.col("v"))).toThrow("[AMBIGUOUS_COLUMN_REFERENCE] Column `v` is ambiguous");
    expect(() => joined.filter(df.col("id").gt(1))).toThrow(AMBIGUOUS);
  });

  test("aliases settle it: df.as(\"a\").join(df.as(\"b\"), col(\"a.id\") === col(\"b.id\"))", async () => {
    const pairs = df.as("a").join(df.as("b"), col("a.id").equalTo(col("b.id").minus(1))).select(col("a.v").as("left"), col("b.v").as("right"));
    expect(await pairs.orderBy("left").collect()).toEqual([{ left: "a", right: "b" }, { left: "b", right: "c" }]);
    expect(() => df.as("a").join(df.as("b"), col("id").equalTo(col("b.id")))).toThrow("[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous");
  });

  test("in SQL a self-join without aliases is ambiguous by name", () => {
    df.createOrReplaceTempView("self_join_t");
    expect(() => spark.sql("SELECT * FROM self_join_t JOIN self_join_t ON self_join_t.id = self_join_t.id")).toThrow("[AMBIGUOUS_REFERENCE]");
  });
});
