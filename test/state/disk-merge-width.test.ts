import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MERGE_WIDTH, mergeableFrom, pickMerge, STALL_RUNS } from "../../src/state/disk/compaction-policy.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";
import { applyVersion, runAndKill, KILL_BUDGET, modelAt } from "./disk-merge-versions.ts";
import { putRecord } from "./engine-records.ts";

const tempDir = tempDirs();
const KILL_JOB = join(import.meta.dirname, "disk-merge-kill-job.ts");

/** Between two batches, as a commit does: seal a full memtable, a step of flushing and one of merging. */
function commitStep(engine: RunEngine, step: number): void {
  engine.maybeFlush();
  engine.flushStep(step);
  engine.compact(step);
}

describe("disk state compaction policy: merges MERGE_WIDTH wide", () => {
  it("picks the newest MERGE_WIDTH runs of about one size, never a final run, and uneven ones only once they pile up", () => {
    const max = 8 * 1024 * 1024;
    expect(MERGE_WIDTH).toBe(8);
    expect(pickMerge(Array(MERGE_WIDTH - 1).fill(100), max)).toBeNull();
    expect(pickMerge(Array(MERGE_WIDTH).fill(100), max)).toEqual([0, MERGE_WIDTH]);
    // A final run (over max / MERGE_WIDTH) is never an input; the runs after it are.
    const final = max / MERGE_WIDTH + 1;
    expect(pickMerge([final, ...Array(MERGE_WIDTH).fill(100)], max)).toEqual([1, 1 + MERGE_WIDTH]);
    expect(pickMerge([100, final, ...Array(MERGE_WIDTH - 1).fill(100)], max)).toBeNull();
    expect(mergeableFrom([100, final, 100, 100], max)).toBe(2);
    // A large mergeable run and small ones: merged together only once STALL_RUNS are mergeable.
    const uneven = [100 * MERGE_WIDTH + 1, ...Array(MERGE_WIDTH - 1).fill(100)];
    expect(pickMerge(uneven, max)).toBeNull();
    const piled = [...Array(STALL_RUNS - MERGE_WIDTH + 1).fill(10_000), ...Array(MERGE_WIDTH - 1).fill(100)];
    expect(pickMerge(piled, max)).toEqual([piled.length - MERGE_WIDTH, piled.length]);
  });

  it("runs stay few, a flushed record is rewritten at most once on its way to a final run, and lookups equal a Map's", async () => {
    const dir = await tempDir("rivulet-merge-width-");
    const maxRunBytes = 1024 * 1024;
    const engine = new RunEngine(dir, 64 * 1024, 1024 * 1024, maxRunBytes);
    const step = 64 * 1024;
    const model = new Map<StateKey, unknown>();
    let next = 0;
    let mostMergeable = 0;
    let mostRuns = 0;
    for (let batch = 0; batch < 400; batch++) {
      for (let i = 0; i < 300; i++) {
        // Mostly new keys; some updates and removals of older ones (in older runs by then).
        const key = i % 20 === 0 && next > 0 ? `key-${(batch * 7919 + i) % next}` : `key-${next++}`;
        const value = i % 40 === 0 ? null : { batch, i };
        putRecord(engine, key, value);
        if (value === null) model.delete(key);
        else model.set(key, value);
      }
      commitStep(engine, step);
      const sizes = engine.runs.map((r) => r.fileBytes);
      mostMergeable = Math.max(mostMergeable, sizes.length - mergeableFrom(sizes, maxRunBytes));
      mostRuns = Math.max(mostRuns, sizes.length);
    }
    const c = engine.counters;
    const flushRun = c.bytesWrittenByFlush / c.flushes;
    // What the claim below rests on: eight flushed runs make a final run (over maxRunBytes / 8).
    expect(8 * flushRun * 0.9).toBeGreaterThan(maxRunBytes / 8);
    expect(c.flushes).toBeGreaterThan(6 * MERGE_WIDTH);
    expect(c.compactions).toBeGreaterThan(4);
    // Each flushed byte is merged once at most (merging four at a time wrote it twice: into a run of four, then of sixteen).
    expect(c.bytesWrittenByCompaction).toBeLessThanOrEqual(c.bytesWrittenByFlush);
    expect(c.bytesReadByCompaction).toBeLessThanOrEqual(c.bytesWrittenByFlush);
    expect(c.compactionStalls).toBe(0);
    // Mergeable runs never pass STALL_RUNS; a lookup asks the final runs and those.
    expect(mostMergeable).toBeLessThanOrEqual(STALL_RUNS);
    const finals = mergeableFrom(engine.runs.map((r) => r.fileBytes), maxRunBytes);
    expect(finals).toBeGreaterThan(3);
    expect(mostRuns).toBeLessThanOrEqual(finals + STALL_RUNS + 1);
    const keys = [...model.keys(), ...Array.from({ length: 500 }, (_, i) => `key-${i * 37}`), "never"];
    const out: unknown[] = [];
    engine.getMany(keys, out);
    expect(out).toEqual(keys.map((k) => model.get(k)));
    engine.close();
  });

  it("a merge of many runs keeps each key's newest record among keys of one hash1, and drops removals", async () => {
    // Keys whose hash1s are equal (32 bits: a few among some 300,000 keys).
    const byH1 = new Map<number, string>();
    const pairs: Array<[string, string]> = [];
    for (let i = 0; pairs.length < 6; i++) {
      const key = `c-${i}`;
      hashKey(key);
      const other = byH1.get(keyHash.h1);
      if (other !== undefined) pairs.push([other, key]);
      else byH1.set(keyHash.h1, key);
    }
    const dir = await tempDir("rivulet-merge-collide-");
    const engine = new RunEngine(dir, 8 * 1024, 1024 * 1024, 64 * 1024 * 1024);
    const model = new Map<StateKey, unknown>();
    for (let run = 0; run < 3 * MERGE_WIDTH; run++) {
      for (let i = 0; i < 40; i++) putRecord(engine, `filler-${run}-${i}`, run);
      for (const [p, [a, b]] of pairs.entries()) {
        // Each pair's keys written in turn by different runs; some removed and written again.
        const key = (run + p) % 2 === 0 ? a : b;
        const value = (run + p) % 5 === 4 ? null : { run, p };
        putRecord(engine, key, value);
        if (value === null) model.delete(key);
        else model.set(key, value);
      }
      for (let i = 0; i < 40; i++) model.set(`filler-${run}-${i}`, run);
      engine.flush();
    }
    expect(engine.runs.length).toBe(3 * MERGE_WIDTH);
    // A scan merges all the runs at once (entries), a compaction MERGE_WIDTH at a time.
    expect(new Map(engine.entries())).toEqual(model);
    engine.compact(Infinity);
    expect(engine.counters.compactions).toBeGreaterThan(0);
    expect(engine.runs.length).toBeLessThan(3 * MERGE_WIDTH);
    expect(new Map(engine.entries())).toEqual(model);
    const keys = [...model.keys(), ...pairs.flat()];
    const out: unknown[] = [];
    engine.getMany(keys, out);
    expect(out).toEqual(keys.map((k) => model.get(k)));
    engine.close();
  });
});

