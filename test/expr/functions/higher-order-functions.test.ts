import { describe, expect, it } from "vitest";
import { MemoryStream, Session, col, expr, lit, functions as F } from "../../../src/index.ts";

const spark = Session.builder().appName("higher-order-functions").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("higher-order functions over arrays", () => {
  it("name their columns as Spark does (lambdafunction, namedlambdavariable)", () => {
    expect(spark.sql("SELECT transform(array(1, 2, 3), x -> x + 1)").columns)
      .toEqual(["transform(array(1, 2, 3), lambdafunction((namedlambdavariable() + 1), namedlambdavariable()))"]);
    expect(spark.sql("SELECT aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x)").columns)
      .toEqual(["aggregate(array(1, 2, 3), 0, lambdafunction((namedlambdavariable() + namedlambdavariable()), namedlambdavariable(), namedlambdavariable()))"]);
  });

  it("transform, filter (with the index), exists and forall with three-valued logic", async () => {
    expect(await values("SELECT transform(array(1, 2, 3), x -> x + 1), transform(array(1, 2, 3), (x, i) -> x + i), filter(array(1, 2, 3), x -> x % 2 == 1), filter(array(0, 2, 3), (x, i) -> x > i), transform(cast(null as array<int>), x -> x)"))
      .toEqual([[2, 3, 4], [1, 3, 5], [1, 3], [2, 3], null]);
    expect(await values("SELECT exists(array(1, 2, 3), x -> x % 2 == 0), exists(array(1, null, 3), x -> x % 2 == 0), exists(array(1, 3), x -> x % 2 == 0), forall(array(1, 2, 3), x -> x % 2 == 0), forall(array(2, null, 8), x -> x % 2 == 0), forall(array(2, 4), x -> x % 2 == 0)"))
      .toEqual([true, null, false, false, null, true]);
  });

  it("aggregate/reduce fold left, with an optional finish; the merge must keep the zero's type", async () => {
    expect(await values("SELECT aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x), aggregate(array(1, 2, 3), 0, (acc, x) -> acc + x, acc -> acc * 10), reduce(array(1, 2, 3), 0, (acc, x) -> acc + x), aggregate(array('a', 'b'), '', (acc, x) -> concat(acc, x)), aggregate(array(), 5, (acc, x) -> acc + x)"))
      .toEqual([6, 60, 6, "ab", 5]);
    expect(() => spark.sql("SELECT aggregate(array(1.5), 0, (acc, x) -> acc + x)").columns).toThrow(/UNEXPECTED_INPUT_TYPE.*Parameter 3 requires the "INT" type/);
  });

  it("zip_with pads the shorter array; array_sort takes a comparator", async () => {
    expect(await values("SELECT zip_with(array(1, 2, 3), array('a', 'b', 'c'), (x, y) -> named_struct('y', y, 'x', x)), zip_with(array(1, 2), array(3, 4), (x, y) -> x + y), zip_with(array(1), array(3, 4), (x, y) -> coalesce(x, 0) + y)"))
      .toEqual([[{ y: "a", x: 1 }, { y: "b", x: 2 }, { y: "c", x: 3 }], [4, 6], [4, 4]]);
    expect(await values("SELECT array_sort(array(5, 6, 1), (left, right) -> case when left < right then -1 when left > right then 1 else 0 end), array_sort(array('bc', 'ab', 'dc'), (l, r) -> case when l < r then 1 when l > r then -1 else 0 end), array_sort(array(3, null, 1))"))
      .toEqual([[1, 5, 6], ["dc", "bc", "ab"], [1, 3, null]]);
  });

  it("lambdas read outer columns, nest, shadow columns of the same name, and reject a wrong parameter count", async () => {
    const rows = await spark.sql("SELECT transform(a, x -> x * m) AS t, transform(a, x -> transform(array(x, m), y -> y + x)) AS n, transform(a, m -> m + 1) AS s FROM VALUES (array(1, 2), 10), (null, 1), (array(3), 2) AS v(a, m)").collect();
    expect(rows).toEqual([
      { t: [10, 20], n: [[2, 11], [4, 12]], s: [2, 3] },
      { t: null, n: null, s: null },
      { t: [6], n: [[6, 5]], s: [4] },
    ]);
    expect(() => spark.sql("SELECT transform(array(1), (x, y, z) -> x)").columns).toThrow(/INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH/);
    expect(() => spark.sql("SELECT x -> x").columns).toThrow();
  });

  it("the DataFrame forms take functions of Columns", async () => {
    const df = spark.sql("SELECT array(1, 2, 3) AS a, array(10, 20) AS b, 100 AS m");
    const [r] = await df.select(
      F.transform("a", (x) => x.multiply(2)).alias("t"),
      F.transform(col("a"), (x, i) => x.plus(i)).alias("ti"),
      F.filter("a", (x) => x.gt(1)).alias("f"),
      F.exists("a", (x) => x.equalTo(3)).alias("e"),
      F.forall("a", (x) => x.lt(col("m"))).alias("all"),
      F.aggregate("a", lit(0), (acc, x) => acc.plus(x), (acc) => acc.multiply(10)).alias("agg"),
      F.zip_with("a", "b", (x, y) => F.coalesce(y, lit(0)).plus(x)).alias("z"),
      F.array_sort("a", (l, r) => r.minus(l)).alias("desc"),
    ).collect();
    expect(r).toEqual({ t: [2, 4, 6], ti: [1, 3, 5], f: [2, 3], e: true, all: true, agg: 60, z: [11, 22, 3], desc: [3, 2, 1] });
  });
});

