import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { FileSourceLog } from "../../src/connectors/sources/file-source-log.ts";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { waitFor } from "../wait-for.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";

/**
 * A stream–stream left outer join (impressions and clicks, JSON files) in a child process,
 * SIGKILLed at random points and restarted from its checkpoint: its output must be exactly
 * the output of a run never interrupted — each joined row and each null-padded impression once.
 */
const JOB = join(import.meta.dirname, "jobs", "stream-join-job.ts");
const tmp = tempDirs();
const next = seededRandom(20);
const FILES = 12;
const minute = (m: number): string => new Date(Date.UTC(2026, 0, 1, 10, 0) + m * 60_000).toISOString();

/** File i: impressions of ads 10i…10i+4 at minute 15i+j; clicks for the even ads of file i−1, 5 minutes after, and one too late. */
async function writeInputs(impressions: string, clicks: string): Promise<void> {
  for (let i = 0; i < FILES; i++) {
    const imps = [0, 1, 2, 3, 4].map((j) => JSON.stringify({ impressionAdId: 10 * i + j, impressionTime: minute(15 * i + j) }));
    const clk = i === 0 ? [] : [0, 2, 4].map((j) => JSON.stringify({ clickAdId: 10 * (i - 1) + j, clickTime: minute(15 * (i - 1) + j + 5) }));
    if (i >= 2) clk.push(JSON.stringify({ clickAdId: 10 * (i - 2) + 1, clickTime: minute(15 * (i - 2) + 1 + 30) }));
    await writeFile(join(impressions, `part-${String(i).padStart(3, "0")}.json`), imps.join("\n") + "\n");
    await writeFile(join(clicks, `part-${String(i).padStart(3, "0")}.json`), clk.join("\n") + "\n");
  }
}

async function outputRows(dir: string): Promise<string[]> {
  const spark = Session.builder().getOrCreate();
  const rows = await spark.read.schema("impressionAdId INT, impressionTime TIMESTAMP, clickAdId INT, clickTime TIMESTAMP").json(dir).collect();
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** Runs the job once uninterrupted and once SIGKILLed twice mid-run then finished: both outputs must be the same. */
async function killedRunMatchesReference(name: string, impressions: string, clicks: string, jobArgs: readonly string[]): Promise<string[]> {
  const referenceOut = await tmp(`${name}-ref-out`);
  const reference = runJobProcess(JOB, [impressions, clicks, join(await tmp(`${name}-ref-ckpt`), "ckpt"), referenceOut, "availableNow", ...jobArgs]);
  expect(await reference.exited).toBe(0);
  const expected = await outputRows(referenceOut);

  const out = await tmp(`${name}-out`);
  const checkpoint = join(await tmp(`${name}-ckpt`), "ckpt");
  const committedAtKill: number[] = [];
  for (let round = 0; round < 2; round++) {
    const { child, exited } = runJobProcess(JOB, [impressions, clicks, checkpoint, out, "forever", ...jobArgs]);
    const before = await committedBatches(checkpoint);
    try {
      // Long enough for a job to start on a loaded machine.
      await waitFor(() => committedBatches(checkpoint), (n) => n > before, "a committed batch of the run", 90_000, 5);
      await new Promise((r) => setTimeout(r, next() * 60));
    } finally {
      // Also when the wait failed: a job left running would run forever.
      child.kill("SIGKILL");
    }
    expect(await exited).toBeNull();
    committedAtKill.push(await committedBatches(checkpoint));
  }
  // The first kill landed mid-run (each batch waits for a 30 ms trigger; there are 12 files a side).
  expect(committedAtKill[0]).toBeLessThan(FILES);
  const last = runJobProcess(JOB, [impressions, clicks, checkpoint, out, "availableNow", ...jobArgs]);
  expect(await last.exited).toBe(0);
  expect(await outputRows(out)).toEqual(expected);
  return expected;
}

test("stream–stream left outer join: SIGKILLs mid-run lose and double nothing", async () => {
  const impressions = await tmp("ssj-crash-imp");
  const clicks = await tmp("ssj-crash-clk");
  await writeInputs(impressions, clicks);
  const expected = await killedRunMatchesReference("ssj-crash", impressions, clicks, []);
  // Some impressions were clicked, some come out with nulls (after the watermark passed them).
  expect(expected.filter((r) => r.includes('"clickAdId":null')).length).toBeGreaterThan(10);
  expect(expected.filter((r) => !r.includes('"clickAdId":null')).length).toBeGreaterThan(10);
}, 120_000);

/**
 * File i: 600 impressions over its 15 minutes (one each 1.5 s), clicks for a third of them 0–25 minutes later (so some
 * join, some come too late for the 20-minute range) and clicks of no impression: each batch's chunk of
 * state is evicted a part at a time, so chunks are compacted, and both sides have unmatched rows.
 */
async function writeManyInputs(impressions: string, clicks: string): Promise<void> {
  const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1, 10, 0) + ms).toISOString();
  for (let i = 0; i < FILES; i++) {
    const imps: string[] = [];
    const clk: string[] = [];
    for (let j = 0; j < 600; j++) {
      const id = 1000 * i + j;
      const t = (15 * i * 60 + j * 1.5) * 1000;
      imps.push(JSON.stringify({ impressionAdId: id, impressionTime: at(t) }));
      if (j % 3 === 0) clk.push(JSON.stringify({ clickAdId: id, clickTime: at(t + Math.floor(next() * 25 * 60_000)) }));
      if (j % 7 === 0) clk.push(JSON.stringify({ clickAdId: -id - 1, clickTime: at(t + 60_000) }));
    }
    await writeFile(join(impressions, `part-${String(i).padStart(3, "0")}.json`), imps.join("\n") + "\n");
    await writeFile(join(clicks, `part-${String(i).padStart(3, "0")}.json`), clk.join("\n") + "\n");
  }
}

