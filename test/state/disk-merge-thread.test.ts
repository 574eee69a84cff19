import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { SMALL_RUN_BITS_PER_KEY } from "../../src/state/disk/bloom-filter.ts";
import { flushThreadStarted, mergeThreadStarted } from "../../src/state/disk/background-threads.ts";
import { MergeJob } from "../../src/state/disk/merge-job.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { setThreadedMergeMinBytes, threadedMerges } from "../../src/state/disk/threaded-merge.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";
import { applyVersion, modelAt } from "./disk-merge-versions.ts";
import { putRecord } from "./engine-records.ts";

const tempDir = tempDirs();

/** Runs `f` with merges of at least `bytes` going to the merge thread. */
function withThreshold<T>(bytes: number, f: () => T): T {
  const previous = setThreadedMergeMinBytes(bytes);
  try {
    return f();
  } finally {
    setThreadedMergeMinBytes(previous);
  }
}

/** An engine (memtables written out on its own thread: flushes alike in every run) with `runs` runs of new keys, updates and removals. */
async function engineWithRuns(runs: number, model: Map<StateKey, unknown>): Promise<RunEngine> {
  const engine = new RunEngine(await tempDir("rivulet-merge-thread-"), 64 * 1024, 1 << 20, 1 << 30, false);
  let next = 0;
  while (engine.runs.length < runs) {
    for (let i = 0; i < 300; i++) {
      const key = i % 10 === 0 && next > 0 ? `key-${(next * 31 + i) % next}` : `key-${next++}`;
      const value = i % 25 === 0 ? null : { next, i };
      putRecord(engine, key, value);
      if (value === null) model.delete(key);
      else model.set(key, value);
    }
    engine.maybeFlush();
    engine.flushStep(Infinity);
  }
  return engine;
}

function expectModel(engine: RunEngine, model: Map<StateKey, unknown>): void {
  const keys = [...model.keys(), ...Array.from({ length: 500 }, (_, i) => `absent-${i}`)];
  const out: unknown[] = [];
  engine.getMany(keys, out);
  expect(out).toEqual(keys.map((k) => model.get(k)));
}

