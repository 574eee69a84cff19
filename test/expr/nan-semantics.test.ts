import { describe, expect, test } from "vitest";
import { Session, col, greatest, least, lit, max, min } from "../../src/index.ts";

/** Spark's NaN semantics: NaN = NaN is true and NaN is greater than every other value, in every comparison. */
const spark = Session.builder().appName("nan-semantics").getOrCreate();
const nums = spark.createDataFrame([{ x: 1 }, { x: NaN }, { x: Infinity }, { x: -Infinity }, { x: null }], "x DOUBLE");
nums.createOrReplaceTempView("nan_nums");
spark.createDataFrame([{ f: 1 }, { f: NaN }], "f FLOAT").createOrReplaceTempView("nan_floats");
const one = async (q: string): Promise<Record<string, unknown>> => (await spark.sql(q).collect())[0] as Record<string, unknown>;
const xs = async (q: string): Promise<unknown[]> => (await spark.sql(q).collect()).map((r) => (r as { x: unknown }).x);
const NAN = "CAST('NaN' AS DOUBLE)";

describe("NaN in comparisons", () => {
  test("constants: =, <=>, <, >, <=, >=, !=, IN, BETWEEN", async () => {
    expect(await one(`SELECT ${NAN} = ${NAN} AS eq, ${NAN} <=> ${NAN} AS ns, ${NAN} != ${NAN} AS ne,
      ${NAN} > CAST('Infinity' AS DOUBLE) AS gt, 1D < ${NAN} AS lt, ${NAN} <= ${NAN} AS le, ${NAN} >= 1D AS ge,
      ${NAN} < 1D AS nlt, ${NAN} IN (${NAN}, 1D) AS isin, ${NAN} BETWEEN 0D AND ${NAN} AS btw, ${NAN} BETWEEN 0D AND 1D AS nbtw`))
      .toEqual({ eq: true, ns: true, ne: false, gt: true, lt: true, le: true, ge: true, nlt: false, isin: true, btw: true, nbtw: false });
  });

  test("filters over a column keep or drop the NaN row as Spark", async () => {
    expect(await xs(`SELECT x FROM nan_nums WHERE x = ${NAN}`)).toEqual([NaN]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x > CAST('Infinity' AS DOUBLE)`)).toEqual([NaN]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x >= 1 ORDER BY x`)).toEqual([1, Infinity, NaN]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x < ${NAN} ORDER BY x`)).toEqual([-Infinity, 1, Infinity]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x != 1 ORDER BY x`)).toEqual([-Infinity, Infinity, NaN]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x IN (${NAN}, 2D)`)).toEqual([NaN]);
    expect(await xs(`SELECT x FROM nan_nums WHERE x <=> ${NAN}`)).toEqual([NaN]);
    expect((await spark.sql("SELECT f FROM nan_floats WHERE f = CAST('NaN' AS FLOAT)").collect()).map((r) => r.f)).toEqual([NaN]);
  });

  test("max/min, greatest/least and sort put NaN above Infinity", async () => {
    expect(await one("SELECT max(x) AS mx, min(x) AS mn FROM nan_nums")).toEqual({ mx: NaN, mn: -Infinity });
    expect(await one("SELECT max(x) AS mx, min(x) AS mn FROM VALUES (CAST('NaN' AS DOUBLE)), (2D) AS t(x)")).toEqual({ mx: NaN, mn: 2 });
    expect(await one("SELECT max(f) AS mx FROM nan_floats")).toEqual({ mx: NaN });
    expect(await one(`SELECT greatest(1D, ${NAN}, CAST('Infinity' AS DOUBLE)) AS g, least(${NAN}, 2D) AS l, greatest(${NAN}, NULL) AS gn`))
      .toEqual({ g: NaN, l: 2, gn: NaN });
    expect(await xs("SELECT x FROM nan_nums ORDER BY x DESC NULLS LAST")).toEqual([NaN, Infinity, 1, -Infinity, null]);
  });

  test("the DataFrame forms agree", async () => {
    const nan = lit(NaN);
    expect((await nums.filter(col("x").equalTo(nan)).collect()).map((r) => r.x)).toEqual([NaN]);
    expect((await nums.filter(col("x").between(lit(2), nan)).orderBy("x").collect()).map((r) => r.x)).toEqual([Infinity, NaN]);
    expect((await nums.filter(col("x").isin(NaN, 1)).orderBy("x").collect()).map((r) => r.x)).toEqual([1, NaN]);
    expect(await nums.agg(max("x").as("mx"), min("x").as("mn")).collect()).toEqual([{ mx: NaN, mn: -Infinity }]);
    expect(await nums.filter(col("x").equalTo(1)).select(greatest(col("x"), nan).as("g"), least(col("x"), nan).as("l")).collect()).toEqual([{ g: NaN, l: 1 }]);
  });
});
