import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";

const job = join(import.meta.dirname, "jobs", "parallel-aggregation-job.ts");
const tempDir = tempDirs();

/**
 * `files` files of 500 events over `urls` urls, an hour every 3 files; ms has fractions, so its
 * sums round. 30 urls: partial aggregation reduces; 450: it does not (0.9 groups per row).
 */
async function writeFiles(input: string, files = 12, urls = 30): Promise<void> {
  for (let f = 0; f < files; f++) {
    let text = "";
    for (let i = 0; i < 500; i++) {
      const time = new Date(Date.UTC(2026, 0, 1, Math.floor(f / 3), (i * 7) % 60, i % 60)).toISOString();
      text += JSON.stringify({ time, url: `/page/${(i * 13 + f) % urls}`, bytes: (i * 37 + f) % 5000, ms: ((i * 31 + f * 7) % 997) / 7 }) + "\n";
    }
    await writeFile(join(input, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

interface Output {
  readonly plan: string;
  readonly rows: Array<{ url: string; start: string; n: number; bytes: number; ms: number }>;
}

const lastBatch = async (output: string): Promise<Output> => JSON.parse(await readFile(join(output, "batch-2.json"), "utf8")) as Output;

/** Job arguments after the threads: files a batch and the probe's rows, for the jobs that set them. */
type Tuning = readonly [filesPerTrigger: number, probeRows: number] | readonly [];

async function run(input: string, threads: number, crashAt?: number, tuning: Tuning = []): Promise<{ checkpoint: string; output: string; code: number | null }> {
  const checkpoint = await tempDir("rivulet-parcrash-ckpt-");
  const output = await tempDir("rivulet-parcrash-out-");
  const code = await runJobProcess(job, [input, checkpoint, output, String(threads), crashAt === undefined ? "none" : String(crashAt), ...tuning.map(String)]).exited;
  return { checkpoint, output, code };
}

describe("a parallel aggregation (this thread and a worker) across a crash (SIGKILL after the state commit, before the commit log)", () => {
  test("the re-run batch leaves the state of an uninterrupted run, to the last bit of the DOUBLE sums; a restart on one thread agrees", async () => {
    const input = await tempDir("rivulet-parcrash-in-");
    await writeFiles(input);
    const uninterrupted = await run(input, 2);
    expect(uninterrupted.code).toBe(0);
    const reference = await lastBatch(uninterrupted.output);
    expect(reference.plan).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
    expect(reference.rows).toHaveLength(4 * 30);
    expect(reference.rows.reduce((n, r) => n + r.n, 0)).toBe(12 * 500);

    // Killed after batch 1's state is committed: batch 1 runs again on restart, on the same files.
    const crashed = await run(input, 2, 1);
    expect(crashed.code).toBeNull();
    expect(await committedBatches(crashed.checkpoint)).toBe(1);
    const restart = runJobProcess(job, [input, crashed.checkpoint, crashed.output, "2", "none"]);
    expect(await restart.exited).toBe(0);
    expect(await committedBatches(crashed.checkpoint)).toBe(3);
    expect((await lastBatch(crashed.output)).rows).toEqual(reference.rows);

    // The same crash, restarted on one thread: counts and BIGINT sums are exact; the DOUBLE sums
    // were added in another grouping (partial sums on the worker), so they agree to rounding.
    const again = await run(input, 2, 1);
    expect(again.code).toBeNull();
    expect(await runJobProcess(job, [input, again.checkpoint, again.output, "1", "none"]).exited).toBe(0);
    const serial = (await lastBatch(again.output)).rows;
    expect(serial.map(({ ms: _, ...r }) => r)).toEqual(reference.rows.map(({ ms: _, ...r }) => r));
    serial.forEach((r, i) => expect(r.ms).toBeCloseTo(reference.rows[i]!.ms, 6));
  }, 180_000);

  test("partial aggregation that does not reduce: each batch probes its own files, so the re-run batch (in a new process) splits them as the first run did, to the last bit", async () => {
    const input = await tempDir("rivulet-parcrash-in-");
    await writeFiles(input, 24, 450);
    // 8 files a batch: this thread folds the first (with one worker, on one core: 3), which is
    // enough for the probe to see that partial aggregation does not reduce, so this thread
    // folds the rest too (a worker decodes them).
    const tuning = [8, 500] as const;
    const uninterrupted = await run(input, 2, undefined, tuning);
    expect(uninterrupted.code).toBe(0);
    const reference = await lastBatch(uninterrupted.output);
    // This thread folds every row, the worker of parallel/row-reads.ts decodes: the rows and their order are a serial read's.
    expect(reference.plan).toMatch(/partial=one thread: partial aggregation did not reduce \(0\.\d\d partial groups per row in the first 500 rows, threshold 0\.5\), so this thread folds every row of the batch, as with one thread, and 1 worker thread decodes its files/);
    expect(reference.rows.reduce((n, r) => n + r.n, 0)).toBe(24 * 500);

    // Killed after batch 1's state is committed; the restarted process has not seen batch 0.
    const crashed = await run(input, 2, 1, tuning);
    expect(crashed.code).toBeNull();
    expect(await committedBatches(crashed.checkpoint)).toBe(1);
    const restart = runJobProcess(job, [input, crashed.checkpoint, crashed.output, "2", "none", ...tuning.map(String)]);
    expect(await restart.exited).toBe(0);
    expect(await committedBatches(crashed.checkpoint)).toBe(3);
    expect((await lastBatch(crashed.output)).rows).toEqual(reference.rows);
  }, 180_000);
});
