import { describe, expect, it } from "vitest";
import { InternalError } from "../../src/common/errors.ts";
import { FileStateStoreProvider } from "../../src/state/file-state-store-provider.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { LmdbStateStoreProvider } from "../../src/state/lmdb/lmdb-state-store-provider.ts";
import { MemoryStateStoreProvider } from "../../src/state/memory-state-store-provider.ts";
import { putIfAbsentEach, type StateStore, type StateStoreProvider } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

const providers: Array<[string, () => Promise<StateStoreProvider>]> = [
  ["MemoryStateStoreProvider", async () => new MemoryStateStoreProvider()],
  [
    "FileStateStoreProvider",
    async () => {
      const dir = await tempDir("rivulet-state-");
      return new FileStateStoreProvider({ dir, minDeltasForSnapshot: 3 });
    },
  ],
  [
    "DiskStateStoreProvider",
    async () => new DiskStateStoreProvider({ dir: await tempDir("rivulet-disk-"), localDir: await tempDir("rivulet-disk-local-"), minDeltasForSnapshot: 3 }),
  ],
  [
    // A memory budget of 1 byte: every commit writes its changes out as a run, lookups go to disk.
    "DiskStateStoreProvider, tiny memory budget",
    async () => new DiskStateStoreProvider({ dir: await tempDir("rivulet-disk-"), localDir: await tempDir("rivulet-disk-local-"), minDeltasForSnapshot: 2, memoryBudgetBytes: 1 }),
  ],
  [
    "LmdbStateStoreProvider",
    async () => new LmdbStateStoreProvider({ dir: await tempDir("rivulet-lmdb-"), localDir: await tempDir("rivulet-lmdb-local-"), minDeltasForSnapshot: 3 }),
  ],
];

