import { describe, expect, test } from "vitest";
import { Session, StateSpec, StreamingContext, type State } from "../../src/index.ts";
import { waitFor } from "../wait-for.ts";
import { collect, runBatches, tempDir } from "./helpers.ts";

describe("StreamingContext lifecycle", () => {
  test("on the system clock, batches run every interval in real time until stop()", async () => {
    const ssc = new StreamingContext(Session.builder().getOrCreate(), 0.02);
    const queue = [[1], [2], [3]];
    const got = collect(ssc.queueStream(queue));
    ssc.start();
    expect(ssc.getState()).toBe("ACTIVE");
    await waitFor(() => got.batches.length, (n) => n >= 4, "four batches on the system clock");
    await ssc.stop(false, false); // Spark's stop(stopSparkContext, stopGracefully)
    expect(ssc.getState()).toBe("STOPPED");
    expect(got.batches.slice(0, 4)).toEqual([[1], [2], [3], []]);
    // Batch times are consecutive multiples of the interval.
    const steps = got.times.slice(1).map((t, i) => t - got.times[i]!);
    expect(new Set(steps)).toEqual(new Set([20]));
  });

  test("mapWithState's state and timeouts carry over a restart through getOrCreate", async () => {
    const dir = await tempDir();
    const queue: [string, number][][] = [[["a", 1], ["b", 1]], [["a", 1]]];
    const make = (out: string[][]) => (): StreamingContext => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      const spec = StateSpec.function((k: string, v: number | undefined, state: State<number>) => {
        if (state.isTimingOut()) return `${k} timed out at ${state.get()}`;
        state.update((state.getOption() ?? 0) + v!);
        return `${k}=${state.get()}`;
      }).timeout(2);
      ssc.queueStream(queue).mapWithState(spec).foreachRDD((rdd) => { out.push(rdd.collect()); });
      return ssc;
    };
    const before: string[][] = [];
    const first = StreamingContext.getOrCreate(dir, make(before));
    first.start();
    await runBatches(first, 2);
    await first.stop();
    queue.push([["a", 5]]);
    const after: string[][] = [];
    const second = StreamingContext.getOrCreate(dir, make(after));
    second.start();
    await runBatches(second, 3);
    await second.stop();
    expect(before).toEqual([["a=1", "b=1"], ["a=2"]]);
    // b got data at 1000 only: at 4000 (threshold 2000) it times out.
    expect(after).toEqual([["a=7"], ["b timed out at 1"], []]);
  });

  test("remember keeps older batches for transform code that looks back (and windows keep theirs)", async () => {
    const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
    ssc.remember(5);
    const input = ssc.queueStream([[1], [2], [3]]);
    const windowed = collect(input.window(3));
    ssc.start();
    await runBatches(ssc, 3);
    await ssc.stop();
    expect(input.rememberDuration).toBeGreaterThanOrEqual(5000);
    expect(windowed.last()).toEqual([1, 2, 3]);
  });
});
