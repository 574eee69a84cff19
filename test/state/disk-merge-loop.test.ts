import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MergeJob } from "../../src/state/disk/merge-job.ts";
import { MergeLoop } from "../../src/state/disk/merge-loop.ts";
import { RunMerge } from "../../src/state/disk/merge-runs.ts";
import { MERGE_STATUS_WORDS, writeMergedRun } from "../../src/state/disk/merge-task.ts";
import { RunCursor, RunFile } from "../../src/state/disk/run-file.ts";
import { RunWriter } from "../../src/state/disk/run-writer.ts";
import { hashKey, keyHash } from "../../src/state/disk/state-record.ts";
import { encodeValue } from "../../src/state/value-codec.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/**
 * Five runs (oldest first) over 6,000 keys: each puts or removes a share of them; some keys
 * share a hash1 (a record group a piece must not split).
 */
function writeRuns(dir: string): RunFile[] {
  const runs: RunFile[] = [];
  for (let r = 0; r < 5; r++) {
    const records: Array<{ h1: number; h2: number; key: string; value: Uint8Array | null }> = [];
    for (let i = 0; i < 6_000; i++) {
      if ((i * 7 + r) % 5 > 2) continue;
      const key = `key-${i}`;
      hashKey(key);
      // Every tenth key shares its hash1 with the key before it.
      const h1 = i % 10 === 9 ? hashOf(`key-${i - 1}`) : keyHash.h1;
      hashKey(key);
      records.push({ h1, h2: keyHash.h2, key, value: (i + r) % 4 === 0 ? null : encodeValue({ r, i, pad: "x".repeat(i % 50) }) });
    }
    records.sort((a, b) => a.h1 - b.h1);
    const path = join(dir, `${r}.run`);
    const writer = new RunWriter(path);
    for (const { h1, h2, key, value } of records) writer.addKey(h1, h2, key, value);
    writer.finish();
    runs.push(RunFile.open(path, path));
  }
  return runs;
}

function hashOf(key: string): number {
  hashKey(key);
  return keyHash.h1;
}

/** A merge of `runs` through MergeJob (on this thread), stepped `budget` bytes at a time; returns its run files' paths. */
function mergeInSteps(runs: readonly RunFile[], dir: string, budget: number, pieceBytes?: number, onKey?: (h1: number, h2: number) => void): string[] {
  let n = 0;
  const job = new MergeJob(runs, true, () => { const p = join(dir, `out-${budget}-${n++}.run`); return [p, p]; }, 10, { pieceBytes, onKey: onKey ?? (() => {}) });
  while (!job.step(budget));
  return job.outputs.map((o) => o.path);
}

/** The hash1s of a run file's records, in order. */
function hash1s(path: string): number[] {
  const run = RunFile.open(path, path);
  const out: number[] = [];
  for (const c = new RunCursor(run); !c.done; c.next()) out.push(c.view.h1);
  run.close();
  return out;
}

describe("disk state: the merge loop MergeJob and the merge thread share", () => {
  it("writes the same run whatever the steps (budgets, record stretches), and a rewrite's pieces split only between hash1s", async () => {
    const dir = await tempDir("rivulet-merge-loop-");
    const runs = writeRuns(dir);
    const [whole] = mergeInSteps(runs, dir, Infinity);
    const bytes = readFileSync(whole!);
    for (const budget of [1, 700, 64 * 1024]) {
      const [stepped] = mergeInSteps(runs, dir, budget);
      expect(readFileSync(stepped!).equals(bytes)).toBe(true);
    }
    // As the merge thread drives it: stretches of a few records, no byte limit.
    const path = join(dir, "stretches.run");
    const loop = new MergeLoop(new RunMerge(runs, true));
    const writer = new RunWriter(path, 10);
    let stretches = 0;
    while (!loop.write(writer, Infinity, 37)) stretches++;
    writer.finish();
    expect(stretches).toBeGreaterThan(10);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    // The merge thread's own function (called here, on this thread), with its cancel checks between stretches.
    const threadPath = join(dir, "thread.run");
    const status = new Int32Array(new SharedArrayBuffer(MERGE_STATUS_WORDS * 4));
    const written = writeMergedRun({ inputs: runs.map((r) => r.path), dropRemovals: true, path: threadPath, bitsPerKey: 10, status });
    expect(written).toBeGreaterThan(0);
    expect(readFileSync(threadPath).equals(bytes)).toBe(true);

    // Pieces: together the same records, each piece's hash1s disjoint from the next one's.
    const keys: number[] = [];
    const pieces = mergeInSteps(runs, dir, 5_000, 20_000, (h1) => keys.push(h1));
    expect(pieces.length).toBeGreaterThan(3);
    const perPiece = pieces.map(hash1s);
    expect(perPiece.flat()).toEqual(hash1s(whole!));
    expect(keys).toEqual(hash1s(whole!));
    for (let p = 1; p < perPiece.length; p++) expect(perPiece[p]![0]!).toBeGreaterThan(perPiece[p - 1]!.at(-1)!);
    for (const run of runs) run.close();
  });
});
