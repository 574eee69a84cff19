import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

async function makeProvider(dir: string): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-local-"), minDeltasForSnapshot: 2 });
}

describe("disk state store: commitInMemory, then the provider's durable()", () => {
  it("the next load sees the version at once; durable() resolves once every changelog is on disk, and another provider loads it", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir);
    for (let v = 0; v < 5; v++) {
      const store = await provider.load(v);
      store.put(`k${v}`, v);
      if (v > 0) store.remove(`k${v - 1}`);
      expect(await store.commitInMemory!()).toBe(v + 1);
      // The changelog's fsync is still going: its latency is not yet known, never negative.
      expect(store.metrics().customMetrics!.rocksdbCommitFileSyncLatencyMs).toBeGreaterThanOrEqual(0);
    }
    await provider.durable();
    expect((await readdir(dir)).filter((f) => f.endsWith(".changelog")).sort()).toEqual(["1", "2", "3", "4", "5"].map((v) => `${v}.changelog`));
    const other = await makeProvider(dir);
    const loaded = await other.load(5);
    expect(new Map(loaded.entries())).toEqual(new Map<StateKey, unknown>([["k4", 4]]));
    loaded.abort();
    await other.close();
    await provider.close();
  });

  it("a changelog that cannot be written: durable() rejects with it (once), and the next load rebuilds the working copy without the version", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir);
    const first = await provider.load(0);
    first.put("a", 1);
    await first.commitInMemory!();
    // A directory where the changelog should go: its write fails after the version was applied.
    await mkdir(join(dir, "2.changelog"));
    const second = await provider.load(1);
    second.put("b", 2);
    expect(await second.commitInMemory!()).toBe(2);
    await expect(provider.durable()).rejects.toThrow(/cannot write state version 2 to .*2\.changelog/);
    await provider.durable();
    await rm(join(dir, "2.changelog"), { recursive: true });
    const retry = await provider.load(1);
    expect(retry.getMany(["a", "b"])).toEqual([1, undefined]);
    retry.abort();
    await provider.close();
  });

  it("a load after a failed changelog write fails too (no version is built on one that is not durable)", async () => {
    const dir = await tempDir("rivulet-disk-");
    const provider = await makeProvider(dir);
    await mkdir(join(dir, "1.changelog"));
    const store = await provider.load(0);
    store.put("a", 1);
    await store.commitInMemory!();
    await expect(provider.load(1)).rejects.toThrow(/cannot write state version 1/);
    await rm(join(dir, "1.changelog"), { recursive: true });
    await expect(provider.load(1)).rejects.toThrow(/missing 1\.changelog/);
    await provider.close();
  });
});
