import { existsSync, readFileSync, readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { sharedWorkerPool } from "../../src/common/worker-pool.ts";
import { Session, avg, col, count, lit, max, min, sum, window } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const ACTIONS = ["view", "click", "buy", "search"];

/** Files of events, times increasing across files, a few late ones and a malformed line in file 2. */
async function writeFiles(dir: string, from: number, to: number): Promise<void> {
  for (let f = from; f < to; f++) {
    let text = "";
    for (let i = 0; i < 400; i++) {
      const minute = f * 40 + (i % 40) - (i % 97 === 0 ? 90 : 0);
      const time = new Date(Date.UTC(2026, 0, 1, 0, minute, i % 60)).toISOString();
      text += JSON.stringify({ time, action: ACTIONS[(i * 7 + f) % 4], bytes: (i * 37) % 1000 }) + "\n";
    }
    if (f === 2) text += '{"time": "2026-01-01T00:00:00Z", "action": oops}\n';
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

const spark = Session.builder().getOrCreate();

const tempDir = tempDirs(spark);

afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
  spark.conf.unset("rivulet.sql.shuffle.partitions");
  spark.conf.unset("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold");
});

let run = 0;
/** Runs the job over what is in `input` (two files per batch) and returns the rows the sink got, sorted. */
async function runJob(input: string, checkpoint: string, threads: number, partitions: number) {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.shuffle.partitions", partitions);
  const name = `parallel_agg_${process.pid}_${run++}`;
  const result = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("maxFilesPerTrigger", 2).json(input)
    .withWatermark("time", "30 minutes")
    .filter(col("action").notEqual(lit("search")))
    .withColumn("kb", col("bytes").divide(lit(1000)))
    .groupBy(col("action"), window(col("time"), "1 hour", "30 minutes"))
    .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), min(col("kb")).as("lo"), max(col("kb")).as("hi"), avg(col("bytes")).as("mean"));
  const query = result.writeStream.format("memory").queryName(name).outputMode("update")
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort();
  return { rows, query };
}

