import { truncateSync } from "node:fs";
import { cp, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlockCache } from "../../src/state/disk/block-cache.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { RunFile } from "../../src/state/disk/run-file.ts";
import { RunWriter } from "../../src/state/disk/run-writer.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { decodeValue, encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";
import { putRecord } from "./engine-records.ts";

const tempDir = tempDirs();
const FIXTURE = join(import.meta.dirname, "fixtures", "disk-checkpoint-run-v1");

/** A run file of `n` keys `key-<i>` → i, written in hash1 order. */
function writeRun(path: string, n: number): void {
  const records = Array.from({ length: n }, (_, i) => {
    hashKey(`key-${i}`);
    return { h1: keyHash.h1, h2: keyHash.h2, i };
  }).sort((a, b) => a.h1 - b.h1);
  const writer = new RunWriter(path);
  for (const r of records) writer.addKey(r.h1, r.h2, `key-${r.i}`, encodeValue(r.i));
  writer.finish();
}

function lookup(run: RunFile, key: string, cache: BlockCache): unknown {
  hashKey(key);
  const found = { block: Buffer.alloc(0), valueStart: 0, valueLength: 0 };
  if (!run.find(key, keyHash.h1, keyHash.h2, cache, found)) return undefined;
  return decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength));
}

describe("disk state run files, format 2 (partitioned filters and indexes)", () => {
  it("keep only a small top index in memory and read filter partitions through the block cache", async () => {
    const dir = await tempDir("rivulet-run-format-");
    const path = join(dir, "a.run");
    writeRun(path, 60_000);
    const run = RunFile.open(path, "a.run");
    expect(run.format).toBe(2);
    expect(run.numEntries).toBe(60_000);
    expect(run.numPartitions).toBeGreaterThan(5);
    // A whole-file filter would be 10 bits a key (75 KB here); the top index is some 24 bytes a partition.
    expect(run.memoryBytes).toBeLessThanOrEqual(24 * run.numPartitions);
    expect(run.memoryBytes).toBeLessThan(run.fileBytes / 1000);

    const cache = new BlockCache(64 * 1024 * 1024);
    for (let i = 0; i < 60_000; i += 7) expect(lookup(run, `key-${i}`, cache)).toBe(i);
    // Each partition was read from the file once, then came from the cache.
    expect(run.partitionReads).toBe(run.numPartitions);
    expect(cache.highPriorityBytes).toBeGreaterThan(60_000 * 10 / 8);
    let rejected = 0;
    const blocksBefore = cache.misses;
    for (let i = 0; i < 10_000; i++) if (lookup(run, `absent-${i}`, cache) === undefined) rejected++;
    expect(rejected).toBe(10_000);
    // The filters let about 1% of absent keys through to a block read (each a cache miss at most).
    expect(cache.misses - blocksBefore).toBeLessThan(400);
    expect(run.partitionReads).toBe(run.numPartitions);
    run.close();
  });

  it("a run file cut short after it was opened is an error naming it, never a key read as absent", async () => {
    const dir = await tempDir("rivulet-run-format-");
    const path = join(dir, "c.run");
    writeRun(path, 60_000);
    const run = RunFile.open(path, "c.run");
    expect(lookup(run, "key-0", new BlockCache(64 * 1024 * 1024))).toBe(0);
    // The local copy loses its second half (a full disk, a stray truncation): reads past the end come back short.
    truncateSync(path, Math.floor(run.fileBytes / 2));
    const cache = new BlockCache(64 * 1024 * 1024);
    const lookUpAll = (): void => {
      for (let i = 0; i < 60_000; i += 7) expect(lookup(run, `key-${i}`, cache)).toBe(i);
    };
    expect(lookUpAll).toThrow(/state run file .*c\.run is truncated: read \d+ of \d+ bytes at offset \d+/);
    run.close();
  });

  it("a cache smaller than the filters stays within its budget (partitions evicted and read again) and answers right", async () => {
    const dir = await tempDir("rivulet-run-format-");
    const path = join(dir, "b.run");
    writeRun(path, 60_000);
    const run = RunFile.open(path, "b.run");
    const cache = new BlockCache(32 * 1024);
    let maxBytes = 0;
    for (let i = 0; i < 60_000; i += 13) {
      expect(lookup(run, `key-${i}`, cache)).toBe(i);
      maxBytes = Math.max(maxBytes, cache.bytes);
    }
    expect(maxBytes).toBeLessThanOrEqual(32 * 1024);
    expect(cache.highEvictions).toBeGreaterThan(0);
    expect(run.partitionReads).toBeGreaterThan(run.numPartitions);
    run.close();
  });

  it("data blocks are evicted before filter and index partitions", () => {
    const cache = new BlockCache(10_000);
    cache.set(BlockCache.partitionKey(1, 0), { byteLength: 3000 });
    for (let b = 0; b < 10; b++) cache.set(BlockCache.key(1, b), { byteLength: 2000 });
    expect(cache.get(BlockCache.partitionKey(1, 0))).toBeDefined();
    expect(cache.highEvictions).toBe(0);
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    cache.dropRun(1, 10, 1);
    expect(cache.bytes).toBe(0);
    expect(cache.highPriorityBytes).toBe(0);
  });
});

