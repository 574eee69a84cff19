import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiskStateStoreProvider } from "../../src/state/disk/disk-state-store-provider.ts";
import { Memtable } from "../../src/state/disk/memtable.ts";
import { hashKey, keyHash, readRecord, type RecordView } from "../../src/state/disk/state-record.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { encodeValue, decodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

async function makeProvider(dir: string, memoryBudgetBytes = 16 * 1024): Promise<DiskStateStoreProvider> {
  return new DiskStateStoreProvider({ dir, localDir: await tempDir("rivulet-disk-local-"), memoryBudgetBytes, minDeltasForSnapshot: 3 });
}

/** A deterministic random sequence (so that a failure can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

/** Keys the versions touch, and keys never written. */
function keyOf(next: () => number): StateKey {
  const r = next();
  if (r < 0.45) return `["user-${Math.floor(next() * 3000)}"]`;
  if (r < 0.9) return Math.floor(next() * 1000) - 500;
  return `never-${Math.floor(next() * 100)}`;
}

/**
 * Versions of random puts and removes where every batch first asks for its keys with
 * getMany (as dropDuplicates and flatMapGroupsWithState do), then changes some, then asks
 * again (answers now come from the version's own changes); each answer is checked against a
 * Map holding the same history.
 */
async function batchedVersions(provider: DiskStateStoreProvider, model: Map<StateKey, unknown>, from: number, versions: number, seed: number): Promise<void> {
  const next = random(seed);
  for (let v = from; v < from + versions; v++) {
    const store = await provider.load(v);
    const keys = Array.from({ length: 400 }, () => keyOf(next));
    expect(store.getMany(keys)).toEqual(keys.map((k) => model.get(k)));
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (typeof key === "string" && key.startsWith("never-")) continue;
      const op = next();
      if (op < 0.25) {
        store.remove(key);
        model.delete(key);
      } else if (op < 0.7) {
        const value = op < 0.5 ? v * 1000 + i : { v, i, seen: [String(key)] };
        store.put(key, value);
        model.set(key, value);
      }
    }
    expect(store.getMany(keys)).toEqual(keys.map((k) => model.get(k)));
    expect(store.numKeys).toBe(model.size);
    await store.commit();
  }
}

describe("DiskStateStore.getMany (batched lookups)", () => {
  it("over a state many times its memory budget, in the memtable and in several runs, answers as a Map across a restart", async () => {
    const dir = await tempDir("rivulet-disk-batch-");
    const model = new Map<StateKey, unknown>();
    let provider = await makeProvider(dir);
    await batchedVersions(provider, model, 0, 25, 11);
    // Written out as runs (and merged) many times over.
    expect((await readdir(join(dir, "runs"))).length).toBeGreaterThan(5);
    await provider.close();

    // Another process: the working copy is rebuilt from manifests, run files and changelogs.
    provider = await makeProvider(dir);
    await batchedVersions(provider, model, 25, 10, 12);
    const store = await provider.load(35);
    const all = [...model.keys(), "never-1", 100_000];
    expect(store.getMany(all)).toEqual(all.map((k) => model.get(k)));
    expect(new Map(store.entries())).toEqual(model);
    store.abort();
    await provider.close();
  });

  it("after purging by minBatchesToRetain, a retained version answers as it did, a purged one is refused", async () => {
    const dir = await tempDir("rivulet-disk-batch-");
    const model = new Map<StateKey, unknown>();
    let provider = await makeProvider(dir);
    await batchedVersions(provider, model, 0, 12, 21);
    const atTwelve = new Map(model);
    await batchedVersions(provider, model, 12, 12, 22);
    await provider.purge(24 - 10); // minBatchesToRetain = 10
    await provider.close();

    provider = await makeProvider(dir);
    await expect(provider.load(2)).rejects.toThrow(/cannot load state version 2/);
    const keys = [...new Set([...atTwelve.keys(), ...model.keys()])];
    let store = await provider.load(24);
    expect(store.getMany(keys)).toEqual(keys.map((k) => model.get(k)));
    store.abort();
    store = await provider.load(14);
    expect(store.numKeys).toBeGreaterThan(0);
    store.abort();
    await provider.close();
  });
});

