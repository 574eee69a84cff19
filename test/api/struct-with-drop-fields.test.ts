import { describe, expect, test } from "vitest";
import { Session, col, lit } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("Column.withField and Column.dropFields (Spark 3.1)", () => {
  const df = spark.sql("SELECT named_struct('a', 1, 'b', 2) AS st, 5 AS x UNION ALL SELECT CAST(NULL AS STRUCT<a: INT, b: INT>), 6");

  test("withField replaces a field (case-insensitively) or adds one last; a null struct stays null", async () => {
    const added = df.select(col("st").withField("z", col("x").plus(lit(1))).as("st"));
    expect(added.dtypes).toEqual([["st", "struct<a:int,b:int,z:int>"]]);
    expect(await added.collect()).toEqual([{ st: { a: 1, b: 2, z: 6 } }, { st: null }]);
    const replaced = await df.select(col("st").withField("A", lit("x")).as("st")).collect();
    expect(replaced[0]).toEqual({ st: { A: "x", b: 2 } });
  });

  test("dropFields drops the named fields; dropping all fails as Spark's", async () => {
    expect(await df.select(col("st").dropFields("a").as("st")).collect()).toEqual([{ st: { b: 2 } }, { st: null }]);
    // Refused when the plan is analysed, as Spark's.
    expect(() => df.select(col("st").dropFields("a", "b"))).toThrow("[DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS] Cannot drop all fields in struct.");
    expect(() => df.select(col("x").withField("a", lit(1)))).toThrow('requires the "STRUCT" type');
  });
});