describe("disk state compaction", () => {
  it("no merge writes more than maxRunBytes and no commit's step more than its share, however large the state", async () => {
    const dir = await tempDir("rivulet-compaction-");
    const maxRunBytes = 256 * 1024;
    const engine = new RunEngine(dir, 16 * 1024, 1024 * 1024, maxRunBytes);
    const step = 64 * 1024;
    const model = new Map<StateKey, unknown>();
    let next = 0;
    for (let batch = 0; batch < 150; batch++) {
      for (let i = 0; i < 300; i++) {
        // Mostly new keys, some updates of old ones (a merge must keep the newest).
        const key = i % 10 === 0 && next > 0 ? `key-${(batch * 7919 + i) % next}` : `key-${next++}`;
        putRecord(engine, key, batch);
        model.set(key, batch);
      }
      engine.maybeFlush();
      engine.flushStep(step);
      engine.compact(step);
    }
    const state = engine.diskBytes;
    expect(state).toBeGreaterThan(5 * maxRunBytes);
    const c = engine.counters;
    expect(c.compactions).toBeGreaterThan(5);
    expect(c.largestMergeBytes).toBeGreaterThan(maxRunBytes / 4);
    expect(c.largestMergeBytes).toBeLessThanOrEqual(maxRunBytes);
    expect(c.compactionStalls).toBe(0);
    // A step overshoots its share by at most one record and one partition's filter and index.
    expect(c.largestStepBytes).toBeLessThanOrEqual(step + 16 * 1024);
    // Merging keeps up: the runs still to merge stay few.
    const sizes = engine.runs.map((r) => r.fileBytes);
    expect(sizes.filter((s) => s <= maxRunBytes / 4).length).toBeLessThan(12);
    const keys = [...model.keys(), "never"];
    const out: unknown[] = [];
    engine.getMany(keys, out);
    expect(out).toEqual(keys.map((k) => model.get(k)));
    engine.close();
  });
});

