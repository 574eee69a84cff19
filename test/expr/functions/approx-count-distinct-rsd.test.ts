import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

// Spark's HyperLogLogPlusPlus.validateDoubleLiteral takes a double or a decimal literal as rsd.
const spark = Session.builder().appName("approx-count-distinct-rsd").getOrCreate();

describe("approx_count_distinct(x, rsd)", () => {
  it("accepts a decimal literal rsd as the same double (SQL and DataFrame)", async () => {
    const q = (rsd: string): Promise<unknown[]> => spark.sql(`SELECT approx_count_distinct(v, ${rsd}) AS a FROM (SELECT id % 100 AS v FROM range(1000))`).collect();
    const decimal = await q("0.05");
    expect(decimal).toEqual(await q("0.05D"));
    expect(await q("0.01")).toEqual(await q("0.01D"));
    const a = (decimal[0] as { a: number }).a;
    expect(Math.abs(a - 100)).toBeLessThan(10);
    const df = spark.sql("SELECT id % 100 AS v FROM range(1000)");
    expect(await df.agg(F.approx_count_distinct(col("v"), 0.05).alias("a")).collect()).toEqual(decimal);
    await expect(spark.sql("SELECT approx_count_distinct(id, 1.5) FROM range(3)").collect()).rejects.toThrow(/relative standard deviation/);
  });
});
