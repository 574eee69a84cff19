import { expect, test } from "vitest";
import { StoredJoinKeys } from "../../src/physical/stream-join/stored-join-keys.ts";
import { StoredJoinSide } from "../../src/physical/stream-join/stored-join-side.ts";
import type { Vec } from "../../src/columnar/vector.ts";
import { LmdbStateStoreProvider } from "../../src/state/lmdb/lmdb-state-store-provider.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { LongType } from "../../src/types/data-types.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

const providerIn = async (dir: string): Promise<LmdbStateStoreProvider> =>
  new LmdbStateStoreProvider({ dir, localDir: await tempDir("lmdb-remove-known-local-"), minDeltasForSnapshot: 2 });

test("lmdb removeKnown of keys the version loaded holds: numKeys and numRowsRemoved exact (a key put first, a key removed twice), the keys gone after a reload and a rebuild", async () => {
  const dir = await tempDir("lmdb-remove-known-");
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

const column = (values: number[]): Vec => ({ kind: "num", type: LongType, length: values.length, values: Float64Array.from(values), valid: null });

test("the stored join on lmdb evicts sole rows by removeKnown: only the index entries are read, and the key count is exact across a reload", async () => {
  const provider = await providerIn(await tempDir("lmdb-join-unread-"));
  try {
    // Two batches of 50 keys, each new with one row (times 0 … 99).
    for (let b = 0; b < 2; b++) {
      const store = await provider.load(b);
      const keys = new StoredJoinKeys();
      const side = new StoredJoinSide(store, 1, keys);
      const times = Array.from({ length: 50 }, (_, j) => 50 * b + j);
      const ids = times.map((t) => keys.idOf(`k${t}`));
      side.read(ids, ids.length);
      const entry = side.planEntry(Int32Array.from(ids, (_, j) => j), 50, Float64Array.from(times), new Uint8Array(50), 50);
      const entryKeys = new Array<StateKey>(50);
      const sole = new Uint8Array(50);
      for (let j = 0; j < 50; j++) {
        sole[entry.positions[j]!] = 1;
        entryKeys[entry.positions[j]!] = keys.keys[side.append(ids[j]!, [column(times)], Int32Array.of(j), Float64Array.from(times), entry.slots)]!;
      }
      side.putEntry(entry.id, entryKeys, entry.times, sole);
      side.flush();
      await store.commit();
    }
    const store = await provider.load(2);
    expect(store.numKeys).toBe(103);
    const asked: StateKey[] = [];
    const getMany = store.getMany.bind(store);
    store.getMany = (keys) => { asked.push(...keys); return getMany(keys); };
    const side = new StoredJoinSide(store, 1, new StoredJoinKeys());
    asked.length = 0;
    expect(side.evict(69, () => { throw new Error("a row was handed out"); }, "none")).toBe(70);
    expect(asked.sort()).toEqual(["i0", "i1"]);
    side.flush();
    expect(store.numKeys).toBe(103 - 71);
    expect(store.metrics().numRowsRemoved).toBe(71);
    await store.commit();
    const after = await provider.load(3);
    expect(after.numKeys).toBe(32);
    expect(after.getMany(["k0", "k69", "k70", "k99"])).toEqual([undefined, undefined, expect.anything(), expect.anything()]);
    expect([...after.entries()].length).toBe(32);
    after.abort();
  } finally {
    await provider.close();
  }
});
