import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, max, sum, window } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * rivulet.sql.parallelism 2 probes partial aggregation on the first files: where it does not
 * reduce (about one group per row) the query folds its later files on this thread instead,
 * and explain says so. Either way the answers are the one-thread plan's.
 */

const ROWS_PER_FILE = 400;

/**
 * Files of events, times increasing across files (a few late rows in each). `urlsPerFile`
 * distinct urls per file: 400 makes each row its own group (no reduction), 4 makes a
 * hundred rows per group.
 */
async function writeFiles(dir: string, from: number, to: number, urlsPerFile: number): Promise<void> {
  for (let f = from; f < to; f++) {
    let text = "";
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      const minute = f * 20 + (i % 20) - (i % 97 === 0 ? 70 : 0);
      const time = new Date(Date.UTC(2026, 0, 1, 0, minute, i % 60)).toISOString();
      const url = `/u/${urlsPerFile === ROWS_PER_FILE ? f * ROWS_PER_FILE + i : i % urlsPerFile}`;
      text += JSON.stringify({ time, url, bytes: (i * 37 + f) % 1000 }) + "\n";
    }
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
  spark.conf.unset("rivulet.sql.shuffle.partitions");
  spark.conf.unset("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold");
  spark.conf.unset("rivulet.sql.aggregate.skipPartialAggregationProbeRatioThreshold");
});

type Mode = "update" | "append" | "complete";
let run = 0;

/** Runs the per-url job over what is in `input` (three files a batch); the rows the sink got, sorted, and the query. */
async function runJob(input: string, checkpoint: string, threads: number, mode: Mode) {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.shuffle.partitions", 2);
  // Probe on the first two files (800 rows), not the default 100,000.
  spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 800);
  const name = `adaptive_agg_${process.pid}_${run++}`;
  const result = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT").option("maxFilesPerTrigger", 3).json(input)
    .withWatermark("time", "30 minutes")
    .groupBy(col("url"), window(col("time"), "1 hour"))
    .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), max(col("bytes")).as("largest"));
  const query = result.writeStream.format("memory").queryName(name).outputMode(mode)
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort();
  return { rows, query };
}

const NO_REDUCTION = /partial=one thread: partial aggregation did not reduce \((?:0\.99|1\.00) partial groups per row in the first \d+ rows, threshold 0\.5\)/;

