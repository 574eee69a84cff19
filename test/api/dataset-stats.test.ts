import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";

const spark = Session.builder().getOrCreate();
// Spark's DataFrameSuite "describe" / "summary" data and answers.
const people = spark.createDataFrame([
  { name: "Bob", age: 16, height: 176 }, { name: "Alice", age: 32, height: 164 },
  { name: "David", age: 60, height: 192 }, { name: "Amy", age: 24, height: 180 },
], "name STRING, age INT, height INT");

describe("describe() and summary() (Spark's StatFunctions.summary)", () => {
  test("describe: count, mean, stddev, min, max as strings, one row per statistic", async () => {
    const df = people.describe();
    expect(df.schema.simpleString()).toBe("struct<summary:string,name:string,age:string,height:string>");
    expect(await df.collect()).toEqual([
      { summary: "count", name: "4", age: "4", height: "4" },
      { summary: "mean", name: null, age: "33.0", height: "178.0" },
      { summary: "stddev", name: null, age: "19.148542155126762", height: "11.547005383792516" },
      { summary: "min", name: "Alice", age: "16", height: "164" },
      { summary: "max", name: "David", age: "60", height: "192" },
    ]);
    expect(await people.describe("age").collect()).toEqual([
      { summary: "count", age: "4" }, { summary: "mean", age: "33.0" }, { summary: "stddev", age: "19.148542155126762" },
      { summary: "min", age: "16" }, { summary: "max", age: "60" },
    ]);
  });

  test("summary: the default statistics add the quartiles; named ones in the order given; an unknown one fails", async () => {
    const rows = await people.summary().collect();
    expect(rows.map((r) => r.summary)).toEqual(["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]);
    expect(rows.slice(4, 7)).toEqual([
      { summary: "25%", name: null, age: "16", height: "164" },
      { summary: "50%", name: null, age: "24", height: "176" },
      { summary: "75%", name: null, age: "32", height: "180" },
    ]);
    expect(await people.summary("count_distinct", "min").select("summary", "name").collect()).toEqual([
      { summary: "count_distinct", name: "4" }, { summary: "min", name: "Alice" },
    ]);
    expect(() => people.summary("median")).toThrow("median is not a recognised statistic.");
    // Columns that are neither numbers nor strings are left out.
    expect(spark.createDataFrame([{ b: true }], "b BOOLEAN").describe().columns).toEqual(["summary"]);
  });
});

describe("sample() and randomSplit()", () => {
  const ids = async (df: { collect(): Promise<Record<string, unknown>[]> }) => (await df.collect()).map((r) => r.id);

  test("sample(fraction, seed): the rows whose draw of XORShiftRandom(seed) is below the fraction; the same seed, the same rows", async () => {
    const range = spark.range(100);
    const drawn = await ids(spark.sql("SELECT id FROM range(100) WHERE rand(42) < 0.3"));
    expect(await ids(range.sample(0.3, 42))).toEqual(drawn);
    expect(await ids(range.sample(false, 0.3, 42))).toEqual(drawn);
    expect(await ids(range.sample(0.3, 43))).not.toEqual(drawn);
    expect(await range.sample(1.0, 1).count()).toBe(100);
    expect(() => range.sample(1.5, 1)).toThrow("Sampling fraction (1.5) must be on interval [0, 1] without replacement");
    // With replacement: rows may repeat; deterministic per seed.
    const twice = await ids(range.sample(true, 2.0, 5));
    expect(twice).toEqual(await ids(range.sample(true, 2.0, 5)));
    expect(new Set(twice).size).toBeLessThan(twice.length);
    expect(() => range.sample(true, -1, 1)).toThrow("must be nonnegative with replacement");
  });

  test("randomSplit(weights, seed): every row in exactly one split, about the weights' shares, the same for the same seed", async () => {
    const range = spark.range(1000);
    const splits = range.randomSplit([1, 2, 7], 11);
    const parts = await Promise.all(splits.map(ids));
    expect(parts.flat().sort((a, b) => Number(a) - Number(b))).toEqual(await ids(range));
    expect(parts.map((p) => p.length).every((n, i) => Math.abs(n - [100, 200, 700][i]!) < 60)).toBe(true);
    expect(await Promise.all(range.randomSplit([1, 2, 7], 11).map(ids))).toEqual(parts);
    expect(() => range.randomSplit([1, -1])).toThrow("Weights must be nonnegative");
  });

  test("a remote session sends StatDescribe, StatSummary and Sample relations", () => {
    const remote = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
    const df = remote.createDataFrame([], "a INT");
    expect((toConnectPlan(df.describe("a")) as any).root.describe.cols).toEqual(["a"]);
    expect((toConnectPlan(df.summary("count", "50%")) as any).root.summary.statistics).toEqual(["count", "50%"]);
    expect((toConnectPlan(df.sample(0.25, 3)) as any).root.sample).toMatchObject({ upperBound: 0.25, seed: "3" });
    const [, second] = df.randomSplit([1, 3], 9);
    expect((toConnectPlan(second!) as any).root.sample).toMatchObject({ lowerBound: 0.25, upperBound: 1, seed: "9", deterministicOrder: true });
  });
});