describe("a streaming aggregation with its map side in worker threads", () => {
  test("gives the rows of the single-threaded plan, batch by batch, with the state in hash partitions", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 6);
    const serial = await runJob(input, await tempDir("rivulet-par-cp-"), 1, 1);
    const checkpoint = await tempDir("rivulet-par-cp-");
    const parallel = await runJob(input, checkpoint, 2, 3);
    expect(serial.rows.length).toBeGreaterThan(20);
    expect(parallel.rows).toEqual(serial.rows);

    const progress = parallel.query.recentProgress;
    expect(progress.reduce((n, p) => n + p.numInputRows, 0)).toBe(serial.query.recentProgress.reduce((n, p) => n + p.numInputRows, 0));
    // Rows the reader kept: the filter on action is pushed into the JSON reader.
    expect(progress.map((p) => p.numInputRows).slice(0, 3)).toEqual([600, 600, 600]);
    expect(parallel.query.lastProgress.sources[0]!.metrics.numMalformedRecords).toBe("1");
    const state = parallel.query.lastProgress.stateOperators[0]!;
    expect(state.numShufflePartitions).toBe(3);
    expect(state.numRowsDroppedByWatermark).toBe(serial.query.lastProgress.stateOperators[0]!.numRowsDroppedByWatermark);
    expect(progress.some((p) => p.stateOperators[0]!.numRowsDroppedByWatermark > 0)).toBe(true);
    // The watermark moved from the event times the workers saw.
    expect(parallel.query.lastProgress.eventTime.watermark).toBe(serial.query.lastProgress.eventTime.watermark);
    for (const p of [0, 1, 2]) expect(readdirSync(join(checkpoint, "state", "0", String(p))).some((f) => f.endsWith(".delta"))).toBe(true);
    expect(existsSync(join(checkpoint, "state", "0", "3"))).toBe(false);
    expect(parallel.query.explainString()).toMatch(/partitions=3, partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
  });

  test("a restart keeps the checkpoint's partitions whatever the session says now", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 4);
    const checkpoint = await tempDir("rivulet-par-cp-");
    const first = await runJob(input, checkpoint, 2, 3);
    await writeFiles(input, 4, 8);
    const second = await runJob(input, checkpoint, 1, 1);
    expect(second.query.lastProgress.stateOperators[0]!.numShufflePartitions).toBe(3);
    const third = await runJob(input, checkpoint, 2, 5);
    expect(third.rows).toEqual([]); // nothing new
    expect(existsSync(join(checkpoint, "state", "0", "4"))).toBe(false);

    const reference = await runJob(input, await tempDir("rivulet-par-cp-"), 1, 1);
    expect([...first.rows, ...second.rows].sort()).toEqual(reference.rows);
  });

  test("a FAILFAST error in a worker names the file and the line", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 4);
    spark.conf.set("rivulet.sql.parallelism", 2);
    const query = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("mode", "FAILFAST").json(input)
      .groupBy(col("action")).count()
      .writeStream.format("memory").queryName(`parallel_fail_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
    await expect(query.awaitTermination()).rejects.toThrow(/part-002\.json:401/);
  });

  test("this thread folds each batch's first file straight into the state (the probe's first count); the workers the rest", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 6);
    const serial = await runJob(input, await tempDir("rivulet-par-cp-"), 1, 1);
    // The workers of rivulet.sql.parallelism 2 (one on a single core), in the pool of their tasks' module.
    const worker = sharedWorkerPool(2, new URL("../../src/physical/partial-aggregate-task.ts", import.meta.url));
    const before = worker.tasksDone;
    const parallel = await runJob(input, await tempDir("rivulet-par-cp-"), 2, 2);
    // Three batches of two files, each too small for the probe to decide: the first of each
    // here (with a single worker: folded here as this thread's share), the second in a worker.
    expect(worker.tasksDone - before).toBe(3);
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.query.recentProgress.map((p) => p.numInputRows)).toEqual(serial.query.recentProgress.map((p) => p.numInputRows));
  });

  test("a FAILFAST error in a batch's first file, read by a worker after a batch that reduced, names the file and the line; the workers' files of the batch are not left running", async () => {
    const input = await tempDir("rivulet-par-in-");
    // Batches of two: batch 0 (files 0-1) reduces, as its probe says after file 0 (400 rows of
    // 300 asked), so batch 1's files both go to the workers at once: file 2 (the bad line) and
    // file 3, which runs on while file 2 fails.
    await writeFiles(input, 0, 4);
    spark.conf.set("rivulet.sql.parallelism", 2);
    spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 300);
    const worker = sharedWorkerPool(2, new URL("../../src/physical/partial-aggregate-task.ts", import.meta.url));
    const query = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("mode", "FAILFAST").option("maxFilesPerTrigger", 2).json(input)
      .groupBy(col("action")).count()
      .writeStream.format("memory").queryName(`parallel_fail_here_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
    const before = worker.tasksDone;
    await expect(query.awaitTermination()).rejects.toThrow(/part-002\.json:401/);
    const done = worker.tasksDone - before;
    // Those it had started had finished when the error was thrown: none finishes after.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(worker.tasksDone - before).toBe(done);
    // Batch 0's file 1, and batch 1's files 2 (failed) and 3, which was running when file 2 failed.
    expect(done).toBe(3);
  });

  test("a query that keeps late rows aggregates on this thread, so that the rows are kept", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 6);
    const late = await tempDir("rivulet-par-late-");
    spark.conf.set("rivulet.sql.parallelism", 2);
    const query = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("maxFilesPerTrigger", 2).json(input)
      .withWatermark("time", "30 minutes").groupBy(col("action"), window(col("time"), "1 hour")).count()
      .writeStream.format("memory").queryName(`parallel_late_${process.pid}`).outputMode("update")
      .option("lateRows.path", late).trigger({ availableNow: true }).start();
    await query.awaitTermination();
    expect(query.explainString()).not.toMatch(/worker threads/);
    expect(query.explainString()).toMatch(/partial=one thread: late rows are kept, which needs the rows on this thread/);
    const dropped = query.recentProgress.reduce((n, p) => n + p.stateOperators[0]!.numRowsDroppedByWatermark, 0);
    expect(dropped).toBeGreaterThan(0);
    const kept = readdirSync(late).filter((f) => f.endsWith(".json"))
      .reduce((n, f) => n + readFileSync(join(late, f), "utf8").split("\n").filter((l) => l !== "").length, 0);
    expect(kept).toBe(dropped);
  });

  test("explain says why an aggregation that cannot use worker threads runs on one (a deduplication below it)", async () => {
    const input = await tempDir("rivulet-par-in-");
    await writeFiles(input, 0, 2);
    spark.conf.set("rivulet.sql.parallelism", 2);
    const query = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").json(input)
      .dropDuplicates(["bytes"]).groupBy(col("action")).agg(count(lit(1)).as("sizes"))
      .writeStream.format("memory").queryName(`parallel_distinct_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
    await query.awaitTermination();
    expect(query.explainString()).toMatch(/StatefulAggregate .*partial=one thread: Deduplicate below the aggregation runs on one thread/);
    spark.conf.set("rivulet.sql.parallelism", 1);
    const serial = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").json(input)
      .dropDuplicates(["bytes"]).groupBy(col("action")).agg(count(lit(1)).as("sizes"))
      .writeStream.format("memory").queryName(`serial_distinct_${process.pid}`).outputMode("complete").trigger({ availableNow: true }).start();
    await serial.awaitTermination();
    expect(serial.explainString()).not.toMatch(/partial=/);
  });

  test("files of many blocks: each block is folded as it is read, and the file's event times are all of its blocks'", async () => {
    // Two files of 80,000 lines (two blocks each); the latest event time is in each file's first block.
    const input = await tempDir("rivulet-par-in-");
    for (const f of [0, 1]) {
      const lines: string[] = [];
      for (let i = 0; i < 80_000; i++) {
        const second = i === 10 ? 7_200 + f : 60 + (i % 3_000);
        lines.push(JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1) + second * 1000).toISOString(), action: ACTIONS[i % 4], bytes: i % 1000 }));
      }
      await writeFile(join(input, `big-${f}.json`), lines.join("\n") + "\n");
    }
    const runBig = async (threads: number) => {
      spark.conf.set("rivulet.sql.parallelism", threads);
      const name = `parallel_big_${process.pid}_${run++}`;
      const query = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("maxFilesPerTrigger", 2).json(input)
        .withWatermark("time", "10 minutes").groupBy(col("action"), window(col("time"), "1 hour")).agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"))
        .writeStream.format("memory").queryName(name).outputMode("update").trigger({ availableNow: true }).start();
      await query.awaitTermination();
      return { query, rows: (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort() };
    };
    const serial = await runBig(1);
    const parallel = await runBig(2);
    expect(parallel.query.explainString()).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.rows).toHaveLength(5); // four actions in the first hour, the two latest events (both "buy") at 02:00
    // The batch that read the files (a no-data batch may follow it to move the watermark on).
    const [read, ...rest] = parallel.query.recentProgress.filter((p) => p.numInputRows > 0);
    expect(rest).toEqual([]);
    expect(read!.numInputRows).toBe(160_000);
    expect(read!.eventTime).toEqual(serial.query.recentProgress.find((p) => p.numInputRows > 0)!.eventTime);
    expect(read!.eventTime.max).toBe("2026-01-01T02:00:01.000Z");
    expect(read!.eventTime.min).toBe("2026-01-01T00:01:00.000Z");
    expect(parallel.query.lastProgress.eventTime.watermark).toBe("2026-01-01T01:50:01.000Z");
  });
});
