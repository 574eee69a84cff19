import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Session, col, lit } from "../../src/index.ts";

const spark = Session.builder().getOrCreate().newSession();
const warehouse = await mkdtemp(join(tmpdir(), "rivulet-writeto-"));
spark.conf.set("spark.sql.warehouse.dir", warehouse);
afterAll(async () => {
  await spark.sql("DROP TABLE IF EXISTS writeto_t").collect();
  await rm(warehouse, { recursive: true, force: true });
});

describe("Column.bitwiseAND / OR / XOR", () => {
  test("as Spark's &, |, ^ on integral columns", async () => {
    const df = spark.sql("SELECT 12 AS x");
    const row = (await df.select(col("x").bitwiseAND(10).as("a"), col("x").bitwiseOR(3).as("o"), col("x").bitwiseXOR(col("x")).as("xo")).collect())[0];
    expect(row).toEqual({ a: 8, o: 15, xo: 0 });
  });
});

describe("df.stat (DataFrameStatFunctions)", () => {
  const df = spark.createDataFrame([[1, "a"], [1, "b"], [2, "a"], [1, "a"]], ["x", "s"]);

  test("freqItems: the values in more than support of the rows, one array column per column", async () => {
    const items = await df.stat.freqItems(["x", "s"], 0.4);
    expect(items.dtypes).toEqual([["x_freqItems", "array<bigint>"], ["s_freqItems", "array<string>"]]);
    expect(await items.collect()).toEqual([{ x_freqItems: [1], s_freqItems: ["a"] }]);
    await expect(df.stat.freqItems(["nope"])).rejects.toThrow("UNRESOLVED_COLUMN");
  });

  test("crosstab, corr, cov, approxQuantile and sampleBy as the Dataset's own", async () => {
    expect(await (await df.stat.crosstab("x", "s")).collect()).toEqual([{ x_s: "1", a: 2, b: 1 }, { x_s: "2", a: 1, b: 0 }]);
    const nums = spark.createDataFrame([[1, 2], [2, 4], [3, 6]], ["a", "b"]);
    expect(await nums.stat.corr("a", "b")).toBeCloseTo(1);
    expect(await nums.stat.cov("a", "b")).toBeCloseTo(2);
    expect(await nums.stat.approxQuantile("a", [0.5], 0)).toEqual([2]);
    expect(await nums.stat.sampleBy("a", { 1: 1.0 }, 7).count()).toBe(1);
  });
});

describe("df.writeTo (DataFrameWriterV2)", () => {
  test("create, append, replace, createOrReplace, overwrite(lit(true)), with Spark's checks", async () => {
    const rows = spark.createDataFrame([[1, "a"]], ["id", "name"]);
    await expect(rows.writeTo("writeto_t").append()).rejects.toThrow("[TABLE_OR_VIEW_NOT_FOUND]");
    await expect(rows.writeTo("writeto_t").replace()).rejects.toThrow("[TABLE_OR_VIEW_NOT_FOUND]");
    await rows.writeTo("writeto_t").using("parquet").create();
    await expect(rows.writeTo("writeto_t").create()).rejects.toThrow("[TABLE_OR_VIEW_ALREADY_EXISTS]");
    await spark.createDataFrame([[2, "b"]], ["id", "name"]).writeTo("writeto_t").append();
    expect(await spark.table("writeto_t").orderBy("id").collect()).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    await spark.createDataFrame([[3, "c"]], ["id", "name"]).writeTo("writeto_t").overwrite(lit(true));
    expect(await spark.table("writeto_t").collect()).toEqual([{ id: 3, name: "c" }]);
    await expect(rows.writeTo("writeto_t").overwrite(col("id").gt(1))).rejects.toThrow("UNSUPPORTED_FEATURE");
    await spark.createDataFrame([["x"]], ["other"]).writeTo("writeto_t").replace();
    expect(await spark.table("writeto_t").collect()).toEqual([{ other: "x" }]);
    await rows.writeTo("writeto_t").createOrReplace();
    expect(await spark.table("writeto_t").collect()).toEqual([{ id: 1, name: "a" }]);
  });
});
