import { describe, expect, it } from "vitest";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import { encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/** Adds a version's new keys as putIfAbsent does (pending records), then commits them. */
function addKeys(engine: RunEngine, from: number, to: number): void {
  const mem = engine.memtable;
  for (let i = from; i < to; i++) {
    const key = `key-${i}`;
    hashKey(key);
    expect(mem.addPending(key, keyHash.h1, keyHash.h2, encodeValue(i))).toBe(true);
  }
  engine.commitPending();
}

describe("the memtable taking over from a sealed one", () => {
  it("starts with the sealed one's index size, and every key stays findable as it fills and after both are written out", async () => {
    const engine = new RunEngine(await tempDir("rivulet-presize-"), 2 << 20, 4 << 20);
    let n = 0;
    while (!engine.maybeFlush()) {
      addKeys(engine, n, n + 1000);
      n += 1000;
    }
    const sealedKeys = n;
    const active = engine.memtable;
    expect(active.size).toBe(0);
    // The sealed memtable's index grew past its first 2048 slots; the new one starts there.
    expect(active.slotCapacity).toBeGreaterThanOrEqual(8192);
    expect(active.slotCapacity * 2).toBeGreaterThan(sealedKeys);
    addKeys(engine, n, n + 3000);
    n += 3000;
    const keys = Array.from({ length: n + 10 }, (_, i) => `key-${i}`);
    const expected = keys.map((_, i) => (i < n ? i : undefined));
    const out: unknown[] = [];
    engine.getMany(keys, out);
    expect(out).toEqual(expected);
    engine.flush();
    engine.getMany(keys, out);
    expect(out).toEqual(expected);
    engine.close();
  });
});
