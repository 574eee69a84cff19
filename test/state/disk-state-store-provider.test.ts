import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

async function makeProvider(dir: string, memoryBudgetBytes = 1, minDeltasForSnapshot = 2): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-local-"), memoryBudgetBytes, minDeltasForSnapshot });
}

/** A deterministic random sequence (so that a failure can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Applies `versions` batches of random puts, updates and removes to the provider and to a Map model. */
async function randomVersions(provider: DiskStateStoreProvider, model: Map<StateKey, unknown>, from: number, versions: number, seed: number): Promise<void> {
  const next = random(seed);
  for (let v = from; v < from + versions; v++) {
    const store = await provider.load(v);
    for (let i = 0; i < 300; i++) {
      const r = next();
      const key: StateKey = r < 0.5 ? `key-${Math.floor(next() * 2000)}` : Math.floor(next() * 500) - 250;
      const op = next();
      if (op < 0.2) {
        store.remove(key);
        model.delete(key);
      } else if (op < 0.6) {
        store.put(key, v * 1000 + i);
        model.set(key, v * 1000 + i);
      } else {
        const value = { v, i, tags: [String(key)], when: new Date(v * 1000) };
        store.put(key, value);
        model.set(key, value);
      }
    }
    expect(store.numKeys).toBe(model.size);
    await store.commit();
  }
}

