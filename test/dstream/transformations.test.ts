import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import { AnalysisError } from "../../src/index.ts";
import { collect, manualContext, runBatches, sortPairs, tempDir } from "./helpers.ts";

describe("DStream transformations, batch by batch on the manual clock", () => {
  test("map, flatMap, filter, mapPartitions, glom and repartition", async () => {
    const ssc = manualContext();
    const queue = [[1, 2, 3], [4], []];
    const input = ssc.queueStream(queue);
    const mapped = collect(input.map((x) => x * 10));
    const flat = collect(input.flatMap((x) => [x, -x]));
    const filtered = collect(input.filter((x) => x % 2 === 1));
    const sums = collect(input.mapPartitions((xs) => [xs.reduce((a, b) => a + b, 0)]));
    const glommed = collect(input.repartition(2).glom());
    ssc.start();
    await runBatches(ssc, 3);
    expect(mapped.batches).toEqual([[10, 20, 30], [40], []]);
    expect(flat.batches).toEqual([[1, -1, 2, -2, 3, -3], [4, -4], []]);
    expect(filtered.batches).toEqual([[1, 3], [], []]);
    expect(sums.batches).toEqual([[6], [4], [0]]);
    expect(glommed.batches).toEqual([[[1, 3], [2]], [[4], []], [[], []]]);
    expect(mapped.times).toEqual([1000, 2000, 3000]);
  });

  test("count emits 0 for an empty batch, reduce emits nothing; countByValue counts by value", async () => {
    const ssc = manualContext();
    const input = ssc.queueStream([["a", "b", "a"], []]);
    const counts = collect(input.count());
    const reduced = collect(input.reduce((a, b) => a + b));
    const byValue = collect(input.countByValue());
    ssc.start();
    await runBatches(ssc, 2);
    expect(counts.batches).toEqual([[3], [0]]);
    expect(reduced.batches).toEqual([["aba"], []]);
    expect(sortPairs(byValue.batches[0]!)).toEqual([["a", 2], ["b", 1]]);
  });

  test("reduceByKey and groupByKey compare keys by value, arrays and objects included", async () => {
    const ssc = manualContext();
    const input = ssc.queueStream<[unknown, number]>([[[[1, 2], 1], [[1, 2], 2], [{ a: 1, b: 2 }, 3], [{ b: 2, a: 1 }, 4], ["x", 5]]]);
    const reduced = collect(input.reduceByKey((a, b) => a + b, 3));
    const grouped = collect(input.groupByKey());
    ssc.start();
    await runBatches(ssc, 1);
    expect(sortPairs(reduced.batches[0]!)).toEqual(sortPairs<unknown, number>([[[1, 2], 3], [{ a: 1, b: 2 }, 7], ["x", 5]]));
    expect(sortPairs(grouped.batches[0]!)).toEqual(sortPairs<unknown, number[]>([[[1, 2], [1, 2]], [{ a: 1, b: 2 }, [3, 4]], ["x", [5]]]));
  });

  test("joins, outer joins and cogroup of two streams", async () => {
    const ssc = manualContext();
    const left = ssc.queueStream<[string, number]>([[["a", 1], ["b", 2], ["b", 3]]]);
    const right = ssc.queueStream<[string, string]>([[["b", "x"], ["c", "y"]]]);
    const inner = collect(left.join(right));
    const leftOuter = collect(left.leftOuterJoin(right));
    const rightOuter = collect(left.rightOuterJoin(right));
    const full = collect(left.fullOuterJoin(right));
    const cogrouped = collect(left.cogroup(right));
    ssc.start();
    await runBatches(ssc, 1);
    expect(sortPairs(inner.last())).toEqual([["b", [2, "x"]], ["b", [3, "x"]]]);
    expect(sortPairs(leftOuter.last())).toEqual([["a", [1, undefined]], ["b", [2, "x"]], ["b", [3, "x"]]]);
    expect(sortPairs(rightOuter.last())).toEqual([["b", [2, "x"]], ["b", [3, "x"]], ["c", [undefined, "y"]]]);
    expect(sortPairs(full.last())).toEqual([["a", [1, undefined]], ["b", [2, "x"]], ["b", [3, "x"]], ["c", [undefined, "y"]]]);
    expect(sortPairs(cogrouped.last())).toEqual([["a", [[1], []]], ["b", [[2, 3], ["x"]]], ["c", [[], ["y"]]]]);
  });

  test("union of streams (DStream.union and ssc.union), transform and transformWith with a parallelized batch", async () => {
    const ssc = manualContext();
    const a = ssc.queueStream([[1], [2]]);
    const b = ssc.queueStream([[10], [20]]);
    const c = ssc.queueStream([[100], []]);
    const unioned = collect(ssc.union([a, b, c]));
    const pairUnion = collect(a.union(b));
    const table = ssc.parallelize<[number, string]>([[1, "one"], [2, "two"]], 2);
    const times: number[] = [];
    const joined = collect(a.map((x) => [x, x * x] as [number, number]).transform((rdd, time) => {
      times.push(time);
      return rdd.join(table);
    }));
    const sizes = collect(a.transformWith(b, (x, y, _time) => ssc.parallelize([x.count() + y.count()])));
    ssc.start();
    await runBatches(ssc, 2);
    expect(unioned.batches).toEqual([[1, 10, 100], [2, 20]]);
    expect(pairUnion.batches).toEqual([[1, 10], [2, 20]]);
    expect(joined.batches).toEqual([[[1, [1, "one"]]], [[2, [4, "two"]]]]);
    expect(times).toEqual([1000, 2000]);
    expect(sizes.batches).toEqual([[2], [2]]);
  });

  test("queueStream: elements pushed while running, oneAtATime false, a default batch, RDD elements", async () => {
    const ssc = manualContext();
    const queue: (number[] | ReturnType<typeof ssc.parallelize<number>>)[] = [];
    const one = collect(ssc.queueStream(queue));
    const all: number[][] = [[1], [2, 3]];
    const together = collect(ssc.queueStream(all, false, [0]));
    ssc.start();
    await runBatches(ssc, 1);
    queue.push([7, 8], ssc.parallelize([9, 10], 2));
    await runBatches(ssc, 2);
    expect(one.batches).toEqual([[], [7, 8], [9, 10]]);
    expect(queue).toEqual([]);
    expect(together.batches).toEqual([[1, 2, 3], [0], [0]]);
  });

  test("print writes Spark's header, the first values, and ... when there are more", async () => {
    const ssc = manualContext();
    ssc.queueStream<[string, number]>([[["#a", 1], ["#b", 2], ["#c", 3]]]).print(2);
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      ssc.start();
      await runBatches(ssc, 1);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join("")).toBe(
      "-------------------------------------------\nTime: 1000 ms\n-------------------------------------------\n(#a,1)\n(#b,2)\n...\n\n",
    );
  });

  test("saveAsTextFiles writes a directory per batch with one part file per partition", async () => {
    const dir = await tempDir();
    const ssc = manualContext();
    ssc.queueStream([ssc.parallelize(["x", "y", "z"], 2)]).map((s) => [s, s.length]).saveAsTextFiles(join(dir, "out"), "txt");
    ssc.start();
    await runBatches(ssc, 2);
    expect((await readdir(dir)).sort()).toEqual(["out-1000.txt", "out-2000.txt"]);
    expect((await readdir(join(dir, "out-1000.txt"))).sort()).toEqual(["_SUCCESS", "part-00000", "part-00001"]);
    expect(await readFile(join(dir, "out-1000.txt", "part-00000"), "utf8")).toBe("(x,1)\n");
    expect(await readFile(join(dir, "out-1000.txt", "part-00001"), "utf8")).toBe("(y,1)\n(z,1)\n");
  });

  test("an error in a batch stops the context; advanceClock and awaitTermination report it", async () => {
    const ssc = manualContext();
    ssc.queueStream([[1], [0]]).map((x) => {
      if (x === 0) throw new Error("boom at zero");
      return x;
    }).foreachRDD(() => undefined);
    ssc.start();
    await runBatches(ssc, 1);
    await expect(ssc.advanceClock(1000)).rejects.toThrow(/boom at zero/);
    await expect(ssc.awaitTermination()).rejects.toThrow(/boom at zero/);
    expect(ssc.getState()).toBe("STOPPED");
  });

  test("lifecycle errors: no outputs, starting twice, adding streams after start, advanceClock on the system clock", async () => {
    const ssc = manualContext();
    const input = ssc.queueStream([[1]]);
    expect(() => ssc.start()).toThrow(/No output operations registered/);
    input.print();
    ssc.start();
    expect(() => ssc.start()).toThrow(/already been started/);
    expect(() => input.map((x) => x)).toThrow(AnalysisError);
    expect(() => input.map((x) => x)).toThrow(/after starting a context is not supported/);
    await ssc.stop();
    expect(() => ssc.start()).toThrow(/already been stopped/);
    const { StreamingContext, Session } = await import("../../src/index.ts");
    const system = new StreamingContext(Session.builder().getOrCreate(), 1);
    await expect(system.advanceClock(1000)).rejects.toThrow(/manual clock/);
  });

  test("awaitTermination with a timeout resolves false while running and true once stopped", async () => {
    const ssc = manualContext();
    ssc.queueStream([[1]]).print();
    ssc.start();
    expect(await ssc.awaitTermination(20)).toBe(false);
    const stopped = ssc.stop();
    expect(await ssc.awaitTermination(5000)).toBe(true);
    await stopped;
  });
});
