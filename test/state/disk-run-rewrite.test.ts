import { describe, expect, it } from "vitest";
import { MERGE_WIDTH, REWRITE_DEAD_SHARE, rewriteDue } from "../../src/state/disk/compaction-policy.ts";
import { RunEngine } from "../../src/state/disk/run-engine.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { tempDirs } from "../temp-dirs.ts";
import { putRecord } from "./engine-records.ts";

const tempDir = tempDirs();

/** Between two batches, as a commit does: the state's key count, then a sealed memtable, a step of flushing and one of merging. */
function commitStep(engine: RunEngine, liveKeys: number, step: number): void {
  engine.liveKeys = liveKeys;
  engine.maybeFlush();
  engine.flushStep(step);
  engine.compact(step);
}

describe("disk state rewrite policy", () => {
  const run = (numEntries: number, numTombstones = 0, fileBytes = 1000) => ({ numEntries, numTombstones, fileBytes });
  const max = 8 * 1000;

  it("rewrites all the runs once the records beyond the live keys are two thirds of them, not before", () => {
    expect(REWRITE_DEAD_SHARE).toBe(2 / 3);
    expect(rewriteDue([run(150), run(150)], 101, max)).toBe(false);
    expect(rewriteDue([run(150), run(150)], 100, max)).toBe(true);
    expect(rewriteDue([run(100), run(100, 50)], 10, max)).toBe(true);
  });

  it("never for one run, a state that is not known yet, or runs under a final run's worth of bytes", () => {
    expect(rewriteDue([run(1000)], 1, max)).toBe(false);
    expect(rewriteDue([run(100), run(100)], -1, max)).toBe(false);
    expect(rewriteDue([run(100, 0, max / MERGE_WIDTH / 2), run(100, 0, max / MERGE_WIDTH / 2)], 1, max)).toBe(false);
  });
});

describe("disk state at a flat size whose keys churn (puts and removals)", () => {
  it("run bytes and the key filter's 'maybe' answers stay flat over many batches, and lookups equal a Map's", async () => {
    const dir = await tempDir("rivulet-rewrite-flat-");
    const maxRunBytes = 1024 * 1024;
    const engine = new RunEngine(dir, 64 * 1024, 1024 * 1024, maxRunBytes);
    const step = 64 * 1024;
    const model = new Map<StateKey, unknown>();
    const BATCHES = 400;
    // Keys of a batch live for AGE batches: the state holds AGE * 300 keys from batch AGE on.
    const AGE = 10;
    const diskBytes: number[] = [];
    const maybe: number[] = [];
    const absent = Array.from({ length: 1000 }, (_, i) => `absent-${i}`);
    const out: unknown[] = [];
    let checkedWhileRewriting = 0;
    let checkedAfterSwap = 0;
    let rewritesSeen = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      for (let i = 0; i < 300; i++) {
        const key = `key-${batch}-${i}`;
        putRecord(engine, key, { batch, i });
        model.set(key, { batch, i });
        if (batch >= AGE) {
          const old = `key-${batch - AGE}-${i}`;
          putRecord(engine, old, null);
          model.delete(old);
        }
      }
      commitStep(engine, model.size, step);
      diskBytes.push(engine.diskBytes);
      engine.takeKeyFilterMaybe();
      engine.getMany(absent, out);
      maybe.push(engine.takeKeyFilterMaybe());
      // Every live key, each batch, through the filter of the runs' keys (a key it missed would read as absent: lost state),
      // while rewrites run and just after one swapped its rebuilt filter in.
      const keys = [...model.keys(), `key-${batch - AGE}-3`, `key-${Math.max(0, batch - 2 * AGE)}-7`, ...absent.slice(0, 10)];
      engine.getMany(keys, out);
      expect(out.slice(0, keys.length), `batch ${batch}`).toEqual(keys.map((k) => model.get(k)));
      if (engine.rewriting) checkedWhileRewriting++;
      if (engine.rewrites > rewritesSeen) {
        checkedAfterSwap++;
        rewritesSeen = engine.rewrites;
      }
    }
    expect(engine.rewrites).toBeGreaterThan(5);
    expect(checkedWhileRewriting).toBeGreaterThan(0);
    expect(checkedAfterSwap).toBe(engine.rewrites);
    const most = (from: number, to: number, of: number[]): number => Math.max(...of.slice(from, to));
    // The run bytes of the last quarter are no more than those of the second (about twice the live records, plus the runs not yet rewritten).
    expect(most(3 * BATCHES / 4, BATCHES, diskBytes)).toBeLessThanOrEqual(1.25 * most(BATCHES / 4, BATCHES / 2, diskBytes));
    // Absent keys let through by the filter of the runs' keys: as few late as early.
    const sum = (from: number, to: number): number => maybe.slice(from, to).reduce((a, b) => a + b, 0);
    expect(sum(3 * BATCHES / 4, BATCHES)).toBeLessThanOrEqual(2 * sum(BATCHES / 4, BATCHES / 2) + 50);
    expect(new Map(engine.entries())).toEqual(model);
    engine.close();
  }, 90_000);
});
