import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("Dataset.colRegex (Spark's UnresolvedRegex)", () => {
  test("a back-quoted regex names the column whose whole name it matches; a plain name is the column", async () => {
    const df = spark.sql("SELECT 1 AS x, 2 AS xy, 3 AS y");
    expect(await df.select(df.colRegex("`^x$`")).collect()).toEqual([{ x: 1 }]);
    expect(await df.select(df.colRegex("`x.`")).collect()).toEqual([{ xy: 2 }]);
    expect(await df.select(df.colRegex("y")).collect()).toEqual([{ y: 3 }]);
    // One match stands where one value must.
    expect(await df.where(df.colRegex("`X`").gt(0)).count()).toBe(1);
  });

  test("in select, a regex matching several columns expands to all of them in the input's order, case-insensitively; none matched, no column", async () => {
    const df = spark.sql("SELECT 1 AS x, 2 AS Xy, 3 AS y, 4 AS `x.z`");
    const several = df.select(df.colRegex("`x.*`"));
    expect(several.columns).toEqual(["x", "Xy", "x.z"]);
    expect(await several.collect()).toEqual([{ x: 1, Xy: 2, "x.z": 4 }]);
    expect(df.select(df.colRegex("`y`"), df.colRegex("`x|xy`")).columns).toEqual(["y", "x", "Xy"]);
    expect(df.select(df.colRegex("`(?!y$).*`")).columns).toEqual(["x", "Xy", "x.z"]);
    expect(df.select(df.colRegex("`x\\.z`")).columns).toEqual(["x.z"]);
    expect(df.select(df.colRegex("`nothing`")).columns).toEqual([]);
  });

  test("t.`regex` picks among table t's columns (a join's one side)", async () => {
    const a = spark.sql("SELECT 1 AS id, 'a' AS a_name, 'x' AS a_note").alias("a");
    const b = spark.sql("SELECT 1 AS id, 'b' AS b_name").alias("b");
    const joined = a.join(b, a.col("id").equalTo(b.col("id")));
    expect(joined.select(joined.colRegex("a.`a_.*`")).columns).toEqual(["a_name", "a_note"]);
    expect(joined.select(joined.colRegex("b.`.*`")).columns).toEqual(["id", "b_name"]);
    expect(await joined.select(joined.colRegex("b.`.*name`")).collect()).toEqual([{ b_name: "b" }]);
  });
});