describe("higher-order functions over maps", () => {
  it("map_filter, transform_keys, transform_values, map_zip_with as Spark's examples", async () => {
    expect(await values("SELECT map_filter(map(1, 0, 2, 2, 3, -1), (k, v) -> k > v), transform_keys(map(1, 1, 2, 2), (k, v) -> k + 1), transform_values(map(1, 1, 2, 2), (k, v) -> k + v), map_zip_with(map(1, 'a', 2, 'b'), map(1, 'x', 3, 'y'), (k, v1, v2) -> concat(v1, v2))"))
      .toEqual([new Map([[1, 0], [3, -1]]), new Map([[2, 1], [3, 2]]), new Map([[1, 2], [2, 4]]), new Map([[1, "ax"], [2, null], [3, null]])]);
    await expect(spark.sql("SELECT transform_keys(map(1, 1, 2, 2), (k, v) -> 0)").collect()).rejects.toThrow(/DUPLICATED_MAP_KEY/);
    await expect(spark.sql("SELECT transform_keys(map(1, 1), (k, v) -> cast(null as int))").collect()).rejects.toThrow(/NULL_MAP_KEY/);
  });

  it("the DataFrame forms", async () => {
    const [r] = await spark.sql("SELECT map('a', 1, 'b', 2) AS m, map('a', 10) AS n").select(
      F.map_filter("m", (_k, v) => v.gt(1)).alias("f"),
      F.transform_values("m", (_k, v) => v.multiply(100)).alias("tv"),
      F.transform_keys("m", (k) => F.upper(k)).alias("tk"),
      F.map_zip_with("m", "n", (_k, v1, v2) => F.coalesce(v2, lit(0)).plus(v1)).alias("z"),
    ).collect();
    expect(r).toEqual({ f: new Map([["b", 2]]), tv: new Map([["a", 100], ["b", 200]]), tk: new Map([["A", 1], ["B", 2]]), z: new Map([["a", 11], ["b", 2]]) });
  });
});

describe("higher-order functions in a streaming query", () => {
  it("evaluate per micro-batch, in SQL expressions and DataFrame forms, grouped by their result", async () => {
    const input = new MemoryStream<{ a: number[] | null; k: string }>(spark, "a ARRAY<INT>, k STRING");
    const name = `hof_stream_${process.pid}`;
    const query = input.toDF()
      .select(col("k"), expr("aggregate(a, 0, (acc, x) -> acc + x)").as("total"), F.filter("a", (x) => x.gt(1)).as("big"))
      .groupBy(col("k")).agg(F.sum("total").as("sum"), F.max(F.size(col("big"))).as("most"))
      .writeStream.format("memory").queryName(name).outputMode("complete").start();
    try {
      input.addData([{ a: [1, 2, 3], k: "p" }, { a: null, k: "q" }]);
      await query.processAllAvailable();
      input.addData([{ a: [5], k: "p" }, { a: [2, 2], k: "q" }]);
      await query.processAllAvailable();
      const rows = (await spark.table(name).collect()).sort((x, y) => String(x["k"]).localeCompare(String(y["k"])));
      expect(rows).toEqual([{ k: "p", sum: 11, most: 2 }, { k: "q", sum: 4, most: 2 }]);
    } finally {
      await query.stop();
    }
  });
});
