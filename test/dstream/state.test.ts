import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, StateSpec, StreamingContext, type State } from "../../src/index.ts";
import { collect, manualContext, runBatches, sortPairs, tempDir } from "./helpers.ts";

const sum = (values: number[], state: number | undefined): number => (state ?? 0) + values.reduce((a, b) => a + b, 0);

describe("updateStateByKey", () => {
  test("running totals: every key with state is updated every batch; returning undefined drops the key", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const pairs = ssc.queueStream<[string, number]>([[["a", 1], ["b", 2]], [["a", 3]], [], [["c", 1]]]);
    const calls: string[] = [];
    const totals = collect(pairs.updateStateByKey<string, number, number>((values, state) => {
      calls.push(`${values.length}:${state ?? "-"}`);
      const next = sum(values, state);
      return next >= 6 ? undefined : next; // a key whose total reaches 6 is dropped
    }));
    ssc.start();
    await runBatches(ssc, 4);
    expect(totals.batches.map(sortPairs)).toEqual([[["a", 1], ["b", 2]], [["a", 4], ["b", 2]], [["a", 4], ["b", 2]], [["a", 4], ["b", 2], ["c", 1]]]);
    expect(calls.slice(0, 4).sort()).toEqual(["1:-", "1:-", "0:2", "1:1"].sort());
  });

  test("initialRDD seeds the state (its keys get the first batch's values); numPartitions shapes the output", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const parts: number[] = [];
    const totals = collect(ssc.queueStream<[string, number]>([[["a", 1], ["z", 5]]])
      .updateStateByKey<string, number, number>(sum, { initialRDD: ssc.parallelize<[string, number]>([["a", 100], ["b", 10]]), numPartitions: 3 })
      .transform((rdd) => { parts.push(rdd.getNumPartitions()); return rdd; }));
    ssc.start();
    await runBatches(ssc, 2);
    expect(totals.batches.map(sortPairs)).toEqual([[["a", 101], ["b", 10], ["z", 5]], [["a", 101], ["b", 10], ["z", 5]]]);
    expect(parts).toEqual([3, 3]);
  });

  test("state lives in versioned state store files under the checkpoint (one delta per batch)", async () => {
    const dir = await tempDir();
    const ssc = manualContext();
    ssc.checkpoint(dir);
    collect(ssc.queueStream<[string, number]>([[["a", 1]], [["a", 1]]]).updateStateByKey<string, number, number>(sum));
    ssc.start();
    await runBatches(ssc, 3);
    await ssc.stop();
    expect((await readdir(join(dir, "state", "0", "0"))).sort()).toEqual(["1.delta", "2.delta", "3.delta"]);
    // The write-ahead log keeps what the inputs must remember (here the last two batches).
    expect((await readdir(join(dir, "batches"))).sort()).toEqual(["1", "2"]);
    expect((await readdir(join(dir, "commits"))).sort()).toEqual(["0", "1", "2"]);
  });
});

describe("mapWithState", () => {
  test("the function runs per record with its key's state; stateSnapshots shows every key's state", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const spec = StateSpec.function((word: string, one: number | undefined, state: State<number>) => {
      const total = (state.exists() ? state.get() : 0) + (one ?? 0);
      if (total >= 3) state.remove();
      else state.update(total);
      return `${word}=${total}`;
    });
    const mapped = ssc.queueStream<[string, number]>([[["a", 1], ["b", 1], ["a", 1]], [["a", 1], ["c", 1]], []]).mapWithState(spec);
    const out = collect(mapped);
    const snapshots = collect(mapped.stateSnapshots());
    ssc.start();
    await runBatches(ssc, 3);
    expect(out.batches).toEqual([["a=1", "b=1", "a=2"], ["a=3", "c=1"], []]);
    expect(snapshots.batches.map(sortPairs)).toEqual([[["a", 2], ["b", 1]], [["b", 1], ["c", 1]], [["b", 1], ["c", 1]]]);
  });

  test("a key without data for longer than the timeout gets a last call with isTimingOut() and is removed", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const calls: string[] = [];
    const spec = StateSpec.function((key: string, value: number | undefined, state: State<number>) => {
      if (state.isTimingOut()) {
        calls.push(`timeout ${key} with ${state.get()}`);
        expect(() => state.update(1)).toThrow("Cannot update the state that is timing out");
        return `${key} ended at ${state.get()}`;
      }
      state.update((state.getOption() ?? 0) + value!);
      return `${key}:${state.get()}`;
    }).timeout(2);
    const mapped = ssc.queueStream<[string, number]>([[["a", 1], ["b", 1]], [["b", 1]], [["b", 1]], [], [], []]).mapWithState(spec);
    const out = collect(mapped);
    const snapshots = collect(mapped.stateSnapshots());
    ssc.start();
    await runBatches(ssc, 6);
    // a last got data at 1000: at 4000 (threshold 2000) it has been idle for more than 2 s.
    expect(out.batches).toEqual([["a:1", "b:1"], ["b:2"], ["b:3"], ["a ended at 1"], [], ["b ended at 3"]]);
    expect(calls).toEqual(["timeout a with 1", "timeout b with 3"]);
    expect(snapshots.last()).toEqual([]);
  });

  test("StateSpec.initialState seeds the state; get() without state is an error", async () => {
    const ssc = manualContext();
    ssc.checkpoint(await tempDir());
    const spec = StateSpec.function((key: string, v: number | undefined, state: State<number>) => {
      if (key === "new") expect(() => state.get()).toThrow(/State is not set/);
      const next = (state.getOption() ?? 0) + (v ?? 0);
      state.update(next);
      return [key, next] as [string, number];
    }).initialState(ssc.parallelize<[string, number]>([["old", 40]])).numPartitions(2);
    const out = collect(ssc.queueStream<[string, number]>([[["old", 2], ["new", 1]]]).mapWithState(spec));
    ssc.start();
    await runBatches(ssc, 1);
    expect(sortPairs(out.last())).toEqual([["new", 1], ["old", 42]]);
  });
});

