import { describe, expect, test } from "vitest";
import { Session, functions as F } from "../../src/index.ts";

/** decode: the charset function decode(bin, charset), and Spark 3.2's decode(expr, search, result, …, default). */
const spark = Session.builder().appName("decode-function").getOrCreate();
const one = async (q: string): Promise<unknown> => Object.values((await spark.sql(q).collect())[0]!)[0];

describe("decode", () => {
  test("the search/result form: the first match's result, else the default, else a STRING null (Spark's examples)", async () => {
    expect(await one("SELECT decode(2, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, 'Seattle')")).toBe("San Francisco");
    expect(await one("SELECT decode(6, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, 'Seattle', 'Non domestic')")).toBe("Non domestic");
    expect(await one("SELECT decode(6, 1, 'Southlake', 2, 'San Francisco', 3, 'New Jersey', 4, 'Seattle')")).toBeNull();
    // A null search matches a null input (null-safe equality, as Oracle's DECODE).
    expect(await one("SELECT decode(null, 6, 'Spark', NULL, 'SQL', 4, 'rocks')")).toBe("SQL");
  });

  test("result types: the results' common type with a default; a STRING without one; the name Spark gives it", async () => {
    expect(spark.sql("SELECT decode(1, 1, 10, 20) AS r").schema.simpleString()).toBe("struct<r:int>");
    expect(spark.sql("SELECT decode(1, 1, 10) AS r").schema.simpleString()).toBe("struct<r:string>");
    expect(spark.sql("SELECT decode(2, 1, 'Southlake', 2, 'San Francisco', 'x')").columns).toEqual(["decode(2, 1, Southlake, 2, San Francisco, x)"]);
  });

  test("over a column, in SQL and through expr()", async () => {
    const df = spark.createDataFrame([{ x: "a" }, { x: "b" }, { x: "c" }, { x: null }], "x STRING");
    df.createOrReplaceTempView("decode_t");
    expect((await spark.sql("SELECT decode(x, 'a', 1, 'b', 2, 0) AS r FROM decode_t").collect()).map((r) => r.r)).toEqual([1, 2, 0, 0]);
    expect((await df.select(F.expr("decode(x, 'a', 'first', NULL, 'none') AS r")).collect()).map((r) => r.r)).toEqual(["first", null, null, "none"]);
  });

  test("two arguments are still the charset function", async () => {
    expect(await one("SELECT decode(encode('héllo', 'UTF-8'), 'UTF-8')")).toBe("héllo");
  });
});