describe("disk state merges spread over commits", () => {
  it("versions stay exact while merges run across commits: loads of older versions, a re-run, a restart", async () => {
    const dir = await tempDir("rivulet-merge-steps-");
    const options = { dir, localDir: await tempDir("rivulet-merge-steps-local-"), memoryBudgetBytes: 32 * 1024, minDeltasForSnapshot: 3, maxRunBytes: 512 * 1024 };
    let provider = new DiskStateStoreProvider(options);
    const models: Array<Map<StateKey, unknown>> = [new Map()];
    let compactedAt = 0;
    // Enough versions (a run each) for merges of MERGE_WIDTH runs to finish at several commits.
    const versions = 45;
    for (let v = 0; v < versions; v++) {
      const model = new Map(models[v]);
      const store = await provider.load(v);
      for (let i = 0; i < 800; i++) {
        const key = i % 5 === 0 ? `k-${(v * 31 + i) % (v * 800 + 1)}` : `k-${v * 800 + i}`;
        store.put(key, { v, i });
        model.set(key, { v, i });
      }
      for (let i = 0; i < 30; i++) {
        store.remove(`k-${v * 397 + i}`);
        model.delete(`k-${v * 397 + i}`);
      }
      await store.commit();
      if ((store.metrics().customMetrics!.rocksdbTotalBytesWrittenByCompaction ?? 0) > 0) compactedAt++;
      models.push(model);
    }
    expect(compactedAt).toBeGreaterThan(3);
    const check = async (p: DiskStateStoreProvider, version: number): Promise<void> => {
      const store = await p.load(version);
      const model = models[version]!;
      const keys = [...model.keys(), "k-never"];
      expect(store.numKeys).toBe(model.size);
      expect(store.getMany(keys)).toEqual(keys.map((k) => model.get(k)));
      store.abort();
    };
    await check(provider, versions);
    await check(provider, versions - 7);
    // A re-run of version versions - 2 with other changes replaces it.
    const rerun = await provider.load(versions - 3);
    const model = new Map(models[versions - 3]);
    rerun.put("k-rerun", 1);
    model.set("k-rerun", 1);
    await rerun.commit();
    models[versions - 2] = model;
    await check(provider, versions - 2);
    await provider.close();
    provider = new DiskStateStoreProvider(options);
    await check(provider, versions - 2);
    await provider.close();
  }, 120_000);
});

describe("disk state checkpoints written with run format 1", () => {
  /** What the fixture's writer put in (test/state/fixtures: versions 1–6 of 150 puts and 20 removes each). */
  function expected(version: number): Map<StateKey, unknown> {
    const m = new Map<StateKey, unknown>();
    for (let v = 0; v < version; v++) {
      for (let i = 0; i < 150; i++) m.set(`key-${v * 100 + i}`, { v, i });
      for (let i = 0; i < 20; i++) m.delete(`key-${(v - 1) * 100 + i * 3}`);
      m.set(v, `number ${v}`);
    }
    return m;
  }

  it("still load, and go on with format-2 runs merged with the old ones, across a restart", async () => {
    const dir = await tempDir("rivulet-run-v1-");
    await cp(FIXTURE, dir, { recursive: true });
    const local = await tempDir("rivulet-run-v1-local-");
    let provider = new DiskStateStoreProvider({ dir, localDir: local, memoryBudgetBytes: 16 * 1024, minDeltasForSnapshot: 2 });
    for (const version of [6, 5, 4]) {
      const store = await provider.load(version);
      const model = expected(version);
      expect(store.numKeys).toBe(model.size);
      expect(new Map(store.entries())).toEqual(model);
      const keys = [...model.keys(), "key-never"];
      expect(store.getMany(keys)).toEqual(keys.map((k) => model.get(k)));
      store.abort();
    }
    const oldRuns = new Set(await readdir(join(dir, "runs")));
    // New versions on top of the old runs.
    const model = expected(6);
    for (let v = 6; v < 16; v++) {
      const store = await provider.load(v);
      for (let i = 0; i < 150; i++) {
        store.put(`new-${v}-${i}`, v);
        model.set(`new-${v}-${i}`, v);
      }
      store.remove(`key-${v * 10}`);
      model.delete(`key-${v * 10}`);
      await store.commit();
    }
    await provider.close();
    const runs = (await readdir(join(dir, "runs"))).filter((n) => !oldRuns.has(n));
    expect(runs.length).toBeGreaterThan(0);
    for (const name of runs) {
      const run = RunFile.open(join(dir, "runs", name), name);
      expect(run.format).toBe(2);
      run.close();
    }
    provider = new DiskStateStoreProvider({ dir, localDir: local, memoryBudgetBytes: 16 * 1024, minDeltasForSnapshot: 2 });
    const store = await provider.load(16);
    expect(new Map(store.entries())).toEqual(model);
    store.abort();
    await provider.close();
  });

  it("a run file of format 1 reads as before", async () => {
    const name = (await readdir(join(FIXTURE, "runs")))[0]!;
    const run = RunFile.open(join(FIXTURE, "runs", name), name);
    expect(run.format).toBe(1);
    expect(run.numPartitions).toBe(1);
    // Its whole filter and index stay in memory, as format 1 kept them.
    expect(run.memoryBytes).toBeGreaterThan(0);
    run.close();
  });
});
