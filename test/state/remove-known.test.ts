import { expect, test } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { LmdbStateStoreProvider } from "../../src/state/lmdb/lmdb-state-store-provider.ts";
import { removeKnownKey, type StateStoreProvider } from "../../src/state/state-store.ts";
import { MemoryStateStoreProvider } from "../../src/state/memory-state-store-provider.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

const providers: Array<[string, (dir: string) => Promise<StateStoreProvider>]> = [
  ["disk", async (dir) => new DiskStateStoreProvider({ dir, localDir: await tempDir("remove-known-local-") })],
  ["lmdb", async (dir) => new LmdbStateStoreProvider({ dir, localDir: await tempDir("remove-known-local-"), minDeltasForSnapshot: 2 })],
];

test.each(providers)("%s: removeKnown of keys the version loaded holds: numKeys and numRowsRemoved exact (a key put first, a key removed twice), the keys gone after a reload and a rebuild", async (_name, providerIn) => {
  const dir = await tempDir("remove-known-");
  const provider = await providerIn(dir);
  try {
    const first = await provider.load(0);
    for (let k = 0; k < 10; k++) first.put(`k${k}`, { k });
    first.put(5, [5]);
    await first.commit();
    const store = await provider.load(1);
    expect(store.removeKnown).toBeDefined();
    store.removeKnown!("k0");
    store.removeKnown!("k0");
    store.put("k1", { k: 100 });
    store.removeKnown!("k1");
    store.removeKnown!(5);
    store.put("k10", { k: 10 });
    expect(store.numKeys).toBe(9);
    expect(store.get("k0")).toBeUndefined();
    expect(store.get("k1")).toBeUndefined();
    expect(store.getMany(["k0", "k1", 5, "k2"])).toEqual([undefined, undefined, undefined, { k: 2 }]);
    expect(store.metrics()).toMatchObject({ numRowsTotal: 9, numRowsUpdated: 1, numRowsRemoved: 3 });
    await store.commit();
    const after = await provider.load(2);
    expect(after.numKeys).toBe(9);
    expect([...after.entries()].map(([k]) => String(k)).sort()).toEqual(["k10", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"]);
    after.abort();
  } finally {
    await provider.close();
  }
  // Another provider rebuilds the working copy from the checkpoint: the removes were written to it.
  const reader = await providerIn(dir);
  try {
    const loaded = await reader.load(2);
    expect(loaded.numKeys).toBe(9);
    expect(loaded.getMany(["k0", "k1", 5])).toEqual([undefined, undefined, undefined]);
    loaded.abort();
  } finally {
    await reader.close();
  }
});

test("removeKnownKey falls back to remove on a store without removeKnown", async () => {
  const provider = new MemoryStateStoreProvider();
  const store = await provider.load(0);
  store.put("a", 1);
  store.put("b", 2);
  removeKnownKey(store, "a");
  expect(store.numKeys).toBe(1);
  expect(store.get("a")).toBeUndefined();
  await provider.close();
});