test("stream–stream full outer join with 600 rows a batch: SIGKILLs mid-run lose and double nothing (compacted chunks, matched flags, evicted counts in the state)", async () => {
  const impressions = await tmp("ssj-full-imp");
  const clicks = await tmp("ssj-full-clk");
  await writeManyInputs(impressions, clicks);
  const expected = await killedRunMatchesReference("ssj-full", impressions, clicks, ["fullOuter"]);
  expect(expected.filter((r) => r.includes('"clickAdId":null')).length).toBeGreaterThan(100);
  expect(expected.filter((r) => r.includes('"impressionAdId":null')).length).toBeGreaterThan(100);
  expect(expected.filter((r) => !r.includes(":null")).length).toBeGreaterThan(100);
}, 180_000);

test("stream–stream full outer join on the disk-backed state store with a 64k memory budget: SIGKILLs at random points of the run lose and double nothing (key records, index entries, matched flags in the store)", async () => {
  const impressions = await tmp("ssj-disk-imp");
  const clicks = await tmp("ssj-disk-clk");
  await writeManyInputs(impressions, clicks);
  const expected = await killedRunMatchesReference("ssj-disk", impressions, clicks, ["fullOuter", "rocksdb", "64k"]);
  expect(expected.filter((r) => r.includes('"clickAdId":null')).length).toBeGreaterThan(100);
  expect(expected.filter((r) => r.includes('"impressionAdId":null')).length).toBeGreaterThan(100);
  expect(expected.filter((r) => !r.includes(":null")).length).toBeGreaterThan(100);
}, 360_000);

/**
 * Where a SIGKILL lands decides nothing: killed while planning a batch — after one source
 * logged its next file, before the other did and before the offset log named the batch — the
 * restarted run must plan the batches an uninterrupted run plans. Had the impressions taken
 * that logged file and the next one together, they would run a file ahead of the clicks from
 * then on: the watermark moves ahead of the clicks, which are dropped as late, and their
 * impressions come out unmatched (the rows the random kills above once lost).
 */
test("stream–stream full outer join on the disk-backed state store: a run killed between the two sources' log entries of a batch restarts into the same batches", async () => {
  const impressions = await tmp("ssj-plan-imp");
  const clicks = await tmp("ssj-plan-clk");
  await writeManyInputs(impressions, clicks);
  const args = ["fullOuter", "rocksdb", "64k"];
  const referenceOut = await tmp("ssj-plan-ref-out");
  const referenceCheckpoint = join(await tmp("ssj-plan-ref-ckpt"), "ckpt");
  const reference = runJobProcess(JOB, [impressions, clicks, referenceCheckpoint, referenceOut, "availableNow", ...args]);
  expect(await reference.exited).toBe(0);

  // What the kill left: the impressions source's entry for batch 0, nothing else.
  const checkpoint = join(await tmp("ssj-plan-ckpt"), "ckpt");
  const first = join(impressions, "part-000.json");
  const { size, mtimeMs } = await stat(first);
  await (await FileSourceLog.load(join(checkpoint, "sources", "0"))).append([{ path: first, size, modificationTime: Math.floor(mtimeMs) }]);
  const out = await tmp("ssj-plan-out");
  const restarted = runJobProcess(JOB, [impressions, clicks, checkpoint, out, "availableNow", ...args]);
  expect(await restarted.exited).toBe(0);
  expect(await outputRows(out)).toEqual(await outputRows(referenceOut));
  expect(await committedBatches(checkpoint)).toBe(await committedBatches(referenceCheckpoint));
}, 180_000);