describe("partial aggregation that does not reduce runs on one thread", () => {
  for (const mode of ["update", "append", "complete"] as const) {
    test(`one group per row (${mode} mode): the probe stops the workers, explain says why, the rows are the one-thread plan's`, async () => {
      const input = await tempDir("rivulet-adapt-in-");
      await writeFiles(input, 0, 9, ROWS_PER_FILE);
      const serial = await runJob(input, await tempDir("rivulet-adapt-cp-"), 1, mode);
      const parallel = await runJob(input, await tempDir("rivulet-adapt-cp-"), 2, mode);
      expect(serial.rows.length).toBeGreaterThan(mode === "append" ? 2_000 : 3_000);
      expect(parallel.rows).toEqual(serial.rows);
      expect(parallel.query.explainString()).toMatch(NO_REDUCTION);
      expect(serial.query.explainString()).not.toMatch(/partial=/);
      const dropped = (q: typeof serial.query) => q.recentProgress.reduce((n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
      expect(dropped(parallel.query)).toBe(dropped(serial.query));
      if (mode !== "complete") expect(dropped(serial.query)).toBeGreaterThan(0);
      const inputRows = (q: typeof serial.query) => q.recentProgress.map((p) => p.numInputRows);
      expect(inputRows(parallel.query)).toEqual(inputRows(serial.query));
      expect(parallel.query.lastProgress.eventTime.watermark).toBe(serial.query.lastProgress.eventTime.watermark);
    });
  }

  test("a hundred rows per group: partial aggregation reduces, the workers keep it, the rows are the one-thread plan's", async () => {
    const input = await tempDir("rivulet-adapt-in-");
    await writeFiles(input, 0, 9, 4);
    const serial = await runJob(input, await tempDir("rivulet-adapt-cp-"), 1, "update");
    const parallel = await runJob(input, await tempDir("rivulet-adapt-cp-"), 2, "update");
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.query.explainString()).toMatch(/partitions=2, partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);
  });

  test("the threshold decides: at 1.1 groups per row partial aggregation never stops", async () => {
    const input = await tempDir("rivulet-adapt-in-");
    await writeFiles(input, 0, 6, ROWS_PER_FILE);
    spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRatioThreshold", 1.1);
    const serial = await runJob(input, await tempDir("rivulet-adapt-cp-"), 1, "update");
    spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRatioThreshold", 1.1);
    const parallel = await runJob(input, await tempDir("rivulet-adapt-cp-"), 2, "update");
    expect(parallel.query.explainString()).toMatch(/partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);
    expect(parallel.rows).toEqual(serial.rows);
  });

  for (const urls of [ROWS_PER_FILE, 4]) {
    test(`restarts from a checkpoint with the parallelism changed between runs (${urls} urls a file): the rows of one uninterrupted one-thread run`, async () => {
      // rivulet.sql.parallelism is not part of the checkpoint (only the state's partitions are): each run probes anew.
      const input = await tempDir("rivulet-adapt-in-");
      const checkpoint = await tempDir("rivulet-adapt-cp-");
      await writeFiles(input, 0, 6, urls);
      const first = await runJob(input, checkpoint, 2, "update");
      await writeFiles(input, 6, 12, urls);
      const second = await runJob(input, checkpoint, 1, "update");
      await writeFiles(input, 12, 18, urls);
      const third = await runJob(input, checkpoint, 2, "update");
      expect(third.query.lastProgress.stateOperators[0]!.numShufflePartitions).toBe(2);
      if (urls === ROWS_PER_FILE) expect(third.query.explainString()).toMatch(NO_REDUCTION);
      else expect(third.query.explainString()).toMatch(/partial=2 worker threads read each batch's files, this one merges \(the batch before reduced, so the first file too\)$/m);

      const reference = await runJob(input, await tempDir("rivulet-adapt-cp-"), 1, "update");
      // Update mode emits a group each time a batch changes it; its count only grows, so the
      // row with the largest count is its final value — across the runs, the uninterrupted run's.
      const finalOf = (rows: string[]) => {
        const final = new Map<string, { n: number; row: string }>();
        for (const r of rows) {
          const { url, window: w, n } = JSON.parse(r) as { url: string; window: unknown; n: number };
          const key = JSON.stringify([url, w]);
          if ((final.get(key)?.n ?? -1) < n) final.set(key, { n, row: r });
        }
        return [...final.values()].map((v) => v.row).sort();
      };
      const restarted = finalOf([...first.rows, ...second.rows, ...third.rows]);
      expect(restarted).toEqual(finalOf(reference.rows));
      // Each run emitted something: the restarts took over the state, not a fresh start.
      for (const r of [first, second, third]) expect(r.rows.length).toBeGreaterThan(0);
      expect(restarted.length).toBeGreaterThan(urls === ROWS_PER_FILE ? 6_000 : 20);
    });
  }

  test("a FAILFAST error in a file read on this thread after the probe names the file and the line", async () => {
    const input = await tempDir("rivulet-adapt-in-");
    await writeFiles(input, 0, 6, ROWS_PER_FILE);
    await appendFile(join(input, "part-004.json"), '{"time": "2026-01-01T00:00:00Z", "url": oops}\n');
    spark.conf.set("rivulet.sql.parallelism", 2);
    spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 800);
    const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT").option("mode", "FAILFAST").json(input)
      .groupBy(col("url")).count()
      .writeStream.format("memory").queryName(`adaptive_fail_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
    await expect(query.awaitTermination()).rejects.toThrow(/part-004\.json:401/);
    expect(query.explainString()).toMatch(NO_REDUCTION);
  });
});