async function expectVersion(provider: DiskStateStoreProvider, v: number, what: string): Promise<void> {
  const model = modelAt(v);
  const store = await provider.load(v);
  expect(store.numKeys, what).toBe(model.size);
  const probe = [...model.keys(), `k${v + 1}-0`, `k1-7`, "never"];
  expect(store.getMany(probe), what).toEqual(probe.map((k) => model.get(k)));
  store.abort();
}

describe("disk state with MERGE_WIDTH-wide merges across SIGKILLs, restarts and purges", () => {
  it("the version last committed before a kill in the middle of commits loads exactly; re-runs and purges stay exact", async () => {
    const dir = await tempDir("rivulet-merge-kill-");
    const options = { dir, memoryBudgetBytes: KILL_BUDGET, minDeltasForSnapshot: 2, maxRunBytes: 4 * 1024 * 1024 };
    // The same history in this process first: its commits merge (what the kills below cut into).
    const probeDir = await tempDir("rivulet-merge-kill-probe-");
    const probe = new DiskStateStoreProvider({ ...options, dir: probeDir, localDir: await tempDir("rivulet-merge-kill-probe-local-") });
    let merged = 0;
    for (let v = 0; v < 40; v++) {
      const store = await probe.load(v);
      applyVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      await store.commit();
      if ((store.metrics().customMetrics!.rocksdbTotalBytesWrittenByCompaction ?? 0) > 0) merged++;
    }
    await probe.close();
    expect(merged).toBeGreaterThan(2);

    let version = 0;
    for (const [round, delayMs] of [[0, 0], [1, 3], [2, 11], [3, 1], [4, 7]] as const) {
      const reported = await runAndKill(KILL_JOB, dir, await tempDir("rivulet-merge-kill-local-"), version, version + 6 + 3 * round, delayMs);
      expect(reported).toBeGreaterThan(version);
      version = reported;
      // A new process: the last version reported is exact, whatever the kill left of the next one.
      const restarted = new DiskStateStoreProvider({ ...options, localDir: await tempDir("rivulet-merge-kill-local-") });
      await expectVersion(restarted, version, `version ${version} after the kill of round ${round}`);
      // Its re-run of the next version, then an older retained one.
      const store = await restarted.load(version);
      applyVersion(version + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      await store.commit();
      version++;
      await expectVersion(restarted, version, `the re-run's version ${version} (round ${round})`);
      await expectVersion(restarted, version - 3, `version ${version - 3} (round ${round})`);
      await restarted.close();
    }
    // Purges: versions from the retained one on load exactly (in a new process), older ones are refused.
    const purging = new DiskStateStoreProvider({ ...options, localDir: await tempDir("rivulet-merge-kill-local-") });
    await purging.purge(version - 4);
    await purging.close();
    const reader = new DiskStateStoreProvider({ ...options, localDir: await tempDir("rivulet-merge-kill-local-") });
    for (const v of [version, version - 2, version - 4]) await expectVersion(reader, v, `version ${v} after the purge`);
    await expect(reader.load(1)).rejects.toThrow(/cannot load state version 1/);
    await reader.close();
    expect((await readdir(dir)).filter((f) => f.endsWith(".changelog")).map((f) => Number.parseInt(f)).every((v) => v >= 2)).toBe(true);
  }, 120_000);
});