describe("merges in the merge thread", () => {
  beforeAll(async () => {
    flushThreadStarted();
    while (!mergeThreadStarted()) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  afterEach(() => {
    setThreadedMergeMinBytes(64 * 1024 * 1024);
  });

  it("write the same run file as a merge on the engine's thread", async () => {
    const model = new Map<StateKey, unknown>();
    const engine = await engineWithRuns(8, model);
    const dir = await tempDir("rivulet-merge-thread-out-");
    for (const dropRemovals of [true, false]) {
      const inline = withThreshold(Infinity, () => new MergeJob(engine.runs, dropRemovals, () => [join(dir, `inline-${dropRemovals}.run`), "inline"], SMALL_RUN_BITS_PER_KEY));
      const sent = threadedMerges;
      const threaded = withThreshold(0, () => new MergeJob(engine.runs, dropRemovals, () => [join(dir, `threaded-${dropRemovals}.run`), "threaded"], SMALL_RUN_BITS_PER_KEY));
      expect(threadedMerges).toBe(sent + 1);
      expect(threaded.bytes).toBe(0);
      expect(inline.step(Infinity)).toBe(true);
      expect(threaded.step(Infinity)).toBe(true);
      const inlineBytes = readFileSync(inline.outputs[0]!.path);
      expect(threaded.bytes).toBe(inline.bytes);
      expect(readFileSync(threaded.outputs[0]!.path).equals(inlineBytes)).toBe(true);
    }
    engine.close();
  });

  it("is taken in by the engine's merging, and lookups equal a Map's before, while and after", async () => {
    const model = new Map<StateKey, unknown>();
    const engine = await engineWithRuns(8, model);
    const sent = threadedMerges;
    withThreshold(0, () => engine.compact(1024));
    // (The thread may have finished it already: a small step never waits, but the merge is small.)
    expect(threadedMerges).toBe(sent + 1);
    expectModel(engine, model);
    // A small step never waits for the thread; an infinite one (a stall) does.
    while (engine.merging) {
      engine.compact(1024);
      expectModel(engine, model);
      if (engine.merging) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(engine.counters.compactions).toBe(1);
    expect(engine.runs).toHaveLength(1);
    expectModel(engine, model);
    engine.close();
  });

  it("abandoned, leaves no file and the thread goes on with the next merge", async () => {
    const model = new Map<StateKey, unknown>();
    const engine = await engineWithRuns(8, model);
    const dir = await tempDir("rivulet-merge-thread-abandon-");
    const abandoned = withThreshold(0, () => new MergeJob(engine.runs, true, () => [join(dir, "abandoned.run"), "abandoned"], SMALL_RUN_BITS_PER_KEY));
    abandoned.abandon();
    expect(existsSync(abandoned.outputs[0]!.path)).toBe(false);
    const next = withThreshold(0, () => new MergeJob(engine.runs, true, () => [join(dir, "next.run"), "next"], SMALL_RUN_BITS_PER_KEY));
    expect(next.step(Infinity)).toBe(true);
    expect(existsSync(next.outputs[0]!.path)).toBe(true);
    engine.close();
  });

  it("that fails reports the thread's error as a StateError", async () => {
    const model = new Map<StateKey, unknown>();
    const engine = await engineWithRuns(8, model);
    const dir = await tempDir("rivulet-merge-thread-gone-");
    const job = withThreshold(0, () => new MergeJob(engine.runs, true, () => [join(dir, "no-such-dir", "x.run"), "x"], SMALL_RUN_BITS_PER_KEY));
    expect(() => job.step(Infinity)).toThrow(StateError);
    expect(() => job.step(Infinity)).toThrow(/merge of runs failed in the merge thread: .*ENOENT/);
    engine.close();
  });

  it("in a provider: every version a manifest names, and the last, load exactly in a new provider", async () => {
    setThreadedMergeMinBytes(0);
    const dir = await tempDir("rivulet-merge-thread-provider-");
    // A 1 MiB budget: a flush every few versions, merges of eight runs among the commits.
    const options = { dir, memoryBudgetBytes: 1 << 20, minDeltasForSnapshot: 1000, maxRunBytes: 64 << 20 };
    const provider = new DiskStateStoreProvider<unknown>({ ...options, localDir: await tempDir("rivulet-merge-thread-local-") });
    const sent = threadedMerges;
    const fresh = 600;
    const last = 60;
    let merged = 0;
    for (let v = 0; v < last; v++) {
      const store = await provider.load(v);
      applyVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      const keys = Array.from({ length: fresh }, (_, i) => `p${v + 1}-${i}`);
      expect([...store.putIfAbsent!(keys, keys.map((_, i) => i))].every((b) => b === 1)).toBe(true);
      await store.commit();
      merged += store.metrics().customMetrics!.rocksdbTotalBytesWrittenByCompaction ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(threadedMerges, "merges went to the merge thread").toBeGreaterThan(sent);
    expect(merged, "merged runs were taken in").toBeGreaterThan(0);
    await provider.purge(0);
    await provider.close();
    setThreadedMergeMinBytes(64 * 1024 * 1024);
    const model = (v: number): Map<StateKey, unknown> => {
      const m = modelAt(v);
      for (let u = 1; u <= v; u++) for (let i = 0; i < fresh; i++) m.set(`p${u}-${i}`, i);
      return m;
    };
    const manifests = (await readdir(dir)).filter((f) => f.endsWith(".manifest")).map((f) => Number.parseInt(f));
    expect(manifests.length).toBeGreaterThan(1);
    for (const v of [...manifests, last, 1]) {
      const reader = new DiskStateStoreProvider<unknown>({ ...options, localDir: await tempDir("rivulet-merge-thread-local-") });
      const store = await reader.load(v);
      const expected = model(v);
      expect(store.numKeys, `version ${v}`).toBe(expected.size);
      const probe = [...expected.keys(), `p${v + 1}-0`, "never"];
      expect(store.getMany(probe), `version ${v}`).toEqual(probe.map((k) => expected.get(k)));
      store.abort();
      await reader.close();
    }
  }, 120_000);
});