describe.each(providers)("%s", (_name, makeProvider) => {
  it("starts empty at version 0 and commits version 1", async () => {
    const provider = await makeProvider();
    const store = await provider.load(0);
    expect(store.version).toBe(0);
    expect(store.numKeys).toBe(0);
    expect(store.get("a")).toBeUndefined();
    store.put("a", 1);
    store.put(2, "two");
    expect(store.get("a")).toBe(1);
    expect(store.get(2)).toBe("two");
    expect(store.get("2")).toBeUndefined();
    expect(store.getMany(["a", "missing", 2])).toEqual([1, undefined, "two"]);
    expect(store.numKeys).toBe(2);
    expect(await store.commit()).toBe(1);
    expect(new Map(store.entries())).toEqual(new Map<string | number, unknown>([["a", 1], [2, "two"]]));
    await provider.close();
  });

  it("applies puts, updates and removes across versions", async () => {
    const provider = await makeProvider();
    let store = await provider.load(0);
    for (let i = 0; i < 5; i++) store.put(`k${i}`, [i]);
    await store.commit();

    store = await provider.load(1);
    expect(store.numKeys).toBe(5);
    const value = store.get("k1") as number[];
    value.push(100); // mutate-then-put: the update path
    store.put("k1", value);
    store.remove("k0");
    store.remove("missing");
    store.put("new", [9]);
    store.remove("new"); // put and removed within the version: no change
    expect(store.numKeys).toBe(4);
    expect(store.metrics()).toMatchObject({ numRowsTotal: 4, numRowsUpdated: 1, numRowsRemoved: 1 });
    expect(await store.commit()).toBe(2);
    expect(store.metrics()).toMatchObject({ numRowsTotal: 4, numRowsUpdated: 1, numRowsRemoved: 1 });

    store = await provider.load(2);
    expect(new Map(store.entries())).toEqual(
      new Map([
        ["k1", [1, 100]],
        ["k2", [2]],
        ["k3", [3]],
        ["k4", [4]],
      ]),
    );
    store.abort();
    await provider.close();
  });

  it("sees its own changes in entries() before commit", async () => {
    const provider = await makeProvider();
    let store = await provider.load(0);
    store.put("a", 1);
    store.put("b", 2);
    await store.commit();
    store = await provider.load(1);
    store.remove("a");
    store.put("b", 20);
    store.put("c", 3);
    expect(new Map(store.entries())).toEqual(new Map([["b", 20], ["c", 3]]));
    store.remove("a");
    store.put("a", 10);
    expect(store.numKeys).toBe(3);
    expect(store.metrics()).toMatchObject({ numRowsTotal: 3, numRowsUpdated: 3, numRowsRemoved: 0 });
    await provider.close();
  });

  it("discards changes on abort", async () => {
    const provider = await makeProvider();
    let store = await provider.load(0);
    store.put("a", 1);
    await store.commit();
    store = await provider.load(1);
    store.put("a", 2);
    store.put("b", 3);
    store.abort();
    expect(() => store.put("c", 1)).toThrow(InternalError);
    expect(store.metrics()).toMatchObject({ numRowsTotal: 1, numRowsUpdated: 0, numRowsRemoved: 0 });
    store = await provider.load(1);
    expect(new Map(store.entries())).toEqual(new Map([["a", 1]]));
    store.put("b", 4);
    expect(await store.commit()).toBe(2);
    store = await provider.load(2);
    expect(new Map(store.entries())).toEqual(new Map([["a", 1], ["b", 4]]));
    await provider.close();
  });

  it("refuses updates after commit and undefined values", async () => {
    const provider = await makeProvider();
    const store = await provider.load(0);
    expect(() => store.put("a", undefined)).toThrow(InternalError);
    await store.commit();
    expect(() => store.put("a", 1)).toThrow(/after it was committed/);
    expect(() => store.remove("a")).toThrow(InternalError);
    await expect(store.commit()).rejects.toThrow(InternalError);
    await provider.close();
  });

  it("putIfAbsent adds only absent keys, mixes with put, remove and abort, and survives a restart", async () => {
    const putIfAbsent = (store: StateStore, keys: Array<string | number>, values: unknown[]): number[] =>
      [...(store.putIfAbsent !== undefined ? store.putIfAbsent(keys, values) : putIfAbsentEach(store, keys, values))];
    const provider = await makeProvider();
    let store = await provider.load(0);
    store.put("old", 1);
    store.put("gone", 2);
    await store.commit();
    store = await provider.load(1);
    store.remove("gone");
    // A key twice in one call: the first is added. A key removed in this version is absent.
    expect(putIfAbsent(store, ["old", "a", 7, "a", "gone"], [10, 11, 12, 13, 14])).toEqual([0, 1, 1, 0, 1]);
    expect(putIfAbsent(store, ["a", "b", 7], [20, 21, 22])).toEqual([0, 1, 0]);
    expect(store.numKeys).toBe(5);
    expect(store.get("a")).toBe(11);
    expect(store.getMany(["old", "a", 7, "b", "gone", "none"])).toEqual([1, 11, 12, 21, 14, undefined]);
    // put and remove after putIfAbsent win over it.
    store.put("a", { again: true });
    store.remove("b");
    expect(store.numKeys).toBe(4);
    expect(store.get("a")).toEqual({ again: true });
    expect(store.get("b")).toBeUndefined();
    expect(putIfAbsent(store, ["b"], [30])).toEqual([1]);
    expect(new Map(store.entries())).toEqual(new Map<string | number, unknown>([["old", 1], ["a", { again: true }], [7, 12], ["gone", 14], ["b", 30]]));
    expect(store.metrics().numRowsTotal).toBe(5);
    expect(await store.commit()).toBe(2);

    store = await provider.load(2);
    expect(putIfAbsent(store, ["c", "a"], [40, 41])).toEqual([1, 0]);
    store.abort();
    store = await provider.load(2);
    expect(store.get("c")).toBeUndefined();
    expect(store.numKeys).toBe(5);
    store.abort();
    await provider.close();
    if (provider instanceof MemoryStateStoreProvider) return;
    const reopened = await (provider instanceof DiskStateStoreProvider
      ? new DiskStateStoreProvider({ dir: provider.dir, localDir: provider.localRoot, minDeltasForSnapshot: 3 })
      : provider instanceof FileStateStoreProvider
        ? new FileStateStoreProvider({ dir: provider.dir, minDeltasForSnapshot: 3 })
        : null);
    if (reopened === null) return;
    store = await reopened.load(2);
    expect(new Map(store.entries())).toEqual(new Map<string | number, unknown>([["old", 1], ["a", { again: true }], [7, 12], ["gone", 14], ["b", 30]]));
    store.abort();
    await reopened.close();
  });

  it("keeps structured values: Maps, Sets, typed arrays, bigint", async () => {
    const provider = await makeProvider();
    const store = await provider.load(0);
    const value = {
      map: new Map([["x", 1]]),
      set: new Set([1, 2]),
      floats: new Float64Array([1.5, 2.5]),
      big: 12345678901234567890n,
      nested: [[1, "a"], null],
    };
    store.put("v", value);
    await store.commit();
    expect((await provider.load(1)).get("v")).toEqual(value);
    await provider.close();
  });
});

