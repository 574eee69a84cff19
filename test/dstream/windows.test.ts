import { describe, expect, test } from "vitest";
import { AnalysisError } from "../../src/index.ts";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { collect, manualContext, runBatches, sortPairs, tempDir } from "./helpers.ts";

/** Random inputs replay from their seed when a case fails. */
const random = seededRandom;

/** The window ending at batch `i` (0-based) recomputed from scratch: every value of batches (i − w, i], summed per key. */
function recompute(batches: [string, number][][], i: number, windowBatches: number): [string, number][] {
  const sums = new Map<string, number>();
  for (let b = Math.max(0, i - windowBatches + 1); b <= i; b++) for (const [k, v] of batches[b]!) sums.set(k, (sums.get(k) ?? 0) + v);
  return sortPairs([...sums]);
}

describe("windowed DStream operations", () => {
  test("window(3, 2): the union of the last three batches at every second batch", async () => {
    const ssc = manualContext();
    const windows = collect(ssc.queueStream([[1], [2], [3], [4], [5], [6]]).window(3, 2));
    ssc.start();
    await runBatches(ssc, 6);
    expect(windows.times).toEqual([2000, 4000, 6000]);
    expect(windows.batches).toEqual([[1, 2], [2, 3, 4], [4, 5, 6]]);
  });

  test("countByWindow, reduceByWindow with and without an inverse, groupByKeyAndWindow", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const input = ssc.queueStream([[1, 2], [3], [], [4]]);
    const counts = collect(input.countByWindow(2, 1));
    const sums = collect(input.reduceByWindow((a, b) => a + b, 2, 1));
    const sumsInv = collect(input.reduceByWindow((a, b) => a + b, (a, b) => a - b, 2, 1));
    const grouped = collect(input.map((x) => [x % 2, x] as [number, number]).groupByKeyAndWindow(2, 1));
    ssc.start();
    await runBatches(ssc, 5);
    // Batches: [1, 2], [3], [], [4], [] — windows of two batches.
    expect(counts.batches).toEqual([[2], [3], [1], [1], [1]]);
    expect(sums.batches).toEqual([[3], [6], [3], [4], [4]]);
    expect(sumsInv.batches).toEqual([[3], [6], [3], [4], [4]]);
    expect(grouped.batches.map(sortPairs)).toEqual([[[0, [2]], [1, [1]]], [[0, [2]], [1, [1, 3]]], [[1, [3]]], [[0, [4]]], [[0, [4]]]]);
    await runBatches(ssc, 1);
    // The window is empty: the inverse form keeps its key at 0 (Spark's behaviour), the plain form has nothing.
    expect(counts.last()).toEqual([0]);
    expect(sums.last()).toEqual([]);
    expect(sumsInv.last()).toEqual([0]);
  });

  test("reduceByKeyAndWindow without the inverse recomputes; with it, keys at 0 stay unless filterFunc drops them", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const pairs = ssc.queueStream<string>([["a", "b"], ["a"], [], []]).map((w) => [w, 1] as [string, number]);
    const plain = collect(pairs.reduceByKeyAndWindow((x, y) => x + y, 2, 1));
    const inverse = collect(pairs.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1));
    const filtered = collect(pairs.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 2, 1, { filterFunc: ([, n]) => n > 0, numPartitions: 3 }));
    const byValue = collect(ssc.queueStream<string>([["x", "y", "x"], ["x"], []]).countByValueAndWindow(2, 1));
    ssc.start();
    await runBatches(ssc, 4);
    expect(plain.batches.map(sortPairs)).toEqual([[["a", 1], ["b", 1]], [["a", 2], ["b", 1]], [["a", 1]], []]);
    expect(inverse.batches.map(sortPairs)).toEqual([[["a", 1], ["b", 1]], [["a", 2], ["b", 1]], [["a", 1], ["b", 0]], [["a", 0], ["b", 0]]]);
    expect(filtered.batches.map(sortPairs)).toEqual([[["a", 1], ["b", 1]], [["a", 2], ["b", 1]], [["a", 1]], []]);
    expect(byValue.batches.map(sortPairs)).toEqual([[["x", 2], ["y", 1]], [["x", 3], ["y", 1]], [["x", 1]], []]);
  });

  test("the issue's form: reduceByKeyAndWindow(f, invF, window, slide, { numPartitions, filterFunc }) keeps the partitioning", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const parts: number[] = [];
    ssc.queueStream([["a", "b", "c", "d"]]).map((w) => [w, 1] as [string, number])
      .reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 3, 1, { numPartitions: 4, filterFunc: ([, n]) => n !== 0 })
      .foreachRDD((rdd) => { parts.push(rdd.getNumPartitions()); });
    ssc.start();
    await runBatches(ssc, 1);
    expect(parts).toEqual([4]);
  });

  for (const [seed, windowBatches, slideBatches] of [[1, 3, 1], [2, 5, 2], [3, 4, 4], [4, 2, 3], [5, 6, 3]] as const) {
    test(`property: with the inverse function, every slide equals recomputing the window (seed ${seed}, window ${windowBatches}, slide ${slideBatches})`, async () => {
      const next = random(seed);
      const batches: [string, number][][] = [];
      for (let i = 0; i < 40; i++) {
        const n = Math.floor(next() * 8);
        batches.push(Array.from({ length: n }, () => [`k${Math.floor(next() * 5)}`, Math.floor(next() * 10) - 3] as [string, number]));
      }
      const ssc = manualContext();
      ssc.checkpoint(await tempDir());
      const input = ssc.queueStream(batches.map((b) => [...b]));
      // Values may be negative: a key whose sum is 0 may still be in the window, so compare without keys at 0.
      const incremental = collect(input.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, windowBatches, slideBatches));
      const filtered = collect(input.map((p) => [p[0], Math.abs(p[1]) + 1] as [string, number])
        .reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, windowBatches, slideBatches, { filterFunc: ([, v]) => v !== 0 }));
      ssc.start();
      await runBatches(ssc, batches.length);
      const expectedTimes = batches.map((_, i) => (i + 1) * 1000).filter((t) => (t / 1000) % slideBatches === 0);
      expect(incremental.times).toEqual(expectedTimes);
      const positive = batches.map((b) => b.map(([k, v]) => [k, Math.abs(v) + 1] as [string, number]));
      incremental.batches.forEach((got, j) => {
        const i = expectedTimes[j]! / 1000 - 1;
        const want = recompute(batches, i, windowBatches).filter(([, v]) => v !== 0);
        expect(sortPairs(got.filter(([, v]) => v !== 0)), `slide ending at batch ${i}`).toEqual(want);
        // Keys at 0 are only ones that were in an earlier window.
        expect(filtered.batches[j] && sortPairs(filtered.batches[j]!), `filtered slide ending at batch ${i}`).toEqual(recompute(positive, i, windowBatches));
      });
    });
  }

  test("with the inverse function a slide touches only the entering and leaving batches, not the whole window", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const queue: [string, number][][] = Array.from({ length: 30 }, (_, i) => [[`k${i % 3}`, 1]]);
    let adds = 0;
    let subtracts = 0;
    const out = collect(ssc.queueStream(queue).reduceByKeyAndWindow(
      (a, b) => { adds++; return a + b; },
      (a, b) => { subtracts++; return a - b; },
      20, 1,
    ));
    ssc.start();
    await runBatches(ssc, 25);
    adds = 0;
    subtracts = 0;
    await runBatches(ssc, 5);
    // Each of the 5 slides: one key enters (one f), one key leaves (one invF), over a 20-batch window.
    expect({ adds, subtracts }).toEqual({ adds: 5, subtracts: 5 });
    // Batches 11…30 hold values 10…29: k0 six times, k1 and k2 seven times.
    expect(sortPairs(out.last())).toEqual([["k0", 6], ["k1", 7], ["k2", 7]]);
  });

  test("window and slide durations must be multiples of the batch interval (the error names both values)", () => {
    const ssc = manualContext(2);
    const pairs = ssc.queueStream<[string, number]>([]);
    expect(() => pairs.window(3)).toThrow(AnalysisError);
    expect(() => pairs.window(3)).toThrow("The window duration of windowed DStream (3 s) must be a multiple of the slide duration of parent DStream (2 s");
    expect(() => pairs.window(4, 3)).toThrow(/slide duration of windowed DStream \(3 s\) must be a multiple .* \(2 s/);
    expect(() => pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 5, 2)).toThrow(/\(5 s\).*\(2 s/);
    expect(() => pairs.reduceByKeyAndWindow((a, b) => a + b, 4, 1)).toThrow(/\(1 s\).*\(2 s/);
    expect(() => pairs.countByWindow(4, 3)).toThrow(/multiple/);
    expect(() => pairs.window(-1)).toThrow(/positive number of seconds/);
    // A window of a window: multiples of the parent's slide.
    expect(() => pairs.window(4, 4).window(6)).toThrow(/\(6 s\).*\(4 s/);
  });

  test("inverse windows and stateful operations need a checkpoint directory (Spark's error), checked at start", () => {
    for (const build of [
      (s: ReturnType<typeof manualContext>) => s.queueStream<[string, number]>([]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 2, 1).print(),
      (s: ReturnType<typeof manualContext>) => s.queueStream<[string, number]>([]).updateStateByKey<string, number, number>((vs, st) => (st ?? 0) + vs.length).print(),
      (s: ReturnType<typeof manualContext>) => s.queueStream<number>([]).countByWindow(2, 1).print(),
    ]) {
      const ssc = manualContext();
      build(ssc);
      expect(() => ssc.start()).toThrow("The checkpoint directory has not been set. Please set it by StreamingContext.checkpoint().");
    }
  });
});
