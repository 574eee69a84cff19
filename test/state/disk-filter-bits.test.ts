import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BlockCache } from "../../src/state/disk/block-cache.ts";
import { BITS_PER_KEY, SMALL_RUN_BITS_PER_KEY } from "../../src/state/disk/bloom-filter.ts";
import { mergedRunBitsPerKey } from "../../src/state/disk/compaction-policy.ts";
import { DEFAULT_MAX_RUN_BYTES, RunEngine } from "../../src/state/disk/run-engine.ts";
import { RunFile } from "../../src/state/disk/run-file.ts";
import { RunWriter } from "../../src/state/disk/run-writer.ts";
import { hashKey, keyHash, RecordWriter } from "../../src/state/disk/state-record.ts";
import { encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();
const KEYS = 40_000;

/** Filter bits per key of a run and the share of `absent` keys its filters let through. */
function filterOf(run: RunFile, absent: number): { bitsPerKey: number; falsePositives: number } {
  const cache = new BlockCache(64 * 1024 * 1024);
  let bits = 0;
  for (let p = 0; p < run.numPartitions; p++) bits += run.partition(p, cache).bloom.bytes * 8;
  let passed = 0;
  for (let i = 0; i < absent; i++) {
    hashKey(`absent-${i}`);
    const p = run.partitionFor(keyHash.h1);
    if (run.partition(p, cache).bloom.mayContain(keyHash.h1, keyHash.h2)) passed++;
  }
  return { bitsPerKey: bits / run.numEntries, falsePositives: passed / absent };
}

function writeRun(path: string, bitsPerKey: number | undefined): RunFile {
  const records = Array.from({ length: KEYS }, (_, i) => {
    hashKey(`key-${i}`);
    return { h1: keyHash.h1, h2: keyHash.h2, i };
  }).sort((a, b) => a.h1 - b.h1);
  const writer = bitsPerKey === undefined ? new RunWriter(path) : new RunWriter(path, bitsPerKey);
  for (const r of records) writer.addKey(r.h1, r.h2, `key-${r.i}`, encodeValue(r.i));
  writer.finish();
  return RunFile.open(path, path.split("/").pop()!);
}

describe("disk state run filters: more bits a key for the runs that are merged again", () => {
  it("a flushed memtable's run has filters of 16 bits a key and lets through about 0.2% of absent keys", async () => {
    const dir = await tempDir("rivulet-filter-bits-");
    const engine = new RunEngine(dir, 64 * 1024 * 1024, 64 * 1024 * 1024);
    for (let i = 0; i < KEYS; i++) {
      hashKey(`key-${i}`);
      const w = new RecordWriter(64);
      w.addKey(keyHash.h1, keyHash.h2, `key-${i}`, encodeValue(i));
      const bytes = Buffer.from(w.bytes());
      engine.setRecord(bytes, 0, bytes.length);
    }
    engine.flush();
    expect(engine.runs).toHaveLength(1);
    const flushed = filterOf(engine.runs[0]!, 200_000);
    expect(flushed.bitsPerKey).toBeGreaterThanOrEqual(SMALL_RUN_BITS_PER_KEY);
    expect(flushed.bitsPerKey).toBeLessThan(SMALL_RUN_BITS_PER_KEY + 1);
    expect(flushed.falsePositives).toBeLessThan(0.004);
    // Every key is still found.
    for (let i = 0; i < KEYS; i += 97) expect(engine.get(`key-${i}`)).toBe(i);
    engine.close();
  });

  it("a run of 10 bits a key (as written before, and still for the largest merges) reads as before, at about 1% false positives", async () => {
    const dir = await tempDir("rivulet-filter-bits-");
    const old = filterOf(writeRun(join(dir, "old.run"), undefined), 200_000);
    expect(old.bitsPerKey).toBeGreaterThanOrEqual(BITS_PER_KEY);
    expect(old.bitsPerKey).toBeLessThan(BITS_PER_KEY + 1);
    expect(old.falsePositives).toBeGreaterThan(0.005);
    expect(old.falsePositives).toBeLessThan(0.02);
    const small = filterOf(writeRun(join(dir, "small.run"), SMALL_RUN_BITS_PER_KEY), 200_000);
    expect(small.falsePositives).toBeLessThan(old.falsePositives / 3);
  });

  it("a merge's run gets 16 bits a key unless its inputs pass half of maxRunBytes", () => {
    expect(mergedRunBitsPerKey(4 * 32 * 2 ** 20, DEFAULT_MAX_RUN_BYTES)).toBe(SMALL_RUN_BITS_PER_KEY);
    expect(mergedRunBitsPerKey(DEFAULT_MAX_RUN_BYTES / 2, DEFAULT_MAX_RUN_BYTES)).toBe(SMALL_RUN_BITS_PER_KEY);
    expect(mergedRunBitsPerKey(DEFAULT_MAX_RUN_BYTES / 2 + 1, DEFAULT_MAX_RUN_BYTES)).toBe(BITS_PER_KEY);
    expect(mergedRunBitsPerKey(4 * 128 * 2 ** 20, DEFAULT_MAX_RUN_BYTES)).toBe(BITS_PER_KEY);
  });
});