describe("recovery through StreamingContext.getOrCreate", () => {
  /** The job of the crash test: running totals per word, recorded per batch time. */
  function job(dir: string, queue: string[][], seen: Map<number, [string, number][]>): () => StreamingContext {
    return () => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      ssc.checkpoint(dir);
      ssc.queueStream(queue).map((w) => [w, 1] as [string, number])
        .updateStateByKey<string, number, number>(sum)
        .foreachRDD((rdd, time) => { seen.set(time, sortPairs(rdd.collect())); });
      return ssc;
    };
  }

  test("crash and recover: running totals continue from the checkpoint in a new context", async () => {
    const dir = await tempDir();
    const queue = [["a", "b"], ["a"], ["b", "b"]];
    const seen = new Map<number, [string, number][]>();
    const first = StreamingContext.getOrCreate(dir, job(dir, queue, seen));
    first.start();
    await runBatches(first, 3);
    expect(seen.get(3000)).toEqual([["a", 2], ["b", 3]]);
    await first.stop({ stopGracefully: false });

    queue.push(["a", "c"], ["c"]);
    const after = new Map<number, [string, number][]>();
    const second = StreamingContext.getOrCreate(dir, job(dir, queue, after));
    second.start();
    await runBatches(second, 2);
    // The new context's manual clock continues at the checkpoint's time: batches 4000 and 5000.
    expect([...after.keys()]).toEqual([4000, 5000]);
    expect(after.get(4000)).toEqual([["a", 3], ["b", 3], ["c", 1]]);
    expect(after.get(5000)).toEqual([["a", 3], ["b", 3], ["c", 2]]);
    await second.stop();
  });

  test("a batch that crashed before its commit is re-run with the same input, and counted once", async () => {
    const dir = await tempDir();
    const queue = [["a"], ["a", "a"], ["a"]];
    let failAt: number | null = 2000;
    const seen: [number, [string, number][]][] = [];
    const make = (): StreamingContext => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      ssc.checkpoint(dir);
      ssc.queueStream(queue).map((w) => [w, 1] as [string, number])
        .updateStateByKey<string, number, number>(sum)
        .foreachRDD((rdd, time) => {
          if (time === failAt) throw new Error("crash in the output");
          seen.push([time, rdd.collect()]);
        });
      return ssc;
    };
    const first = StreamingContext.getOrCreate(dir, make);
    first.start();
    await runBatches(first, 1);
    await expect(first.advanceClock(1000)).rejects.toThrow(/crash in the output/);
    expect(queue).toEqual([["a"]]); // batch 2000 took ["a", "a"] from the queue, then crashed
    failAt = null;
    const second = StreamingContext.getOrCreate(dir, make);
    second.start();
    await second.advanceClock(0); // the uncommitted batch 2000 is due at once
    await second.advanceClock(1000);
    expect(seen).toEqual([[1000, [["a", 1]]], [2000, [["a", 3]]], [3000, [["a", 4]]]]);
    await second.stop();
  });

  test("windows over batches from before the restart are recomputed from the write-ahead log", async () => {
    const dir = await tempDir();
    const queue = [["x"], ["x", "y"], ["y"], ["x"]];
    const make = (out: [string, number][][]) => (): StreamingContext => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      ssc.checkpoint(dir);
      const pairs = ssc.queueStream(queue).map((w) => [w, 1] as [string, number]);
      pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 3, 1, { filterFunc: ([, n]) => n > 0 }).foreachRDD((rdd) => { out.push(sortPairs(rdd.collect())); });
      return ssc;
    };
    const before: [string, number][][] = [];
    const first = StreamingContext.getOrCreate(dir, make(before));
    first.start();
    await runBatches(first, 2);
    await first.stop();
    const after: [string, number][][] = [];
    const second = StreamingContext.getOrCreate(dir, make(after));
    second.start();
    await runBatches(second, 3);
    expect(before).toEqual([[["x", 1]], [["x", 2], ["y", 1]]]);
    // At 4000 the batch of 1000 (["x"]) leaves the window: it is read back from the log.
    expect(after).toEqual([[["x", 2], ["y", 2]], [["x", 2], ["y", 2]], [["x", 1], ["y", 1]]]);
    await second.stop();
  });

  test("a checkpoint written by a different graph or batch interval is refused", async () => {
    const dir = await tempDir();
    const first = StreamingContext.getOrCreate(dir, job(dir, [["a"]], new Map()));
    first.start();
    await runBatches(first, 1);
    await first.stop();
    const other = StreamingContext.getOrCreate(dir, () => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      ssc.queueStream<[string, number]>([]).reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 2, 1).print();
      return ssc;
    });
    other.start();
    await expect(other.awaitTermination()).rejects.toThrow(/stateful operators \[0:updateStateByKey\] but this query has \[0:reduceByKeyAndWindow\]/);
    const slower = StreamingContext.getOrCreate(dir, () => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 2, { clock: "manual" });
      ssc.queueStream<[string, number]>([]).updateStateByKey<string, number, number>(sum).print();
      return ssc;
    });
    slower.start();
    await expect(slower.awaitTermination()).rejects.toThrow(/batch interval of 1 s, but this StreamingContext has 2 s/);
  });
});
