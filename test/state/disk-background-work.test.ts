import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { BackgroundWork, SLICE_BYTES } from "../../src/state/disk/background-work.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";
import { applyVersion, runAndKill, modelAt } from "./disk-merge-versions.ts";
import { IDLE_BUDGET } from "./disk-background-kill-job.ts";
import { putRecord } from "./engine-records.ts";

/**
 * The disk engine's flushing and merging in the thread's idle time (background-work.ts):
 * slices between commits and while a commit waits for its changelog, never while a store is
 * open; versions, manifests, restarts and SIGKILLs stay exact.
 */
const tempDir = tempDirs();
const KILL_JOB = join(import.meta.dirname, "disk-background-kill-job.ts");
/** Keys putIfAbsent adds per version in the provider test. */
const FRESH = 1500;

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextTurn();
}

function expectLookups(engine: RunEngine, model: Map<StateKey, unknown>, what: string): void {
  const keys = [...model.keys(), "absent-1", "absent-2"];
  const out: unknown[] = [];
  engine.getMany(keys, out);
  expect(out, what).toEqual(keys.map((k) => model.get(k)));
}

describe("background work between commits (BackgroundWork on a RunEngine)", () => {
  it("finishes a sealed memtable's flush and a merge in idle turns only while allowed, and commits count it as done", async () => {
    // A 4 MiB memtable share: sealed past 2 MiB, far more than one slice.
    const engine = new RunEngine(await tempDir("rivulet-bg-engine-"), 4 << 20, 8 << 20, 64 << 20);
    const model = new Map<StateKey, unknown>();
    let allowed = false;
    let flushed = 0;
    const failures: unknown[] = [];
    const work = new BackgroundWork(engine, () => allowed, () => flushed++, (e) => failures.push(e));
    let i = 0;
    while (!engine.maybeFlush()) {
      for (let j = 0; j < 1000; j++, i++) {
        model.set(`key-${i}`, { i, pad: "x".repeat(i % 40) });
        putRecord(engine, `key-${i}`, model.get(`key-${i}`));
      }
    }
    expect(engine.flushing).toBe(true);
    work.schedule();
    await turns(50);
    expect(engine.flushing, "no slice while not allowed").toBe(true);
    expect(engine.runs.length).toBe(0);

    allowed = true;
    work.schedule();
    for (let t = 0; t < 500 && engine.flushing; t++) await nextTurn();
    expect(engine.flushing, "the flush finished in idle turns").toBe(false);
    expect(flushed).toBe(1);
    expect(engine.runs.length).toBe(1);
    expect(failures).toEqual([]);
    expectLookups(engine, model, "after the background flush");
    expect(work.takeMs().between).toBeGreaterThan(0);
    // The slices wrote ~2 MiB ahead of the commits: a commit's paced share up to that is credited, and flushes nothing.
    allowed = false;
    while (!engine.maybeFlush()) {
      for (let j = 0; j < 1000; j++, i++) {
        model.set(`key-${i}`, i);
        putRecord(engine, `key-${i}`, i);
      }
    }
    const flushMs = engine.counters.flushMs;
    expect(work.paced(1 << 20, 0)).toBe(false);
    expect(engine.counters.flushMs, "a credited commit does not flush").toBe(flushMs);
    expect(work.paced(64 << 20, 0), "past the credit, the commit flushes").toBe(true);
    expect(engine.counters.flushMs).toBeGreaterThan(flushMs);
    allowed = true;

    // Eight more runs of one size: a merge of those eight, done by slices alone.
    for (let r = 0; r < 8; r++) {
      for (let j = 0; j < 2000; j++, i++) {
        model.set(`key-${i}`, i);
        putRecord(engine, `key-${i}`, i);
      }
      if (r % 2 === 0) for (let j = r; j < i; j += 97) { model.set(`key-${j}`, { again: r }); putRecord(engine, `key-${j}`, { again: r }); }
      engine.flush();
    }
    expect(engine.runs.length).toBe(10);
    expect(engine.hasCompactionWork).toBe(true);
    work.schedule();
    for (let t = 0; t < 2000 && engine.hasCompactionWork; t++) await nextTurn();
    expect(engine.hasCompactionWork).toBe(false);
    expect(engine.runs.length, "the eight runs merged into one").toBe(3);
    expect(engine.counters.compactions).toBe(1);
    expectLookups(engine, model, "after the background merge");
    // One BackgroundWork per engine, as in the provider: this one is done.
    work.stop();

    // While waiting (a commit's changelog write), slices stop as soon as the wait is over.
    // Eight runs of ~200 KiB: a merge of several slices.
    for (let r = 0; r < 8; r++) {
      for (let j = 0; j < 5000; j++, i++) putRecord(engine, `key-${i}`, i);
      engine.flush();
    }
    // Slices merge no further ahead of the commits than maxCompactAheadBytes: a limit of one slice leaves this merge (~1 MB) unfinished.
    const capped = new BackgroundWork(engine, () => true, () => flushed++, (e) => failures.push(e), SLICE_BYTES);
    capped.schedule();
    await turns(200);
    expect(engine.hasCompactionWork, "the merge waits for the commits past the limit").toBe(true);
    expect(engine.counters.compactions).toBe(1);
    expect(engine.counters.largestStepBytes).toBeLessThanOrEqual(SLICE_BYTES + 64 * 1024);
    capped.paced(0, SLICE_BYTES);
    expect(engine.counters.compactions, "the commit's share was credited").toBe(1);
    capped.paced(0, 64 << 20);
    expect(engine.counters.compactions, "past the credit, the commit merges").toBe(2);
    capped.stop();
    for (let r = 0; r < 8; r++) {
      for (let j = 0; j < 5000; j++, i++) putRecord(engine, `key-${i}`, i);
      engine.flush();
    }
    const waiting = new BackgroundWork(engine, () => true, () => flushed++, (e) => failures.push(e));
    let checks = 0;
    await waiting.whileWaiting(() => ++checks > 1);
    expect(checks).toBe(2);
    expect(engine.hasCompactionWork, "the merge was left for later").toBe(true);
    waiting.stop();
    waiting.schedule();
    work.schedule();
    await turns(20);
    expect(engine.hasCompactionWork, "a stopped BackgroundWork does nothing").toBe(true);
    engine.close();
  });
});

