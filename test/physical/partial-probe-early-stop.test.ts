import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * rivulet.sql.parallelism 2: the probe of partial aggregation stops the workers at their first
 * file that shows (over a tenth of the probe's rows) that it does not reduce, rather than after
 * all the probe's rows: each file the workers merge costs this thread about a file's reading.
 * A probe that shows reduction still counts all its rows.
 */

const ROWS_PER_FILE = 500;

/** `files` files, an hour each; `urls` distinct urls a file (500: a group per row; 5: a hundred rows a group). */
async function writeFiles(dir: string, files: number, urls: number): Promise<void> {
  for (let f = 0; f < files; f++) {
    let text = "";
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      const time = new Date(Date.UTC(2026, 0, 1, f, i % 60, i % 59)).toISOString();
      text += JSON.stringify({ time, url: `/u/${f * 1000 + (i % urls)}`, bytes: (i * 37 + f) % 1000, ms: ((i * 31 + f) % 997) / 7 }) + "\n";
    }
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
  spark.conf.unset("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold");
});

let run = 0;

/** The per-url job over `input`, ten files a batch, in complete mode: the final table, sorted, and the query. */
async function runJob(input: string, threads: number, probeRows: number) {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", probeRows);
  const name = `probe_early_${process.pid}_${run++}`;
  const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT, ms DOUBLE").option("maxFilesPerTrigger", 10).json(input)
    .groupBy(col("url"), window(col("time"), "1 hour"))
    .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), sum(col("ms")).as("ms"))
    .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort();
  return { rows, query };
}

describe("the partial-aggregation probe stops at the first file that does not reduce", () => {
  test("a group per row: stopped after this thread's first file (500 of the probe's 4,000 rows); the rows are the one-thread plan's", async () => {
    const input = await tempDir("rivulet-probe-in-");
    await writeFiles(input, 30, ROWS_PER_FILE);
    const serial = await runJob(input, 1, 4_000);
    const parallel = await runJob(input, 2, 4_000);
    expect(parallel.query.explainString()).toMatch(
      /partial=one thread: partial aggregation did not reduce \(1\.00 partial groups per row in the first 500 rows, threshold 0\.5\)/,
    );
    expect(parallel.query.recentProgress).toHaveLength(3);
    expect(serial.rows).toHaveLength(30 * ROWS_PER_FILE);
    // Counts and BIGINT sums are exact either way; each group here is one row, so its DOUBLE sum is too.
    expect(parallel.rows).toEqual(serial.rows);
  });

  test("too few rows to stop early (below a tenth of the probe): the probe counts on, over the workers' next files", async () => {
    const input = await tempDir("rivulet-probe-in-");
    await writeFiles(input, 10, ROWS_PER_FILE);
    const parallel = await runJob(input, 2, 8_000);
    // 800 rows is a tenth: two files of 500.
    expect(parallel.query.explainString()).toMatch(/did not reduce \(1\.00 partial groups per row in the first 1000 rows, threshold 0\.5\)/);
    expect((await runJob(input, 1, 8_000)).rows).toEqual(parallel.rows);
  });

  test("a hundred rows a group: reduction is never decided early, the workers keep their files", async () => {
    const input = await tempDir("rivulet-probe-in-");
    await writeFiles(input, 30, 5);
    const serial = await runJob(input, 1, 4_000);
    const parallel = await runJob(input, 2, 4_000);
    // Batch 0 reduced, so the workers read every file of batches 1 and 2.
    expect(parallel.query.explainString()).toMatch(/partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);
    const rows = (q: typeof parallel.query) => q.recentProgress.map((p) => p.numInputRows);
    expect(rows(parallel.query)).toEqual(rows(serial.query));
    // Counts and BIGINT sums exact; DOUBLE sums added in another grouping (the worker's partial sums) agree to rounding.
    const parse = (rows: string[]) => rows.map((r) => JSON.parse(r) as { n: number; ms: number });
    const withoutMs = (rows: string[]) => parse(rows).map(({ ms: _, ...r }) => r);
    expect(withoutMs(parallel.rows)).toEqual(withoutMs(serial.rows));
    expect(withoutMs(parallel.rows).reduce((n, r) => n + r.n, 0)).toBe(30 * ROWS_PER_FILE);
    parse(parallel.rows).forEach((r, i) => expect(r.ms).toBeCloseTo(parse(serial.rows)[i]!.ms, 6));
  });
});