describe("Memtable", () => {
  function record(mem: Memtable, key: StateKey, value: unknown): void {
    hashKey(key);
    mem.putKey(key, keyHash.h1, keyHash.h2, value === undefined ? null : encodeValue(value));
  }
  function lookup(mem: Memtable, key: StateKey): unknown {
    hashKey(key);
    const r = mem.find(key, keyHash.h1, keyHash.h2);
    if (r < 0) return "absent";
    return mem.isTombstone(r) ? "removed" : decodeValue(mem.valueOf(r));
  }

  it("keeps the newest record of each key, removals included, past its table's growth", () => {
    const mem = new Memtable();
    for (let i = 0; i < 5000; i++) record(mem, `k${i}`, i);
    for (let i = 0; i < 5000; i += 2) record(mem, `k${i}`, { again: i });
    for (let i = 0; i < 5000; i += 5) record(mem, `k${i}`, undefined);
    expect(mem.size).toBe(5000);
    expect(mem.records).toBe(5000 + 2500 + 1000);
    expect(lookup(mem, "k1")).toBe(1);
    expect(lookup(mem, "k2")).toEqual({ again: 2 });
    expect(lookup(mem, "k10")).toBe("removed");
    expect(lookup(mem, "k5000")).toBe("absent");
    expect(lookup(mem, 7)).toBe("absent");

    // A flush writes each key once, in hash1 order.
    const sorted = mem.sortedRecords();
    expect(sorted.length).toBe(5000);
    for (let j = 1; j < sorted.length; j++) expect(mem.hash1(sorted[j]!)).toBeGreaterThanOrEqual(mem.hash1(sorted[j - 1]!));
    expect(sorted.filter((r) => mem.isTombstone(r)).length).toBe(1000);
  });

  it("indexes a changelog's records in place and replaces them by later ones", () => {
    const source = new Memtable();
    record(source, "a", 1);
    record(source, "b", 2);
    const mem = new Memtable();
    for (const r of source.sortedRecords()) {
      // Records handed over in their own buffer, as a changelog's are.
      const bytes = Buffer.from(source.chunkOf(r).subarray(source.offsetOf(r), source.endOf(r)));
      mem.putRecordKeeping(bytes, 0, bytes.length);
    }
    expect(lookup(mem, "a")).toBe(1);
    record(mem, "a", 3);
    expect(lookup(mem, "a")).toBe(3);
    expect(lookup(mem, "b")).toBe(2);
    expect(mem.size).toBe(2);
  });
});

describe("changelogs in hash1 order", () => {
  /** The records of a changelog file: [start, end) of each, and its hash1. */
  function records(bytes: Buffer): Array<{ start: number; end: number; h1: number }> {
    const out: Array<{ start: number; end: number; h1: number }> = [];
    const view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
    let pos = 17;
    for (let i = 0; i < bytes.readUInt32LE(13); i++) {
      readRecord(bytes, pos, view);
      out.push({ start: pos, end: view.end, h1: view.h1 });
      pos = view.end;
    }
    return out;
  }

  it("a commit writes its changes (put, remove and putIfAbsent alike) in hash1 order; a changelog in any other order still loads", async () => {
    const dir = await tempDir("rivulet-disk-sorted-");
    // A budget large enough that nothing is written out as a run: versions come from changelogs.
    const provider = await makeProvider(dir, 64 * 1024 * 1024);
    const model = new Map<StateKey, unknown>();
    for (let v = 0; v < 4; v++) {
      const store = await provider.load(v);
      const keys = Array.from({ length: 500 }, (_, i) => `k-${v * 300 + i}`);
      const added = store.putIfAbsent!(keys, keys.map((_, i) => v * 1000 + i));
      keys.forEach((k, i) => {
        if (added[i] === 1) model.set(k, v * 1000 + i);
      });
      for (let i = 0; i < 50; i++) {
        store.put(`p-${v}-${i}`, { v, i });
        model.set(`p-${v}-${i}`, { v, i });
      }
      store.remove(`k-${v * 300}`);
      model.delete(`k-${v * 300}`);
      await store.commit();
    }
    await provider.close();
    for (let v = 1; v <= 4; v++) {
      const file = join(dir, `${v}.changelog`);
      const bytes = await readFile(file);
      const recs = records(bytes);
      // putIfAbsent's stretch, then the overlay's changes: each sorted by hash1.
      let descents = 0;
      for (let i = 1; i < recs.length; i++) if (recs[i]!.h1 < recs[i - 1]!.h1) descents++;
      expect(descents).toBeLessThanOrEqual(1);
      // Rewrite it with its records in reverse order (as an unsorted writer would have), same header and end.
      const reversed = Buffer.concat([bytes.subarray(0, 17), ...recs.reverse().map((r) => bytes.subarray(r.start, r.end)), bytes.subarray(bytes.length - 4)]);
      await writeFile(file, reversed);
    }
    // Reversed, a key written twice in one changelog would have its older record last: this data has none.
    const reopened = await makeProvider(dir, 64 * 1024 * 1024);
    const store = await reopened.load(4);
    expect(new Map(store.entries())).toEqual(model);
    store.abort();
    await reopened.close();
  });
});

describe("record keys", () => {
  it("a stored key matches only the same text: ASCII compared byte for code unit, other text through UTF-8", () => {
    const mem = new Memtable();
    const keys = ["abc", "é", "Ã©", "ÃA", "日本", "a\u0000b", "𝄞", ""];
    for (const k of keys) {
      hashKey(k);
      mem.putKey(k, keyHash.h1, keyHash.h2, encodeValue(k));
    }
    // Same hashes, other text: the key bytes decide (a hash pair is taken from the stored key).
    for (const stored of keys) {
      hashKey(stored);
      const { h1, h2 } = keyHash;
      for (const probe of keys) expect(mem.find(probe, h1, h2) >= 0).toBe(probe === stored);
    }
  });
});
