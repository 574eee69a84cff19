import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Vec } from "../../src/columnar/vector.ts";
import { StoredJoinKeys } from "../../src/physical/stream-join/stored-join-keys.ts";
import { StoredJoinSide } from "../../src/physical/stream-join/stored-join-side.ts";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { LmdbStateStoreProvider } from "../../src/state/lmdb/lmdb-state-store-provider.ts";
import type { StateKey, StateStore, StateStoreProvider } from "../../src/state/state-store.ts";
import { LongType } from "../../src/types/data-types.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

scopedTmpdir("rivulet-stream-join-matched-flags-test-");

const column = (values: number[]): Vec => ({ kind: "num", type: LongType, length: values.length, values: Float64Array.from(values), valid: null });
/** Column 0 of row r of a record of n rows is at 1 + 2n + r (key-rows.ts). */
const valueOf = (rec: unknown[], r: number): number => rec[1 + 2 * (rec[0] as number) + r] as number;

/** The store, with the keys of each put and remove recorded. */
function recorded(store: StateStore): { store: StateStore; puts: StateKey[]; removes: StateKey[] } {
  const puts: StateKey[] = [], removes: StateKey[] = [];
  const proxy = new Proxy(store, {
    get(target, property) {
      if (property === "put") return (key: StateKey, value: unknown) => { puts.push(key); target.put(key, value); };
      if (property === "remove") return (key: StateKey) => { removes.push(key); target.remove(key); };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as StateStore;
  return { store: proxy, puts, removes };
}

/** Buffers rows (key k holds value k at time `time(k)`) as the stored join does: planned index entry, appended, entry stored. */
function buffer(side: StoredJoinSide, keys: StoredJoinKeys, rowKeys: number[], time: (k: number) => number, matched: (k: number) => boolean): void {
  const ids = rowKeys.map((k) => keys.idOf(k));
  side.read(ids, ids.length);
  side.readLastSegments(ids, ids.length);
  const order = Int32Array.from(rowKeys, (_, j) => j);
  const times = Float64Array.from(rowKeys, time);
  const flags = Uint8Array.from(rowKeys, (k) => (matched(k) ? 1 : 0));
  const entry = side.planEntry(order, rowKeys.length, times, flags, rowKeys.length);
  const entryKeys: StateKey[] = [];
  rowKeys.forEach((k, j) => {
    const at = side.append(ids[j]!, [column(rowKeys)], order.subarray(j, j + 1), times, entry.slots);
    entryKeys[entry.positions[j]!] = keys.keys[at]!;
  });
  side.putEntry(entry.id, entryKeys, entry.times);
}

const providers: Array<[string, (dir: string, local: string) => StateStoreProvider]> = [
  ["disk", (dir, localDir) => new DiskStateStoreProvider({ dir, localDir })],
  ["lmdb", (dir, localDir) => new LmdbStateStoreProvider({ dir, localDir })],
];

describe("stored stream–stream join: matched flags by index entry", () => {
  for (const [name, make] of providers) {
    test(`${name}: marking rows of earlier batches matched rewrites their entries' flags, not their records, and eviction emits exactly the unmatched rows across versions`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "join-flags-")), localDir = await mkdtemp(join(tmpdir(), "join-flags-local-"));
      let provider = make(dir, localDir);
      // A restart: a new provider reads the values from its files, not from what this process put.
      const restart = async (): Promise<void> => { await provider.close(); provider = make(dir, localDir); };
      try {
        // Batches 0–3 buffer keys 100b … 100b + 99 at time = key; key k is matched on buffering when k % 7 === 0.
        for (let b = 0; b < 4; b++) {
          const store = await provider.load(b);
          const keys = new StoredJoinKeys();
          const side = new StoredJoinSide(store, 1, keys, true);
          buffer(side, keys, Array.from({ length: 100 }, (_, j) => 100 * b + j), (k) => k, (k) => k % 7 === 0);
          side.flush();
          await store.commit();
        }
        await restart();
        // Batch 4 probes every key below 400 and marks the multiples of 3 matched: rows of all four entries.
        const store = await provider.load(4);
        const { store: watched, puts } = recorded(store);
        const keys = new StoredJoinKeys();
        const side = new StoredJoinSide(watched, 1, keys, true);
        const probed = Array.from({ length: 400 }, (_, k) => keys.idOf(k));
        side.readKeys(probed, probed.length);
        const recs = probed.map((id) => side.record(id)!);
        side.matched!.readFor(recs, recs.map(() => 0), recs.length);
        for (let k = 0; k < 400; k++) {
          expect(side.matched!.isMatched(recs[k]!, 0)).toBe(k % 7 === 0);
          if (k % 3 === 0) expect(side.matched!.markMatched(recs[k]!, 0)).toBe(true);
        }
        side.flush();
        // Only the entries' flags and no key record: the marks changed no record.
        expect(puts.filter((k) => typeof k === "number")).toEqual([]);
        expect(new Set(puts.filter((k) => String(k).startsWith("m"))).size).toBe(4);
        await store.commit();
        await restart();
        // Batch 5 (after a restart) evicts up to 249: the rows of the first two entries and half of the third.
        const later = await provider.load(5);
        const { store: evicting, removes } = recorded(later);
        const evictKeys = new StoredJoinKeys();
        const evictSide = new StoredJoinSide(evicting, 1, evictKeys, true);
        const unmatched: number[] = [];
        expect(evictSide.evict(249, (rec, r) => { if (!evictSide.matched!.isMatched(rec, r)) unmatched.push(valueOf(rec, r)); })).toBe(250);
        expect(unmatched.sort((a, b) => a - b)).toEqual(Array.from({ length: 250 }, (_, k) => k).filter((k) => k % 7 !== 0 && k % 3 !== 0));
        evictSide.flush();
        // The flags of the two entries passed whole go with them; the third's stay for its rows left.
        expect(removes.filter((k) => String(k).startsWith("m")).sort()).toEqual(["m0", "m1"]);
        await later.commit();
        const last = await provider.load(6);
        const lastSide = new StoredJoinSide(last, 1, new StoredJoinKeys(), true);
        const rest: number[] = [];
        expect(lastSide.evict(1000, (rec, r) => { if (!lastSide.matched!.isMatched(rec, r)) rest.push(valueOf(rec, r)); })).toBe(150);
        expect(rest.sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, j) => 250 + j).filter((k) => k % 7 !== 0 && k % 3 !== 0));
        last.abort();
      } finally {
        await provider.close();
      }
    });
  }

  test("a checkpoint of layout 3 (every flag in its row's record) loads: its flags count, and marking one of its rows rewrites that record", async () => {
    const provider = new DiskStateStoreProvider({ dir: await mkdtemp(join(tmpdir(), "join-flags-v3-")), localDir: await mkdtemp(join(tmpdir(), "join-flags-v3-local-")) });
    try {
      const store = await provider.load(0);
      // What layout 3 wrote: key 7 matched, keys 8 and 9 not; one index entry of the three rows.
      store.put("x", { v: 3, next: 1, rows: 3, entries: [0, 0, 3, 5] });
      store.put(7, [1, 5, 1, 70]);
      store.put(8, [1, 6, 0, 80]);
      store.put(9, [1, 7, 0, 90]);
      store.put("i0", { keys: Float64Array.from([7, 8, 9]), times: Float64Array.from([5, 6, 7]) });
      await store.commit();
      const loaded = await provider.load(1);
      const { store: watched, puts } = recorded(loaded);
      const keys = new StoredJoinKeys();
      const side = new StoredJoinSide(watched, 1, keys, true);
      const id9 = keys.idOf(9);
      side.read([id9], 1);
      expect(side.matched!.markMatched(side.record(id9)!, 0)).toBe(false);
      side.touch(id9);
      const unmatched: number[] = [];
      expect(side.evict(6, (rec, r) => { if (!side.matched!.isMatched(rec, r)) unmatched.push(rec[3 + r] as number); })).toBe(2);
      expect(unmatched).toEqual([80]);
      side.flush();
      expect(puts).toContain(9);
      await loaded.commit();
      const next = await provider.load(2);
      const nextSide = new StoredJoinSide(next, 1, new StoredJoinKeys(), true);
      const rest: number[] = [];
      expect(nextSide.evict(100, (rec, r) => { if (!nextSide.matched!.isMatched(rec, r)) rest.push(rec[3 + r] as number); })).toBe(1);
      expect(rest).toEqual([]);
      expect(next.get("x")).toMatchObject({ v: 5 });
      next.abort();
    } finally {
      await provider.close();
    }
  });
});
