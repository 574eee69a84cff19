import { describe, expect, it } from "vitest";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { RunsKeyFilter } from "../../src/state/disk/runs-key-filter.ts";
import { hashKey, keyHash, RecordWriter } from "../../src/state/disk/state-record.ts";
import { encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

function hashesOf(keys: readonly string[]): Array<{ h1: number; h2: number }> {
  return keys.map((k) => {
    hashKey(k);
    return { h1: keyHash.h1, h2: keyHash.h2 };
  });
}

function falsePositives(filter: RunsKeyFilter, absent: number): number {
  let passed = 0;
  for (const { h1, h2 } of hashesOf(Array.from({ length: absent }, (_, i) => `absent-${i}`))) if (filter.mayContain(h1, h2)) passed++;
  return passed / absent;
}

/** Commits `value` for `key` (null: removes it) as a changelog record would. */
function setKey(engine: RunEngine, key: string, value: number | null): void {
  hashKey(key);
  const w = new RecordWriter(64);
  w.addKey(keyHash.h1, keyHash.h2, key, value === null ? null : encodeValue(value));
  const bytes = Buffer.from(w.bytes());
  engine.setRecord(bytes, 0, bytes.length);
  // Between versions, as the provider does: a memtable over its share is sealed and written out.
  if (engine.maybeFlush()) engine.flushStep(Infinity);
}

/** Cache accesses (hits and misses) that looking up `keys` with get, has and getMany made. */
function cacheAccesses(engine: RunEngine, keys: readonly string[], expected: ReadonlyArray<number | undefined>): number {
  const before = engine.cache.hits + engine.cache.misses;
  keys.forEach((k, i) => {
    expect(engine.get(k)).toBe(expected[i]);
    expect(engine.has(k)).toBe(expected[i] !== undefined);
  });
  const many = new Array<unknown>(keys.length);
  engine.getMany(keys, many);
  expect(many).toEqual(expected);
  return engine.cache.hits + engine.cache.misses - before;
}

describe("disk state: one filter of all the runs' keys", () => {
  it("holds every key added in hash1 order across its growth, and lets few absent keys through", () => {
    const filter = new RunsKeyFilter(32 * 1024 * 1024);
    const batches = [5_000, 60_000, 400_000];
    const added: Array<{ h1: number; h2: number }> = [];
    let n = 0;
    for (const size of batches) {
      // As a flush adds them: reserved first, then in hash1 order.
      const hashes = hashesOf(Array.from({ length: size }, (_, i) => `key-${n + i}`)).sort((a, b) => a.h1 - b.h1);
      n += size;
      const bytesBefore = filter.bytes;
      filter.reserve(hashes.length);
      for (const { h1, h2 } of hashes) filter.add(h1, h2);
      for (const h of hashes) added.push(h);
      expect(filter.bytes).toBeGreaterThanOrEqual(bytesBefore);
    }
    expect(filter.bytes).toBeGreaterThan(64 * 1024);
    expect(filter.added).toBe(n);
    for (const { h1, h2 } of added) if (!filter.mayContain(h1, h2)) throw new Error(`key of hashes ${h1}, ${h2} lost`);
    expect(falsePositives(filter, 200_000)).toBeLessThan(0.003);
  });

  it("grows no further than its ceiling, and a full filter still holds every key (more absent ones get through)", () => {
    const filter = new RunsKeyFilter(256 * 1024);
    const hashes = hashesOf(Array.from({ length: 300_000 }, (_, i) => `key-${i}`)).sort((a, b) => a.h1 - b.h1);
    filter.reserve(hashes.length);
    for (const { h1, h2 } of hashes) filter.add(h1, h2);
    expect(filter.bytes).toBe(256 * 1024);
    for (const { h1, h2 } of hashes) if (!filter.mayContain(h1, h2)) throw new Error("key lost");
    const rate = falsePositives(filter, 20_000);
    expect(rate).toBeGreaterThan(0.003);
    expect(rate).toBeLessThan(1);
    filter.clear();
    expect(filter.added).toBe(0);
    expect(falsePositives(filter, 1_000)).toBe(0);
  });

  it("answers keys no run holds without reading the runs, and gives the same answers as the runs", async () => {
    const dir = await tempDir("rivulet-runs-key-filter-");
    const engine = new RunEngine(dir, 512 * 1024, 8 * 1024 * 1024);
    for (let i = 0; i < 30_000; i++) setKey(engine, `key-${i}`, i);
    // A removal and a key written again, in later runs.
    setKey(engine, "key-7", null);
    setKey(engine, "key-8", 80);
    engine.flush();
    expect(engine.runs.length).toBeGreaterThan(3);
    const absent = Array.from({ length: 2_000 }, (_, i) => `absent-${i}`);
    expect(cacheAccesses(engine, absent, absent.map(() => undefined))).toBeLessThan(20);
    const present = ["key-0", "key-7", "key-8", "key-29999"];
    expect(cacheAccesses(engine, present, [0, undefined, 80, 29_999])).toBeGreaterThan(0);
    engine.close();
  });

  it("after a restart asks the runs until their keys are read into it in the commits' steps, and answers the same throughout", async () => {
    const dir = await tempDir("rivulet-runs-key-filter-");
    const first = new RunEngine(dir, 512 * 1024, 8 * 1024 * 1024);
    for (let i = 0; i < 30_000; i++) setKey(first, `key-${i}`, i);
    first.flush();
    const files = first.runs.map((r) => ({ path: r.path, name: r.name }));
    expect(files.length).toBeGreaterThan(1);
    // Keep the files: a second engine opens them as a restart opens a checkpoint's runs.
    first.pinFiles();
    const restarted = new RunEngine(dir, 512 * 1024, 8 * 1024 * 1024);
    restarted.openRuns(files);
    const absent = Array.from({ length: 500 }, (_, i) => `absent-${i}`);
    const none = absent.map(() => undefined);
    const present = ["key-1", "key-15000", "key-29999"];
    // Not read yet: the runs' own filters answer (each absent key checks every run's partition).
    expect(cacheAccesses(restarted, absent, none)).toBeGreaterThan(absent.length);
    // Small steps: the backlog takes several commits; the answers stay the same at every step.
    let steps = 0;
    for (; steps < 1_000 && cacheAccesses(restarted, absent, none) > 20; steps++) {
      cacheAccesses(restarted, present, [1, 15_000, 29_999]);
      restarted.compact(64 * 1024);
    }
    expect(steps).toBeGreaterThan(3);
    expect(steps).toBeLessThan(1_000);
    // New keys after the restart, flushed to a run, are in it as well.
    for (let i = 0; i < 5_000; i++) setKey(restarted, `new-${i}`, -i - 1);
    restarted.flush();
    cacheAccesses(restarted, ["new-0", "new-4999", ...present], [-1, -5000, 1, 15_000, 29_999]);
    expect(cacheAccesses(restarted, absent, none)).toBeLessThan(20);
    restarted.close();
    first.close();
  });
});
