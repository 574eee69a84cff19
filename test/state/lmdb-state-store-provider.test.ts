import { cp, readdir, rm, unlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { LmdbStateStoreProvider } from "../../src/state/lmdb/lmdb-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

type Model = Map<StateKey, number[]>;

/** Runs `versions` batches of deterministic pseudo-random changes; returns the expected state after each version. */
async function runBatches(provider: LmdbStateStoreProvider<number[]>, versions: number, from = 0, start: Model = new Map()): Promise<Model[]> {
  const expected: Model[] = [];
  let model: Model = start;
  let seed = 7 + from;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let v = from; v < from + versions; v++) {
    const store = await provider.load(v);
    model = new Map([...model].map(([k, val]) => [k, [...val]]));
    for (let i = 0; i < 40; i++) {
      const key: StateKey = random(2) === 0 ? `k${random(60)}` : random(60);
      if (random(4) === 0) {
        store.remove(key);
        model.delete(key);
      } else {
        const current = store.get(key) ?? [];
        current.push(v);
        store.put(key, current);
        model.set(key, [...current]);
      }
    }
    expect(store.numKeys).toBe(model.size);
    expect(await store.commit()).toBe(v + 1);
    expected[v + 1] = model;
  }
  return expected;
}

async function stateAt(provider: LmdbStateStoreProvider<number[]>, version: number): Promise<Model> {
  const store = await provider.load(version);
  const state = new Map(store.entries());
  expect(store.numKeys).toBe(state.size);
  store.abort();
  return state;
}

async function providerIn(dir: string, minDeltasForSnapshot = 4): Promise<LmdbStateStoreProvider<number[]>> {
  return new LmdbStateStoreProvider<number[]>({ dir, localDir: await tempDir("rivulet-lmdb-local-"), minDeltasForSnapshot });
}

describe("LmdbStateStoreProvider", () => {
  it("writes a changelog per version and a snapshot now and then; a new provider loads every version exactly", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const writer = await providerIn(dir);
    const expected = await runBatches(writer, 13);
    await writer.close();
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith(".changelog"))).toHaveLength(13);
    expect(files).toContain("4.lmdb");
    expect(files.filter((f) => f.endsWith(".lmdb")).length).toBeLessThan(4);
    expect(files.filter((f) => f.includes(".tmp"))).toEqual([]);

    const reader = await providerIn(dir);
    // Out of order: forward by changelogs, backward by a rebuild from the snapshot.
    for (const v of [13, 2, 4, 5, 12, 0, 9, 13]) expect(await stateAt(reader, v)).toEqual(v === 0 ? new Map() : expected[v]);
    await reader.close();
  });

  it("commits a version that removes every key (an eviction that empties the state), and writes again after it", async () => {
    // With MDB_WRITEMAP, LMDB aborted the whole process here (an assertion in mdb_freelist_save).
    const provider = await providerIn(await tempDir("rivulet-lmdb-"));
    for (let round = 0; round < 3; round++) {
      const filled = await provider.load(2 * round);
      filled.put("only", [round]);
      expect(await filled.commit()).toBe(2 * round + 1);
      const emptied = await provider.load(2 * round + 1);
      emptied.remove("only");
      expect(await emptied.commit()).toBe(2 * round + 2);
      expect(await stateAt(provider, 2 * round + 2)).toEqual(new Map());
    }
    expect(await stateAt(provider, 5)).toEqual(new Map([["only", [2]]]));
    await provider.close();
  });

  it("re-runs a version after a crash: the re-committed version replaces the old one, later snapshots are dropped", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const first = await providerIn(dir, 2);
    await runBatches(first, 6);
    await first.close();
    expect(await readdir(dir)).toContain("2.lmdb");

    // Another process resumes from version 1 and commits different changes from there.
    const second = await providerIn(dir, 2);
    const base = await stateAt(second, 1);
    const store = await second.load(1);
    store.put("rerun", [1]);
    await store.commit();
    expect((await readdir(dir)).filter((f) => f.endsWith(".lmdb"))).toEqual([]);
    expect(await stateAt(second, 2)).toEqual(new Map([...base, ["rerun", [1]]]));
    await second.close();
    expect(await stateAt(await providerIn(dir), 2)).toEqual(new Map([...base, ["rerun", [1]]]));
  });

  it("rebuilds its working database when the local directory is deleted, and from a moved checkpoint", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const provider = await providerIn(dir);
    const expected = await runBatches(provider, 6);
    const local = provider.localPath!;
    expect((await readdir(local)).length).toBeGreaterThan(0);
    await provider.close();
    await expect(readdir(local)).rejects.toThrow(/ENOENT/);

    const moved = join(await tempDir("rivulet-lmdb-moved-"), "state");
    await cp(dir, moved, { recursive: true });
    await rm(dir, { recursive: true, force: true });
    const again = await providerIn(moved);
    expect(await stateAt(again, 6)).toEqual(expected[6]);
    // Keep going after the rebuild.
    const more = await runBatches(again, 3, 6, expected[6]);
    await again.close();
    expect(await stateAt(await providerIn(moved), 9)).toEqual(more[9]);
  });

  it("purges what no version ≥ minVersionToRetain needs, and says so when a purged version is asked for", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const provider = await providerIn(dir);
    const expected = await runBatches(provider, 9);
    await provider.purge(6);
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith(".changelog")).map((f) => Number.parseInt(f, 10)).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(files).toContain("4.lmdb");
    await provider.close();

    const reader = await providerIn(dir);
    for (const v of [6, 7, 9]) expect(await stateAt(reader, v)).toEqual(expected[v]);
    await expect(reader.load(3)).rejects.toThrow(StateError);
    await expect(reader.load(3)).rejects.toThrow("cannot load state version 3");
    await reader.close();
  });

  it("fails clearly when a changelog is missing", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const provider = await providerIn(dir, 100);
    await runBatches(provider, 3);
    await provider.close();
    await unlink(join(dir, "2.changelog"));
    const reader = await providerIn(dir);
    await expect(reader.load(3)).rejects.toThrow("missing 2.changelog");
    await reader.close();
  });

  it("gives the same states with a memory budget far below the state's size (the value cache evicts)", async () => {
    const dir = await tempDir("rivulet-lmdb-");
    const small = new LmdbStateStoreProvider<number[]>({ dir, localDir: await tempDir("rivulet-lmdb-local-"), memoryBudgetBytes: 2048 });
    const expected = await runBatches(small, 12);
    for (const v of [12, 7]) expect(await stateAt(small, v)).toEqual(expected[v]);
    const store = await small.load(12);
    for (const [key] of expected[12]!) store.get(key);
    expect(store.metrics().memoryUsedBytes).toBeLessThanOrEqual(512);
    store.abort();
    await small.close();
  });

  it("reports the engine's metrics after commit", async () => {
    const provider = await providerIn(await tempDir("rivulet-lmdb-"));
    let store = await provider.load(0);
    store.put("a", [1]);
    await store.commit();
    store = await provider.load(1);
    expect(store.get("a")).toEqual([1]);
    expect(store.get("b")).toBeUndefined();
    store.put("b", [2]);
    await store.commit();
    const custom = store.metrics().customMetrics!;
    expect(custom.rocksdbGetCount).toBe(2);
    expect(custom.rocksdbReadBlockCacheHitCount).toBe(1); // "a" was cached when it was written
    expect(custom.stateCacheHitRatePercent).toBe(50);
    expect(custom.rocksdbSstFileSize).toBeGreaterThan(0);
    expect(custom.stateChangelogBytes).toBeGreaterThan(0);
    await provider.close();
  });
});
