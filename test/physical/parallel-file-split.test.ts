import { describe, expect, test } from "vitest";
import { WorkerPartialAggregation } from "../../src/physical/parallel-aggregation.ts";
import { StructType } from "../../src/types/data-types.ts";

/**
 * How a batch's files split between this thread (the first ones, folded straight into the
 * state) and the workers: a function of the number of files (and the machine's cores) only,
 * so that a re-run batch splits them as the first run did.
 */
const plan = { scanSchema: new StructType([]), stages: [], groupings: [], aggregates: [], eventTimeKey: null, numPartitions: 1 };

describe("this thread's share of a batch's files", () => {
  test("with two workers or more (two threads on two cores or more): the first file here (the probe's, free), the workers the rest", () => {
    const runner = new WorkerPartialAggregation(0, 2, plan, [], undefined, 2);
    expect(runner.workers).toBe(2);
    expect([0, 1, 2, 3, 5, 8, 10, 20].map((n) => runner.ownShare(n))).toEqual([0, 1, 1, 1, 1, 1, 1, 1]);
    expect(runner.describe()).toBe("2 worker threads read each batch's files but the first, this one reads the first and merges");
    // Threads beyond the cores would only take turns.
    expect(new WorkerPartialAggregation(0, 8, plan, [], undefined, 4).workers).toBe(4);
  });

  test("with one worker (one core): 4 of 10, 3 of 8, 1 of 2 or 3, a batch of one file here", () => {
    const runner = new WorkerPartialAggregation(0, 2, plan, [], undefined, 1);
    expect(runner.workers).toBe(1);
    expect([0, 1, 2, 3, 5, 8, 10, 20].map((n) => runner.ownShare(n))).toEqual([0, 1, 1, 1, 2, 3, 4, 8]);
    expect(runner.describe()).toBe("2 threads (this one and 1 worker)");
  });

  test("one thread asked for: no worker, every file here", () => {
    const runner = new WorkerPartialAggregation(0, 1, plan, []);
    expect(runner.workers).toBe(0);
    expect(runner.describe()).toBeNull();
  });
});