describe("disk provider with idle turns between commits", () => {
  it("every version and every manifest's version load exactly, in this process and a new one", async () => {
    const dir = await tempDir("rivulet-bg-provider-");
    // A 16 MiB budget: a memtable sealed past 2 MiB takes several commits' least steps (256 KiB) to write out.
    const options = { dir, memoryBudgetBytes: 16 << 20, minDeltasForSnapshot: 1000, maxRunBytes: 64 << 20 };
    const provider = new DiskStateStoreProvider<unknown>({ ...options, localDir: await tempDir("rivulet-bg-local-") });
    let idle = 0;
    let copied = 0;
    let merged = 0;
    const last = 90;
    for (let v = 0; v < last; v++) {
      const store = await provider.load(v);
      applyVersion(v + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      // New keys through putIfAbsent too (pending records, as dropDuplicates adds them).
      const fresh = Array.from({ length: FRESH }, (_, i) => `p${v + 1}-${i}`);
      expect([...store.putIfAbsent!(fresh, fresh.map((_, i) => i))].every((b) => b === 1)).toBe(true);
      await store.commit();
      const m = store.metrics().customMetrics!;
      idle += (m.stateWorkBetweenCommitsMs ?? 0) + (m.stateWorkWhileSyncingMs ?? 0);
      copied += m.rocksdbFilesCopied ?? 0;
      merged += m.rocksdbTotalBytesWrittenByCompaction ?? 0;
      // The event loop turns between batches: slices run there.
      await turns(40);
    }
    expect(idle, "slices ran in idle time").toBeGreaterThan(0);
    // How many flushes end in a manifest depends on when the flush thread finishes them (a loaded machine: fewer).
    expect(copied, "flushed runs were uploaded with manifests").toBeGreaterThan(0);
    await provider.purge(0);
    await provider.close();

    const model = (v: number): Map<StateKey, unknown> => {
      const m = modelAt(v);
      for (let u = 1; u <= v; u++) for (let i = 0; i < FRESH; i++) m.set(`p${u}-${i}`, i);
      return m;
    };
    const manifests = (await readdir(dir)).filter((f) => f.endsWith(".manifest")).map((f) => Number.parseInt(f));
    expect(manifests.length).toBeGreaterThan(2);
    // A manifest alone (no changelog after it read) must hold exactly its version: a new provider per version.
    for (const v of [...manifests, last, last - 1, 1]) {
      const reader = new DiskStateStoreProvider<unknown>({ ...options, localDir: await tempDir("rivulet-bg-local-") });
      const store = await reader.load(v);
      const expected = model(v);
      expect(store.numKeys, `version ${v}`).toBe(expected.size);
      const probe = [...expected.keys(), `k${v + 1}-0`, `p${v + 1}-0`, "never"];
      expect(store.getMany(probe), `version ${v}`).toEqual(probe.map((k) => expected.get(k)));
      store.abort();
      await reader.close();
    }
  }, 120_000);
});

describe("disk provider with background work across SIGKILLs", () => {
  it("the version last committed before a kill (during idle-time flushes and merges) loads exactly, and its re-run too", async () => {
    const dir = await tempDir("rivulet-bg-kill-");
    const options = { dir, memoryBudgetBytes: IDLE_BUDGET, minDeltasForSnapshot: 3, maxRunBytes: 8 * 1024 * 1024 };
    let version = 0;
    for (const [round, delayMs] of [[0, 0], [1, 2], [2, 9], [3, 1], [4, 5]] as const) {
      const reported = await runAndKill(KILL_JOB, dir, await tempDir("rivulet-bg-kill-local-"), version, version + 8 + 4 * round, delayMs);
      expect(reported).toBeGreaterThan(version);
      version = reported;
      const restarted = new DiskStateStoreProvider<unknown>({ ...options, localDir: await tempDir("rivulet-bg-kill-local-") });
      for (const v of [version, version - 2]) {
        const model = modelAt(v);
        const store = await restarted.load(v);
        expect(store.numKeys, `version ${v}, round ${round}`).toBe(model.size);
        const probe = [...model.keys(), `k${v + 1}-0`, "never"];
        expect(store.getMany(probe), `version ${v}, round ${round}`).toEqual(probe.map((k) => model.get(k)));
        store.abort();
      }
      const store = await restarted.load(version);
      applyVersion(version + 1, (k, x) => store.put(k, x), (k) => store.remove(k));
      await store.commit();
      version++;
      await restarted.close();
    }
  }, 120_000);
});