// The providers that keep values as bytes: a value read back is a copy of its own, never a
// view of a buffer the store (or lmdb) reuses for the next read.
describe.each(providers.filter(([name]) => name !== "MemoryStateStoreProvider"))("%s: typed-array values read back", (_name, makeProvider) => {
  it("are their own copies: equal to what was put, one by one and together, unchanged by a mutation of another read", async () => {
    const provider = await makeProvider();
    let store = await provider.load(0);
    const put = Array.from({ length: 16 }, (_, i) => ({ bytes: new Uint8Array([i, i + 1, i + 2]), floats: new Float64Array([i / 2]) }));
    put.forEach((v, i) => store.put(`k${i}`, v));
    await store.commit();
    store = await provider.load(1);
    const keys = put.map((_, i) => `k${i}`);
    expect(store.getMany(keys)).toEqual(put);
    const first = store.get("k0") as { bytes: Uint8Array };
    first.bytes[0] = 99; // mutated, never put back
    expect(store.get("k0")).toEqual(put[0]);
    expect(store.getMany(keys)).toEqual(put);
    await provider.close();
  });
});

// Reopened over the same checkpoint (a restart), where lmdb reads values into one buffer it reuses.
const reopened: Array<[string, (dir: string, localDir: string) => StateStoreProvider]> = [
  ["DiskStateStoreProvider", (dir, localDir) => new DiskStateStoreProvider({ dir, localDir, minDeltasForSnapshot: 3 })],
  ["LmdbStateStoreProvider", (dir, localDir) => new LmdbStateStoreProvider({ dir, localDir, minDeltasForSnapshot: 3 })],
];
describe.each(reopened)("%s reopened", (_name, open) => {
  it("gives typed-array values read together back equal to what was put", async () => {
    const dir = await tempDir("rivulet-reopen-");
    let provider = open(dir, await tempDir("rivulet-reopen-local-"));
    let store = await provider.load(0);
    const put = Array.from({ length: 16 }, (_, i) => ({ bytes: new Uint8Array([i, i + 1, i + 2]) }));
    put.forEach((v, i) => store.put(`k${i}`, v));
    await store.commit();
    await provider.close();
    provider = open(dir, await tempDir("rivulet-reopen-local-"));
    store = await provider.load(1);
    expect(store.getMany(put.map((_, i) => `k${i}`))).toEqual(put);
    await provider.close();
  });
});

it("MemoryStateStoreProvider loads only its latest version", async () => {
  const provider = new MemoryStateStoreProvider();
  const store = await provider.load(0);
  await expect(provider.load(0)).rejects.toThrow(/already being updated/);
  await store.commit();
  await expect(provider.load(0)).rejects.toThrow(InternalError);
  await expect(provider.load(0)).rejects.toThrow("holds version 1 only and cannot load version 0");
  await expect(provider.load(2)).rejects.toThrow(InternalError);
  expect((await provider.load(1)).version).toBe(1);
});
