import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import { Memtable } from "../../src/state/disk/memtable.ts";
import { RunsKeyFilter } from "../../src/state/disk/runs-key-filter.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import { FlushScratch, ThreadedFlush } from "../../src/state/disk/threaded-flush.ts";
import { flushThreadStarted } from "../../src/state/disk/background-threads.ts";
import { encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/** One version: new keys [from, to) added as putIfAbsent does, every 7th older key rewritten, every 11th removed; then committed. */
function version(engine: RunEngine, from: number, to: number, model: Map<string, number>): void {
  const mem = engine.memtable;
  for (let i = from; i < to; i++) {
    const key = `key-${i}`;
    hashKey(key);
    expect(mem.addPending(key, keyHash.h1, keyHash.h2, encodeValue(i))).toBe(true);
    model.set(key, i);
  }
  for (let i = Math.max(0, from - 500); i < from; i++) {
    const key = `key-${i}`;
    hashKey(key);
    if (i % 11 === 0) {
      mem.putPending(key, keyHash.h1, keyHash.h2, null);
      model.delete(key);
    } else if (i % 7 === 0) {
      mem.putPending(key, keyHash.h1, keyHash.h2, encodeValue(-i));
      model.set(key, -i);
    }
  }
  engine.commitPending();
}

function lookAll(engine: RunEngine, n: number, model: Map<string, number>): void {
  const keys = Array.from({ length: n + 20 }, (_, i) => `key-${i}`);
  const out: unknown[] = [];
  engine.getMany(keys, out);
  expect(out).toEqual(keys.map((k) => model.get(k)));
  for (let i = 0; i < keys.length; i += 97) expect(engine.get(keys[i]!)).toBe(model.get(keys[i]!));
}

/** The run files' bytes, in the order of the engine's runs (the same runs in both: merges are paced alike). */
function runBytes(engine: RunEngine): Buffer[] {
  return engine.runs.map((r) => readFileSync(r.path));
}

describe("memtables written out by the flush thread", () => {
  // Until the thread is up, engines write memtables out on their own thread.
  beforeAll(async () => {
    while (!flushThreadStarted()) await new Promise((resolve) => setTimeout(resolve, 10));
  });

  it("write the same run files as flushes on the engine's thread, and lookups stay exact while the thread works and after", async () => {
    const threaded = new RunEngine(await tempDir("rivulet-flush-thread-"), 1 << 20, 4 << 20, undefined, true);
    const inline = new RunEngine(await tempDir("rivulet-flush-inline-"), 1 << 20, 4 << 20, undefined, false);
    const model = new Map<string, number>();
    let n = 0;
    let seals = 0;
    let seenWorking = 0;
    for (let v = 0; v < 60; v++) {
      const copy = new Map(model);
      version(threaded, n, n + 700, model);
      version(inline, n, n + 700, copy);
      n += 700;
      const sealed = threaded.maybeFlush();
      expect(inline.maybeFlush()).toBe(sealed);
      if (sealed) {
        seals++;
        // While the thread writes, the sealed memtable answers.
        if (!threaded.flushStepReady) seenWorking++;
        lookAll(threaded, n, model);
      }
      // Each step as a commit's share; the inline flush writes its share, the threaded one is taken in when the thread is done.
      threaded.flushStep(64 * 1024);
      inline.flushStep(64 * 1024);
      if (v % 5 === 4) {
        threaded.flushStep(Infinity);
        inline.flushStep(Infinity);
        expect(threaded.flushing).toBe(false);
        const [a, b] = [runBytes(threaded), runBytes(inline)];
        expect(a.length).toBe(b.length);
        // Buffer.equals: vitest's deep equality would walk megabytes byte by byte.
        expect(a.every((bytes, i) => bytes.equals(b[i]!))).toBe(true);
      }
    }
    expect(seals).toBeGreaterThanOrEqual(4);
    expect(seenWorking).toBeGreaterThan(0);
    lookAll(threaded, n, model);
    threaded.flush();
    inline.flush();
    lookAll(threaded, n, model);
    expect(new Map(threaded.entries())).toEqual(model);
    threaded.close();
    inline.close();
  });

  it("a flush the thread cannot write fails with the thread's error where the run is needed", async () => {
    const mem = new Memtable(true);
    for (let i = 0; i < 1000; i++) {
      const key = `key-${i}`;
      hashKey(key);
      mem.addPending(key, keyHash.h1, keyHash.h2, encodeValue(i));
    }
    mem.commitPending();
    const dir = await tempDir("rivulet-flush-thread-fail-");
    const flush = new ThreadedFlush(mem, false, join(dir, "no-such-dir", "x.run"), "x.run", new RunsKeyFilter(1 << 16), new FlushScratch());
    expect(() => flush.step(Infinity)).toThrow(StateError);
    expect(() => flush.step(Infinity)).toThrow(/flush thread: .*ENOENT/);
  });
});