describe("DiskStateStoreProvider", () => {
  it("a state far larger than its memory budget gives the answers of a Map, across restarts", async () => {
    const dir = await tempDir("rivulet-disk-");
    const model = new Map<StateKey, unknown>();
    let provider = await makeProvider(dir, 32 * 1024);
    await randomVersions(provider, model, 0, 12, 7);
    let store = await provider.load(12);
    for (const key of [...model.keys()].slice(0, 200)) expect(store.get(key)).toEqual(model.get(key));
    expect(store.get("key-never")).toBeUndefined();
    expect(store.getMany(["key-never", ...[...model.keys()].slice(0, 3)])).toEqual([undefined, ...[...model.keys()].slice(0, 3).map((k) => model.get(k))]);
    expect(new Map(store.entries())).toEqual(model);
    store.abort();
    await provider.close();

    // Another process: rebuilt from the checkpoint's manifests and changelogs.
    provider = await makeProvider(dir, 32 * 1024);
    await randomVersions(provider, model, 12, 6, 8);
    store = await provider.load(18);
    expect(store.numKeys).toBe(model.size);
    expect(new Map(store.entries())).toEqual(model);
    store.abort();
    await provider.close();
    expect((await readdir(join(dir, "runs"))).length).toBeGreaterThan(0);
  });

  it("loads any retained version, also after a later one (a re-run), and refuses purged ones", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir);
    const snapshots: Array<Map<StateKey, unknown>> = [new Map()];
    const model = new Map<StateKey, unknown>();
    for (let v = 0; v < 9; v++) {
      await randomVersions(provider, model, v, 1, 100 + v);
      snapshots.push(new Map(model));
    }
    for (const v of [3, 9, 0, 5, 8]) {
      const store = await provider.load(v);
      expect(new Map(store.entries()), `version ${v}`).toEqual(snapshots[v]);
      store.abort();
    }
    // A re-run of version 6 writes it anew; 7 and later follow from it.
    let store = await provider.load(5);
    store.put("rerun", 1);
    await store.commit();
    store = await provider.load(6);
    expect(store.get("rerun")).toBe(1);
    store.abort();

    await provider.purge(6);
    const files = await readdir(dir);
    expect(files.filter((f) => f.endsWith(".manifest")).map((f) => Number.parseInt(f)).every((v) => v >= 4)).toBe(true);
    store = await provider.load(6);
    expect(store.get("rerun")).toBe(1);
    store.abort();
    const fresh = await makeProvider(dir);
    await expect(fresh.load(1)).rejects.toThrow(/cannot load state version 1 .*missing 1\.changelog.*purged/);
    await fresh.close();
    // Every run file left is named by a manifest left.
    const named = new Set<string>();
    for (const f of files.filter((f) => f.endsWith(".manifest"))) {
      for (const run of (JSON.parse((await readFile(join(dir, f), "utf8")).split("\n")[1]!) as { runs: string[] }).runs) named.add(run);
    }
    expect(new Set(await readdir(join(dir, "runs")))).toEqual(named);
    await provider.close();
  });

  it("a batch writes what it changed: its changelog grows with its rows, run files are uploaded once", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir, 256 * 1024 * 1024, 1);
    const changelogBytes: number[] = [];
    for (let v = 0; v < 6; v++) {
      const store = await provider.load(v);
      for (let i = 0; i < 1000; i++) store.put(`user-${v}-${i}`, v);
      await store.commit();
      changelogBytes.push((await stat(join(dir, `${v + 1}.changelog`))).size);
      const metrics = store.metrics().customMetrics!;
      // The version's memtable, written out as one run, and at most one run a merge finished at this commit.
      expect(metrics.rocksdbFilesCopied).toBeGreaterThanOrEqual(1);
      expect(metrics.rocksdbFilesCopied).toBeLessThanOrEqual(2);
      expect(metrics.rocksdbSstFileSize).toBeGreaterThan(0);
      expect(metrics).toHaveProperty("rocksdbCommitWriteBatchLatency");
      expect(metrics).toHaveProperty("rocksdbCommitCheckpointLatency");
      expect(metrics).toHaveProperty("stateCacheHitRatePercent");
    }
    // Every version's changelog is about the same size, though the state grew six-fold.
    expect(Math.max(...changelogBytes) / Math.min(...changelogBytes)).toBeLessThan(1.1);
    await provider.close(); // waits for the last upload
    // Manifest 6 names runs that earlier manifests uploaded (shared, not copied again).
    const manifest = (v: number): Promise<string[]> =>
      readFile(join(dir, `${v}.manifest`), "utf8").then((t) => (JSON.parse(t.split("\n")[1]!) as { runs: string[] }).runs);
    const five = await manifest(5);
    const six = await manifest(6);
    expect(six.filter((r) => five.includes(r)).length).toBeGreaterThan(0);
  });

  it("a truncated changelog is reported as corrupt, naming the file", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir, 256 * 1024 * 1024, 100);
    const store = await provider.load(0);
    store.put("a", 1);
    await store.commit();
    await provider.close();
    const file = join(dir, "1.changelog");
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 3));
    const fresh = await makeProvider(dir);
    await expect(fresh.load(1)).rejects.toThrow(/1\.changelog is corrupt: it does not end with the end marker/);
    await fresh.close();
  });
  it("a changelog torn by a crash before the commit log is written anew by the re-run, and the re-run's answer is loaded", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir, 256 * 1024 * 1024, 100);
    for (let v = 0; v < 2; v++) {
      const store = await provider.load(v);
      store.putIfAbsent!([`k${v}`, "shared"], [v, v]);
      await store.commit();
    }
    // Batch 2 ran, its state commit wrote 3.changelog (long: many keys), then the process died
    // before the commit log: the file is there, whole or torn.
    const doomed = await provider.load(2);
    doomed.putIfAbsent!(Array.from({ length: 5000 }, (_, i) => `lost-${i}`), new Float64Array(5000));
    await doomed.commit();
    await provider.close();
    const whole = await readFile(join(dir, "3.changelog"));
    await writeFile(join(dir, "3.changelog"), whole.subarray(0, Math.floor(whole.length / 2)));

    // The restart re-runs batch 2 from version 2 (the torn file is not read) with other rows.
    const rerun = await makeProvider(dir, 256 * 1024 * 1024, 100);
    const store = await rerun.load(2);
    expect(store.getMany(["k0", "k1", "shared", "lost-0"])).toEqual([0, 1, 0, undefined]);
    expect(Array.from(store.putIfAbsent!(["again", "shared"], [2, 2]))).toEqual([1, 0]);
    await store.commit();
    await rerun.close();
    // The file was truncated, not left long: it holds exactly the re-run's version.
    expect((await readFile(join(dir, "3.changelog"))).length).toBeLessThan(whole.length / 10);

    const later = await makeProvider(dir, 256 * 1024 * 1024, 100);
    const loaded = await later.load(3);
    expect(loaded.numKeys).toBe(4);
    expect(new Map(loaded.entries())).toEqual(new Map<StateKey, unknown>([["k0", 0], ["k1", 1], ["shared", 0], ["again", 2]]));
    loaded.abort();
    await later.close();
  });

  it("a changelog that cannot be written fails the commit, and the next load rebuilds the working copy without it", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir, 256 * 1024 * 1024, 100);
    const first = await provider.load(0);
    first.put("a", 1);
    await first.commit();
    // A directory where the changelog should go: the write fails after the engine applied the version.
    await mkdir(join(dir, "2.changelog"));
    const second = await provider.load(1);
    second.put("b", 2);
    await expect(second.commit()).rejects.toThrow(/cannot write state version 2 to .*2\.changelog/);
    await rm(join(dir, "2.changelog"), { recursive: true });
    const retry = await provider.load(1);
    expect(retry.getMany(["a", "b"])).toEqual([1, undefined]);
    retry.put("c", 3);
    await retry.commit();
    const loaded = await provider.load(2);
    expect(new Map(loaded.entries())).toEqual(new Map<StateKey, unknown>([["a", 1], ["c", 3]]));
    loaded.abort();
    await provider.close();
  });
});
