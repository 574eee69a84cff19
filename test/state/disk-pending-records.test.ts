import { describe, expect, it } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { orderByHash1 } from "../../src/state/disk/hash-order.ts";
import { Memtable } from "../../src/state/disk/memtable.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { LIVE, REMOVED } from "../../src/state/disk/run-lookup.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { decodeValue, encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * putIfAbsent appends a version's new keys to the engine's memtable as pending records;
 * commit keeps them, abort drops them (bringing back what they hid), and a scan of the
 * state before the commit (dropDuplicates' eviction) writes out only committed records.
 */
const tempDir = tempDirs();

async function makeProvider(dir: string, memoryBudgetBytes: number): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-local-"), memoryBudgetBytes, minDeltasForSnapshot: 3 });
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

function sorted(entries: Iterable<[StateKey, unknown]>): Array<[StateKey, unknown]> {
  return [...entries].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe("pending records of the version being updated", () => {
  it.each([["in the memtable", 64 * 1024 * 1024], ["flushed every version (1 KiB budget)", 1024]])(
    "random putIfAbsent, put, remove, scans, commits and aborts answer as a Map, also after a restart (%s)",
    async (_name, budget) => {
      const dir = await tempDir("rivulet-disk-pending-");
      let provider = await makeProvider(dir, budget);
      const next = random(budget);
      let model = new Map<StateKey, unknown>();
      let version = 0;
      for (let round = 0; round < 40; round++) {
        const store = await provider.load(version);
        const working = new Map(model);
        for (let step = 0; step < 6; step++) {
          const op = next();
          if (op < 0.45) {
            const keys = Array.from({ length: 1 + Math.floor(next() * 60) }, () => `k${Math.floor(next() * 400)}`);
            const values = keys.map((_, i) => round * 1000 + step * 100 + i);
            const added = store.putIfAbsent!(keys, values);
            keys.forEach((k, i) => {
              expect(added[i], `${k} in round ${round}`).toBe(working.has(k) ? 0 : 1);
              if (!working.has(k)) working.set(k, values[i]);
            });
          } else if (op < 0.6) {
            const k = `k${Math.floor(next() * 400)}`;
            store.put(k, { round, step });
            working.set(k, { round, step });
          } else if (op < 0.75) {
            const k = `k${Math.floor(next() * 400)}`;
            store.remove(k);
            working.delete(k);
          } else if (op < 0.85) {
            // A scan before the commit, as dropDuplicates' eviction makes.
            expect(sorted(store.entries())).toEqual(sorted(working));
          } else {
            const keys = Array.from({ length: 30 }, () => `k${Math.floor(next() * 400)}`);
            expect(store.getMany(keys)).toEqual(keys.map((k) => working.get(k)));
          }
        }
        expect(store.numKeys).toBe(working.size);
        if (next() < 0.3) {
          store.abort();
        } else {
          await store.commit();
          model = working;
          version++;
        }
        if (round % 10 === 9) {
          await provider.close();
          provider = await makeProvider(dir, budget);
        }
        const check = await provider.load(version);
        expect(sorted(check.entries()), `version ${version}`).toEqual(sorted(model));
        check.abort();
      }
      await provider.close();
    },
    60_000,
  );

  it("an aborted putIfAbsent of a key removed in the memtable over an older run leaves it removed", async () => {
    const dir = await tempDir("rivulet-disk-pending-");
    const provider = await makeProvider(dir, 64 * 1024 * 1024);
    let store = await provider.load(0);
    store.put("k", 1);
    await store.commit();
    // Version 1 is in a run (a scan writes the memtable out); the removal stays in the memtable.
    store = await provider.load(1);
    expect([...store.entries()]).toEqual([["k", 1]]);
    store.remove("k");
    await store.commit();
    store = await provider.load(2);
    expect(Array.from(store.putIfAbsent!(["k", "other"], [2, 3]))).toEqual([1, 1]);
    expect(store.get("k")).toBe(2);
    store.abort();
    store = await provider.load(2);
    expect(store.get("k")).toBeUndefined();
    expect(store.getMany(["k", "other"])).toEqual([undefined, undefined]);
    expect([...store.entries()]).toEqual([]);
    expect(Array.from(store.putIfAbsent!(["k"], [4]))).toEqual([1]);
    await store.commit();
    const fresh = await makeProvider(dir, 64 * 1024 * 1024);
    const loaded = await fresh.load(3);
    expect([...loaded.entries()]).toEqual([["k", 4]]);
    loaded.abort();
    await fresh.close();
    await provider.close();
  });

  it("Memtable: pending records hide committed ones until committed; an abort restores them and the arena", () => {
    const mem = new Memtable(true);
    const put = (key: string, value: unknown, pending: boolean): void => {
      hashKey(key);
      if (pending) mem.putPending(key, keyHash.h1, keyHash.h2, value === undefined ? null : encodeValue(value));
      else mem.putKey(key, keyHash.h1, keyHash.h2, value === undefined ? null : encodeValue(value));
    };
    const get = (key: string): unknown => {
      hashKey(key);
      const r = mem.find(key, keyHash.h1, keyHash.h2);
      return r < 0 || mem.isTombstone(r) ? undefined : decodeValue(mem.valueOf(r));
    };
    for (let i = 0; i < 3000; i++) put(`c${i}`, i, false);
    const committedBytes = mem.bytes;
    put("c1", "new", true);
    put("c2", undefined, true);
    for (let i = 0; i < 3000; i++) put(`p${i}`, -i, true); // the slots grow meanwhile
    hashKey("p0");
    expect(mem.addPending("p0", keyHash.h1, keyHash.h2, encodeValue(9))).toBe(false);
    expect([get("c1"), get("c2"), get("p7")]).toEqual(["new", undefined, -7]);
    expect(mem.pendingRecords).toBe(3002);
    expect(() => put("late", 1, false)).toThrow(/pending/);
    mem.abortPending();
    expect([get("c1"), get("c2"), get("p7"), mem.size, mem.bytes]).toEqual([1, 2, undefined, 3000, committedBytes]);
    put("c1", "again", true);
    mem.commitPending();
    expect([get("c1"), mem.size, mem.sortedRecords().length]).toEqual(["again", 3000, 3000]);
  });

  it("RunEngine.probePastActive answers from the sealed memtable and the runs, never from the active memtable", async () => {
    const engine = new RunEngine(await tempDir("rivulet-disk-engine-"), 4096, 1 << 20);
    const commit = (keys: string[]): void => {
      for (const key of keys) {
        hashKey(key);
        expect(engine.memtable.addPending(key, keyHash.h1, keyHash.h2, encodeValue(key.length))).toBe(true);
      }
      engine.commitPending();
    };
    const ask = (keys: string[], pastActive: boolean): unknown[] => {
      const h1s = new Uint32Array(keys.length);
      const h2s = new Uint32Array(keys.length);
      keys.forEach((k, i) => {
        hashKey(k);
        h1s[i] = keyHash.h1;
        h2s[i] = keyHash.h2;
      });
      const out: unknown[] = new Array(keys.length);
      const pending = Int32Array.from(keys, (_, i) => i);
      const batch = { keys, utf8: false, h1s, h2s };
      if (!pastActive) engine.lookupHashed(batch, pending, keys.length, out, true);
      else {
        const probe = engine.probePastActive();
        for (const i of orderByHash1(h1s, pending, keys.length)) {
          const state = probe.state(keys[i]!, false, h1s[i]!, h2s[i]!);
          out[i] = state === LIVE ? engine.get(keys[i]!) : state === REMOVED ? "removed" : undefined;
        }
      }
      return out;
    };
    commit(["run-a", "run-b"]);
    engine.flush();
    hashKey("run-b");
    engine.memtable.putPending("run-b", keyHash.h1, keyHash.h2, null);
    commit(Array.from({ length: 100 }, (_, i) => `sealed-${i}`));
    expect(engine.maybeFlush()).toBe(true);
    commit(["active"]);
    const keys = ["run-a", "sealed-7", "active", "nowhere", "run-b"];
    expect(engine.flushing).toBe(true);
    expect(ask(keys, false)).toEqual([5, 8, 6, undefined, undefined]);
    expect(ask(keys, true)).toEqual([5, 8, undefined, undefined, "removed"]);
    engine.flushStep(Infinity);
    expect(engine.flushing).toBe(false);
    // The sealed memtable's removal is the newest run's record now.
    expect(ask(keys, true)).toEqual([5, 8, undefined, undefined, "removed"]);
    engine.close();
  });
});
