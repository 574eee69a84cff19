import { describe, expect, test } from "vitest";
import { Session, col } from "../../src/index.ts";

const spark = Session.builder().appName("column-ilike-isnan-trycast").getOrCreate();

/** Column methods of Spark's Column API: ilike (3.3), isNaN, try_cast (4.0); the same as the SQL forms. */
describe("Column.ilike, Column.isNaN, Column.try_cast", () => {
  test("DataFrame methods agree with SQL's ILIKE, isnan() and TRY_CAST", async () => {
    const df = spark.createDataFrame([{ s: "Spark", d: Number.NaN }, { s: "flink", d: 1.5 }, { s: null, d: null }], "s STRING, d DOUBLE");
    const rows = await df.select(col("s").ilike("sp%").as("i"), col("d").isNaN().as("n"), col("s").try_cast("INT").as("t"), col("d").try_cast("STRING").as("di")).collect();
    expect(rows).toEqual([{ i: true, n: true, t: null, di: "NaN" }, { i: false, n: false, t: null, di: "1.5" }, { i: null, n: false, t: null, di: null }]);
    df.createOrReplaceTempView("cit");
    const sql = await spark.sql("SELECT s ILIKE 'sp%' AS i, isnan(d) AS n, TRY_CAST(s AS INT) AS t, TRY_CAST(d AS STRING) AS di FROM cit").collect();
    expect(sql).toEqual(rows);
  });
});
