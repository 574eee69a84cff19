import { describe, expect, it } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";
import { XORShiftRandom } from "../../../src/expr/functions/xorshift-random.ts";

const spark = Session.builder().appName("nondeterministic-functions").getOrCreate();

describe("rand, randn", () => {
  it("give Spark's values for a seed (its docs: rand(0) = 0.7604953758285915, randn(0) = 1.6034991609278433), a null seed as 0", async () => {
    expect(await spark.sql("SELECT rand(0), randn(0), rand(null), random(0)").collect())
      .toEqual([{ "rand(0)": 0.7604953758285915, "randn(0)": 1.6034991609278433, "rand(NULL)": 0.7604953758285915, "random(0)": 0.7604953758285915 }]);
    const r = new XORShiftRandom(42n);
    const rows = await spark.sql("SELECT rand(42) AS r FROM VALUES (1), (2), (3) AS t(x)").collect();
    expect(rows.map((x) => x["r"])).toEqual([r.nextDouble(), r.nextDouble(), r.nextDouble()]);
  });

  it("without a seed: values in [0, 1), not folded into a constant, and the seed must be a constant", async () => {
    const rows = await spark.sql("SELECT rand() AS r FROM VALUES (1), (2), (3), (4) AS t(x)").collect();
    const values = rows.map((x) => x["r"] as number);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(4);
    expect(spark.sql("SELECT rand()").columns).toEqual(["rand()"]);
    expect(() => spark.sql("SELECT rand(x) FROM VALUES (1) AS t(x)").columns).toThrow(/NON_FOLDABLE_INPUT/);
    const [row] = await spark.sql("SELECT 1 AS x").select(F.rand(0).alias("r"), F.randn(0).alias("n")).collect();
    expect(row).toEqual({ r: 0.7604953758285915, n: 1.6034991609278433 });
  });
});

describe("monotonically_increasing_id, spark_partition_id", () => {
  it("ids count up from 0 in one partition (index 0)", async () => {
    const rows = await spark.sql("SELECT x FROM VALUES (7), (8), (9) AS t(x)").select(F.monotonically_increasing_id().alias("id"), F.spark_partition_id().alias("p")).collect();
    expect(rows).toEqual([{ id: 0, p: 0 }, { id: 1, p: 0 }, { id: 2, p: 0 }]);
    expect(spark.sql("SELECT spark_partition_id()").columns).toEqual(["SPARK_PARTITION_ID()"]);
  });
});

describe("raise_error, assert_true", () => {
  it("assert_true is NULL when true and fails with Spark's message otherwise", async () => {
    expect(await spark.sql("SELECT assert_true(0 < 1)").collect()).toEqual([{ "assert_true((0 < 1))": null }]);
    await expect(spark.sql("SELECT assert_true(1 < 0)").collect()).rejects.toThrow("[USER_RAISED_EXCEPTION] '(1 < 0)' is not true!");
    await expect(spark.sql("SELECT assert_true(x > 1, 'too small') FROM VALUES (2), (1) AS t(x)").collect()).rejects.toThrow("[USER_RAISED_EXCEPTION] too small");
    await expect(spark.sql("SELECT assert_true(null)").collect()).rejects.toThrow(/is not true/);
  });

  it("raise_error fails the query with the message", async () => {
    await expect(spark.sql("SELECT raise_error('custom error message')").collect()).rejects.toThrow("[USER_RAISED_EXCEPTION] custom error message");
    await expect(spark.sql("SELECT 1 AS x").select(F.raise_error("boom")).collect()).rejects.toThrow(/boom/);
    expect(spark.sql("SELECT raise_error('x')").schema.fields[0]!.dataType.kind).toBe("null");
  });
});
