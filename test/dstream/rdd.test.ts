import { describe, expect, test } from "vitest";
import { Batch, RDD, Session, col } from "../../src/index.ts";
import { collect, manualContext, runBatches } from "./helpers.ts";

describe("RDD, the batch of one interval", () => {
  const session = Session.builder().getOrCreate();

  test("parallelize slices as Spark does; glom, getNumPartitions, take, collect, count", () => {
    const rdd = RDD.parallelize([1, 2, 3, 4, 5], 3, session);
    expect(rdd.getNumPartitions()).toBe(3);
    expect(rdd.glom().collect()).toEqual([[1], [2, 3], [4, 5]]);
    expect(rdd.take(2)).toEqual([1, 2]);
    expect(rdd.collect()).toEqual([1, 2, 3, 4, 5]);
    expect(rdd.count()).toBe(5);
    expect(rdd.first()).toBe(1);
    expect(rdd.reduce((a, b) => a + b)).toBe(15);
    expect(Batch).toBe(RDD);
  });

  test("map, filter, flatMap, mapValues, union, distinct, sortBy", () => {
    const rdd = RDD.parallelize([3, 1, 2, 3], 2);
    expect(rdd.map((x) => x * 2).collect()).toEqual([6, 2, 4, 6]);
    expect(rdd.filter((x) => x > 1).collect()).toEqual([3, 2, 3]);
    expect(rdd.flatMap((x) => [x, x]).count()).toBe(8);
    expect(rdd.union(RDD.parallelize([9])).getNumPartitions()).toBe(3);
    expect(rdd.distinct().collect().sort()).toEqual([1, 2, 3]);
    expect(rdd.sortBy((x) => x).collect()).toEqual([1, 2, 3, 3]);
    expect(rdd.sortBy((x) => x, false, 1).collect()).toEqual([3, 3, 2, 1]);
    const pairs = RDD.parallelize<[string, number]>([["b", 1], ["a", 2], ["b", 3]]);
    expect(pairs.mapValues((v) => v * 10).collect()).toEqual([["b", 10], ["a", 20], ["b", 30]]);
    expect(pairs.reduceByKey((a, b) => a + b).sortByKey().collect()).toEqual([["a", 2], ["b", 4]]);
    expect(pairs.sortBy(([k, v]) => [k, -v]).collect()).toEqual([["a", 2], ["b", 3], ["b", 1]]);
    expect(pairs.collectAsMap()).toEqual(new Map([["b", 3], ["a", 2]]));
    expect(pairs.lookup("b")).toEqual([1, 3]);
  });

  test("join and cogroup on batches; hash partitioning is stable", () => {
    const left = RDD.parallelize<[number, string]>([[1, "a"], [2, "b"]]);
    const right = RDD.parallelize<[number, string]>([[2, "x"], [3, "y"]]);
    expect(left.join(right, 4).collect()).toEqual([[2, ["b", "x"]]]);
    expect(left.join(right, 4).getNumPartitions()).toBe(4);
    expect(left.fullOuterJoin(right, 1).collect()).toEqual([[1, ["a", undefined]], [2, ["b", "x"]], [3, [undefined, "y"]]]);
    expect(left.reduceByKey((a) => a, 2).glom().collect()).toEqual([[[2, "b"]], [[1, "a"]]]);
  });

  test("toDF turns a batch into a DataFrame of the structured API (pairs by position, objects by name)", async () => {
    const ssc = manualContext();
    const frames: unknown[] = [];
    ssc.queueStream<[string, number]>([[["a", 1], ["b", 2]]]).foreachRDD(async (rdd) => {
      frames.push(await rdd.toDF("word STRING, n INT").collect());
      frames.push(await rdd.map(([word, n]) => ({ word, n })).toDF("word STRING, n INT").filter(col("n").gt(1)).collect());
    });
    collect(ssc.queueStream([[1]]));
    ssc.start();
    await runBatches(ssc, 1);
    expect(frames[0]).toEqual([{ word: "a", n: 1 }, { word: "b", n: 2 }]);
    expect(frames[1]).toEqual([{ word: "b", n: 2 }]);
  });
});
