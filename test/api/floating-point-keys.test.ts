import { describe, expect, test } from "vitest";
import { keyString } from "../../src/columnar/key-string.ts";
import { MemoryStream, Session, col, count, countDistinct, lit } from "../../src/index.ts";

// Spark keeps NaN, Infinity, -Infinity and null apart as keys (NaN equal to NaN), and
// makes -0.0 and 0.0 one key shown as 0.0: in groups, their state, distinct counts,
// dropDuplicates and equi-joins.
const spark = Session.builder().appName("floating-point-keys").getOrCreate();
const VALUES = [NaN, null, Infinity, -Infinity, 1.5, NaN, -0, 0, Infinity];

const sorted = (rows: Record<string, unknown>[]): string[] => rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))).sort();

describe("floating-point keys", () => {
  test("keyString: one key per value Spark tells apart", () => {
    const keys = [NaN, null, Infinity, -Infinity, 0, -0, 1.5, "NaN", "null"].map((v) => keyString([v]));
    expect(new Set(keys).size).toBe(8); // all but -0, which is 0
    expect(keyString([NaN])).toBe(keyString([NaN]));
    expect(keyString([{ x: NaN }])).not.toBe(keyString([{ x: null }]));
    expect(keyString(["a", 2])).toBe(JSON.stringify(["a", 2]));
  });

  test("batch: groupBy, count(DISTINCT), dropDuplicates and a join on a double column", async () => {
    const df = spark.createDataFrame(VALUES.map((d) => ({ d })), "d DOUBLE");
    const groups = await df.groupBy(col("d")).agg(count(lit(1)).as("n")).collect();
    expect(sorted(groups)).toEqual(sorted([
      { d: NaN, n: 2 }, { d: null, n: 1 }, { d: Infinity, n: 2 }, { d: -Infinity, n: 1 }, { d: 1.5, n: 1 }, { d: 0, n: 2 },
    ]));
    expect(Object.is(groups.find((g) => g.n === 2 && g.d === 0)!.d, 0)).toBe(true); // shown as 0, not -0
    expect(await df.agg(countDistinct(col("d")).as("k")).collect()).toEqual([{ k: 5 }]);
    expect(await df.dropDuplicates().count()).toBe(6);

    const names = spark.createDataFrame([{ d: NaN, name: "nan" }, { d: Infinity, name: "inf" }, { d: 0, name: "zero" }], "d DOUBLE, name STRING");
    const joined = await df.join(names, "d").groupBy(col("name")).agg(count(lit(1)).as("n")).collect();
    expect(sorted(joined)).toEqual(sorted([{ name: "nan", n: 2 }, { name: "inf", n: 2 }, { name: "zero", n: 2 }]));
  });

  test("a struct key with NaN, Infinity or null inside is a key of its own", async () => {
    const df = spark.createDataFrame([NaN, null, Infinity, 1, NaN].map((a) => ({ s: { a } })), "s STRUCT<a: DOUBLE>");
    const groups = await df.groupBy(col("s")).agg(count(lit(1)).as("n")).collect();
    expect(groups.map((g) => g.n).sort()).toEqual([1, 1, 1, 2]);
    expect(await df.dropDuplicates().count()).toBe(4);
  });

  test("streaming: the groups and their state stay apart across batches", async () => {
    const input = new MemoryStream<{ d: number | null }>(spark, "d DOUBLE");
    const name = `fp_keys_${process.pid}`;
    const query = input.toDF().groupBy(col("d")).agg(count(lit(1)).as("n"))
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    try {
      input.addData(VALUES.slice(0, 5).map((d) => ({ d })));
      await query.processAllAvailable();
      input.addData(VALUES.slice(5).map((d) => ({ d })));
      await query.processAllAvailable();
      expect(sorted(await spark.table(name).collect())).toEqual(sorted([
        { d: NaN, n: 2 }, { d: null, n: 1 }, { d: Infinity, n: 2 }, { d: -Infinity, n: 1 }, { d: 1.5, n: 1 }, { d: 0, n: 2 },
      ]));
    } finally {
      await query.stop();
    }
  });
});
