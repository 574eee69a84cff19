import { describe, expect, it } from "vitest";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { RunsKeyFilter } from "../../src/state/disk/runs-key-filter.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import { tempDirs } from "../temp-dirs.ts";
import { putRecord } from "./engine-records.ts";

const tempDir = tempDirs();

function hashOf(key: string): number {
  hashKey(key);
  return keyHash.h1;
}

describe("disk state: the filter of the runs' keys cleared while a rewrite rebuilds it", () => {
  it("is refused (the rewrite's runs would hold keys the cleared filter calls absent); abandoned first, it clears", () => {
    const filter = new RunsKeyFilter(1 << 20);
    const before = { h1: hashOf("before"), h2: keyHash.h2 };
    filter.add(before.h1, before.h2);
    filter.startRebuild(1000);
    hashKey("rewritten");
    filter.addRebuilt(keyHash.h1, keyHash.h2);
    expect(() => filter.clear()).toThrow(/cleared while a rewrite rebuilds it/);
    expect(filter.mayContain(before.h1, before.h2)).toBe(true);
    filter.abandonRebuild();
    filter.clear();
    expect(filter.rebuilding).toBe(false);
    expect(filter.mayContain(before.h1, before.h2)).toBe(false);
  });
});

describe("disk state: background work on a rewrite that is due", () => {
  it("is there only once the rewrite may start (not while a memtable is written out in steps)", async () => {
    const dir = await tempDir("rivulet-rewrite-wait-");
    // Flushes in steps on this thread (no flush thread): a rewrite may not start while one is in progress.
    const engine = new RunEngine(dir, 256 * 1024, 1 << 20, 64 * 1024, false);
    for (let i = 0; i < 3_000; i++) putRecord(engine, `key-${i}`, { i, pad: "y".repeat(20) });
    engine.flush();
    for (let i = 0; i < 3_000; i++) putRecord(engine, `key-${i}`, null);
    engine.flush();
    engine.liveKeys = 0;
    expect(engine.hasCompactionWork).toBe(true);
    // A memtable over half its share, sealed and not yet written out.
    for (let i = 0; engine.memtableBytesUsed <= 128 * 1024; i++) putRecord(engine, `new-${i}`, i);
    expect(engine.maybeFlush()).toBe(true);
    expect(engine.flushing).toBe(true);
    expect(engine.hasCompactionWork).toBe(false);
    engine.compact(Infinity);
    expect(engine.rewriting).toBe(false);
    engine.flushStep(Infinity);
    expect(engine.hasCompactionWork).toBe(true);
    engine.compact(Infinity);
    expect(engine.rewrites).toBe(1);
    expect(engine.get("key-5")).toBeUndefined();
    expect(engine.get("new-5")).toBe(5);
    engine.close();
  });

  it("an engine closed in the middle of a rewrite abandons its rebuild first and closes cleanly", async () => {
    const dir = await tempDir("rivulet-rewrite-close-");
    const engine = new RunEngine(dir, 256 * 1024, 1 << 20, 64 * 1024, false);
    for (let i = 0; i < 3_000; i++) putRecord(engine, `key-${i}`, { i, pad: "y".repeat(20) });
    engine.flush();
    // Five in six removed: mostly dead, and a rewrite with live keys to write (a step of 1 byte writes one).
    for (let i = 0; i < 3_000; i++) if (i % 6 !== 0) putRecord(engine, `key-${i}`, null);
    engine.flush();
    engine.liveKeys = 500;
    engine.compact(1);
    expect(engine.rewriting).toBe(true);
    expect(() => engine.close()).not.toThrow();
  });
});
