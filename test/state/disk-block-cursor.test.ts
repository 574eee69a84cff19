import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlockCache } from "../../src/state/disk/block-cache.ts";
import type { HashedKeys } from "../../src/state/disk/hash-order.ts";
import { RunFile, type FoundRecord } from "../../src/state/disk/run-file.ts";
import { lookupInRuns, PastActiveProbe, LIVE, NO_RECORD, REMOVED } from "../../src/state/disk/run-lookup.ts";
import { RunWriter } from "../../src/state/disk/run-writer.ts";
import { UTF8_KEY_MARK, type StateKey } from "../../src/state/state-store.ts";
import { decodeValue, encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/** A deterministic random sequence (so that a failure can be replayed). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

interface Key {
  /** As a batch asks for it (a UTF-8 key without its mark when `utf8`). */
  readonly key: StateKey;
  readonly h1: number;
  readonly h2: number;
}

/**
 * Keys with hashes chosen here (the runs store whatever hashes they are given): most spread
 * over the whole hash1 range, some hundreds sharing a few hash1 values (runs of equal hash1
 * that span blocks), some sharing both hashes, and the largest and smallest hash1.
 */
function keysOf(n: number, utf8: boolean, next: () => number): Key[] {
  const keys: Key[] = [];
  const name = (i: number): StateKey => (utf8 || i % 3 !== 0 ? `user-${i.toString(36)}-${"x".repeat(i % 17)}` : i * 1.5 - 700);
  for (let i = 0; i < n; i++) {
    const r = next();
    const h1 = i === 0 ? 0 : i === 1 ? 0xffffffff : r < 0.1 ? 0x80000000 + (i % 3) : r < 0.13 ? 0x40000000 : Math.floor(next() * 2 ** 32);
    const h2 = r >= 0.1 && r < 0.13 ? 7 : (Math.floor(next() * 2 ** 32) | 1) >>> 0;
    keys.push({ key: name(i), h1, h2 });
  }
  return keys;
}

/** A run of the keys `take` picks (value, or null: removed), in hash1 order; `model` gets each key's newest record. */
function writeRun(path: string, keys: readonly Key[], utf8: boolean, model: Map<StateKey, unknown>, take: (i: number) => unknown): RunFile {
  const records: Array<{ k: Key; value: unknown }> = [];
  keys.forEach((k, i) => {
    const value = take(i);
    if (value !== undefined) records.push({ k, value });
  });
  records.sort((a, b) => a.k.h1 - b.k.h1);
  const writer = new RunWriter(path);
  for (const { k, value } of records) {
    const name = utf8 ? UTF8_KEY_MARK + (k.key as string) : k.key;
    writer.addKey(k.h1, k.h2, name, value === null ? null : encodeValue(value));
    model.set(k.key, value);
  }
  writer.finish();
  return RunFile.open(path, path);
}

async function runsOf(utf8: boolean, seed: number): Promise<{ runs: RunFile[]; keys: Key[]; absent: Key[]; model: Map<StateKey, unknown>; removed: Set<StateKey> }> {
  const dir = await tempDir("rivulet-disk-cursor-");
  const next = random(seed);
  const all = keysOf(24_000, utf8, next);
  const keys = all.slice(0, 20_000);
  const absent = all.slice(20_000);
  const model = new Map<StateKey, unknown>();
  const runs: RunFile[] = [];
  // Oldest first: a big run of most keys, then runs that update, remove and add some.
  runs.push(writeRun(join(dir, "0.run"), keys, utf8, model, (i) => (i % 5 !== 4 ? { start: i, end: i + 1, events: 1 } : undefined)));
  for (let r = 1; r <= 3; r++) {
    runs.push(writeRun(join(dir, `${r}.run`), keys, utf8, model, (i) => {
      const x = next();
      return x < 0.15 ? { start: i, end: i + r, events: r + 1 } : x < 0.2 ? null : undefined;
    }));
  }
  // The newest record of each key: its value, or null (removed).
  const removed = new Set([...model].filter(([, v]) => v === null).map(([k]) => k));
  for (const k of removed) model.delete(k);
  return { runs, keys, absent, model, removed };
}

function batchOf(asked: readonly Key[], utf8: boolean): HashedKeys {
  return { keys: asked.map((k) => k.key), utf8, h1s: Uint32Array.from(asked, (k) => k.h1), h2s: Uint32Array.from(asked, (k) => k.h2) };
}

