import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { sharedWorkerPool } from "../../src/common/worker-pool.ts";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * rivulet.sql.parallelism 2: this thread folds each batch's first file straight into the state
 * and counts the groups it touched — the probe's first count, which costs nothing. When it
 * says partial aggregation does not reduce, this thread folds every row of the batch as with
 * one thread — a worker of its own decodes the batch's other files (and every file of the
 * batches after it) and sends their rows, no partial groups — and the answers are one thread's
 * to the last bit;
 * when it reduces, the workers read every other file of the batch, and every file of the
 * batches after it (first-file-choice.test.ts).
 */

const ROWS_PER_FILE = 500;

/** `files` files, all in one hour; `urls` distinct urls a file (500: a group per row in a file, each group in every file; 5: a hundred rows a group). */
async function writeFiles(dir: string, files: number, urls: number): Promise<void> {
  for (let f = 0; f < files; f++) {
    let text = "";
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      const time = new Date(Date.UTC(2026, 0, 1, 3, i % 60, (i + f) % 59)).toISOString();
      text += JSON.stringify({ time, url: `/u/${(i * 7 + f) % urls}`, bytes: (i * 37 + f) % 1000, ms: ((i * 31 + f * 13) % 997) / 7 }) + "\n";
    }
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);
/** The workers of rivulet.sql.parallelism 2, in the pool of their tasks' module. */
const workers = sharedWorkerPool(2, new URL("../../src/physical/partial-aggregate-task.ts", import.meta.url));
/** The worker that decodes files whose rows this thread folds (parallel/row-reads.ts). */
const rowWorker = sharedWorkerPool(1, new URL("../../src/physical/partial-aggregate-task.ts", import.meta.url));

afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
  spark.conf.unset("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold");
});

let run = 0;

/** The per-url job over `input`, ten files a batch, complete mode: the final table (sorted), the query, and the worker tasks it ran. */
async function runJob(input: string, threads: number, filesPerTrigger = 10) {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 4_000);
  const before = workers.tasksDone, rowsBefore = rowWorker.tasksDone;
  const name = `first_file_probe_${process.pid}_${run++}`;
  const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT, ms DOUBLE").option("maxFilesPerTrigger", filesPerTrigger).json(input)
    .groupBy(col("url"), window(col("time"), "1 hour"))
    .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), sum(col("ms")).as("ms"))
    .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort();
  return { rows, query, workerTasks: workers.tasksDone - before, rowTasks: rowWorker.tasksDone - rowsBefore };
}

describe("each batch's first file is folded here and probes partial aggregation for free", () => {
  test("a group per row in a file (each group in every file): one thread folds, a worker decodes — no partial groups, the same DOUBLE sums to the last bit", async () => {
    const input = await tempDir("rivulet-first-probe-in-");
    await writeFiles(input, 30, ROWS_PER_FILE);
    const serial = await runJob(input, 1);
    const parallel = await runJob(input, 2);
    expect(serial.workerTasks + serial.rowTasks).toBe(0);
    expect(parallel.query.explainString()).toMatch(
      /partial=one thread: partial aggregation did not reduce \(1\.00 partial groups per row in the first 500 rows, threshold 0\.5\), so this thread folds every row of the batch, as with one thread, and 1 worker thread decodes its files/,
    );
    // No batch sends a worker a file for partial groups before its probe answers, unless the batch before it reduced.
    expect(parallel.workerTasks).toBe(0);
    // The row worker decodes the first batch's files but its first (read here), then every file of the next two.
    expect(parallel.rowTasks).toBe(9 + 10 + 10);
    expect(parallel.query.recentProgress).toHaveLength(3);
    expect(serial.rows).toHaveLength(ROWS_PER_FILE);
    // Every row folded here, in file order: each group's 30 DOUBLE values added as one thread adds them.
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.rows.map((r) => (JSON.parse(r) as { n: number }).n).every((n) => n === 30)).toBe(true);
  });

  test("a hundred rows a group: the first batch's first file here, its other nine in the workers; the batches after it reduced, all ten in the workers", async () => {
    const input = await tempDir("rivulet-first-probe-in-");
    await writeFiles(input, 30, 5);
    const serial = await runJob(input, 1);
    const parallel = await runJob(input, 2);
    expect(parallel.query.explainString()).toMatch(/partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);
    expect(parallel.workerTasks).toBe(9 + 10 + 10);
    // Counts and BIGINT sums exact; the DOUBLE sums were added in another grouping (the workers' partial sums).
    const parse = (rows: string[]) => rows.map((r) => JSON.parse(r) as { n: number; ms: number });
    const withoutMs = (rows: string[]) => parse(rows).map(({ ms: _, ...r }) => r);
    expect(withoutMs(parallel.rows)).toEqual(withoutMs(serial.rows));
    expect(withoutMs(parallel.rows).reduce((n, r) => n + r.n, 0)).toBe(30 * ROWS_PER_FILE);
    parse(parallel.rows).forEach((r, i) => expect(r.ms).toBeCloseTo(parse(serial.rows)[i]!.ms, 6));
  });

  test("a backlog batch of 40 files whose partial aggregation does not reduce: the worker decodes at most a few files ahead of the fold, and the answer is one thread's", async () => {
    const input = await tempDir("rivulet-first-probe-in-");
    await writeFiles(input, 40, ROWS_PER_FILE);
    const serial = await runJob(input, 1, 40);
    // Files sent to the row worker and not answered yet, at most, as the batch goes (their rows wait in memory).
    const runBackground = rowWorker.runBackground.bind(rowWorker);
    let outstanding = 0, most = 0;
    rowWorker.runBackground = ((...args: Parameters<typeof runBackground>) => {
      const task = runBackground(...args);
      most = Math.max(most, ++outstanding);
      task.result.then(() => outstanding--, () => outstanding--);
      return task;
    }) as typeof rowWorker.runBackground;
    try {
      const parallel = await runJob(input, 2, 40);
      expect(parallel.rowTasks).toBe(39);
      expect(parallel.rows).toEqual(serial.rows);
    } finally {
      rowWorker.runBackground = runBackground;
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(5);
  });
});