/** The first few positions where `actual` differs from `expected` (a short failure message). */
function mismatches(actual: readonly unknown[], expected: readonly unknown[]): unknown[] {
  const wrong: unknown[] = [];
  for (let i = 0; i < expected.length && wrong.length < 5; i++) {
    if (JSON.stringify(actual[i]) !== JSON.stringify(expected[i])) wrong.push({ i, actual: actual[i], expected: expected[i] });
  }
  return wrong;
}

const newFound = (): FoundRecord => ({ block: Buffer.alloc(0), valueStart: 0, valueLength: 0 });

describe("lookups in runs with a cursor per run (block-cursor.ts)", () => {
  for (const utf8 of [false, true]) {
    it(`give each key its newest record: present in many runs, removed, absent, equal hashes, at run ends (${utf8 ? "UTF-8" : "string and number"} keys)`, async () => {
      const { runs, keys, absent, model, removed } = await runsOf(utf8, utf8 ? 7 : 3);
      expect(removed.size).toBeGreaterThan(100);
      const asked = [...keys, ...absent, { key: utf8 ? "none" : "none", h1: 0xffffffff, h2: 3 }, { key: utf8 ? "zero" : 0.25, h1: 0, h2: 5 }];
      const batch = batchOf(asked, utf8);
      const byHash = asked.map((_, i) => i).sort((a, b) => asked[a]!.h1 - asked[b]!.h1);
      for (const [order, budget] of [[byHash, 1 << 24], [byHash, 64 * 1024]] as const) {
        const out: unknown[] = new Array(asked.length).fill(undefined);
        lookupInRuns(runs, new BlockCache(budget), newFound(), batch, Int32Array.from(order), order.length, out, true, null);
        expect({ budget, wrong: mismatches(out, asked.map((k) => model.get(k.key))) }).toEqual({ budget, wrong: [] });
      }
      // Key by key in hash1 order: the state of each.
      const probe = new PastActiveProbe(null, runs, new BlockCache(1 << 24), newFound());
      const states = byHash.map((i) => probe.state(asked[i]!.key, utf8, asked[i]!.h1, asked[i]!.h2));
      expect(mismatches(states, byHash.map((i) => (model.has(asked[i]!.key) ? LIVE : removed.has(asked[i]!.key) ? REMOVED : NO_RECORD)))).toEqual([]);
      // One key at a time, without a cursor, as before.
      const cache = new BlockCache(1 << 24);
      for (const k of asked.slice(0, 3000)) {
        const found = newFound();
        const name = utf8 ? UTF8_KEY_MARK + (k.key as string) : k.key;
        let value: unknown;
        for (let r = runs.length - 1; r >= 0; r--) {
          if (!runs[r]!.find(name, k.h1, k.h2, cache, found)) continue;
          value = found.valueLength === 0xffffffff ? undefined : decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength));
          break;
        }
        expect(value).toEqual(model.get(k.key));
      }
      for (const run of runs) run.close();
    });
  }

  it("read a partition's data blocks at once for a batch with many keys in it, block by block through the cache for a sparse one (partition-chunk.ts)", async () => {
    const { runs, keys, absent, model } = await runsOf(false, 11);
    const asked = [...keys, ...absent];
    const chunkReads = (): number => runs.reduce((n, r) => n + r.chunkReads, 0);
    const lookUp = (picked: readonly Key[], cache: BlockCache): void => {
      const order = picked.map((_, i) => i).sort((a, b) => picked[a]!.h1 - picked[b]!.h1);
      const out: unknown[] = new Array(picked.length).fill(undefined);
      lookupInRuns(runs, cache, newFound(), batchOf(picked, false), Int32Array.from(order), order.length, out, true, null);
      expect(mismatches(out, picked.map((k) => model.get(k.key)))).toEqual([]);
    };
    // Every key: each partition read at once, no data block through the cache.
    let before = chunkReads();
    const dense = new BlockCache(1 << 24);
    lookUp(asked, dense);
    expect(chunkReads() - before).toBeGreaterThanOrEqual(runs.reduce((n, r) => n + r.numPartitions, 0) - runs.length);
    expect(dense.bytes).toBe(dense.highPriorityBytes);
    // One key in 2000: a few keys a partition, each block read alone (and cached).
    before = chunkReads();
    const sparse = new BlockCache(1 << 24);
    lookUp(asked.filter((_, i) => i % 2000 === 0), sparse);
    expect(chunkReads() - before).toBe(0);
    expect(sparse.bytes).toBeGreaterThan(sparse.highPriorityBytes);
    // Dense below the middle of the hash range, sparse above: both ways in one walk, with a cache that evicts.
    lookUp(asked.filter((k, i) => k.h1 < 0x80000000 || i % 2000 === 0), new BlockCache(64 * 1024));
    for (const run of runs) run.close();
  });
});
