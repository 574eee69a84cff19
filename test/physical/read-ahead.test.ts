import { readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { WorkerPool } from "../../src/common/worker-pool.ts";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { usable } from "../../src/physical/parallel/read-ahead.ts";
import type { BatchContext } from "../../src/physical/exec-operator.ts";
import { committedBatches, runJobProcess } from "../acceptance/job-process.ts";
import { tempDirs } from "../temp-dirs.ts";
import { writeRoundingFiles } from "./fixtures/rounding-files.ts";
import { readAheadCounts } from "./read-ahead-counts.ts";

/**
 * Two worker threads: once the workers have every file of a batch, they read the next batch's
 * files ahead (its partial groups, while this thread finishes the batch). A batch takes only
 * the results of its own files whose batch values (watermark, batch time) it shares, and folds
 * them in file order: the same rows in the same order as without reading ahead.
 */

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);
const job = join(import.meta.dirname, "fixtures", "read-ahead-job.ts");

afterEach(() => {
  for (const key of ["rivulet.sql.parallelism", "rivulet.sql.shuffle.partitions", "rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold"]) spark.conf.unset(key);
});

interface Row { url: string; start: string; n: number; bytes: number; ms: number }
interface BatchOutput { readAhead: { sent: number; used: number; dropped: number }; rows: Row[] }

const batchOutput = async (output: string, id: number): Promise<BatchOutput> => JSON.parse(await readFile(join(output, `batch-${id}.json`), "utf8")) as BatchOutput;

describe("the next batch's files read ahead by the workers", () => {
  test("a batch takes the partial groups read ahead for it; a re-run after SIGKILL, which read nothing ahead, is equal to the last bit of the DOUBLE sums", async () => {
    const input = await tempDir("rivulet-readahead-in-");
    await writeRoundingFiles(input);
    const run = async (crashAt: string) => {
      const checkpoint = await tempDir("rivulet-readahead-ckpt-");
      const output = await tempDir("rivulet-readahead-out-");
      const code = await runJobProcess(job, [input, checkpoint, output, crashAt]).exited;
      return { checkpoint, output, code };
    };
    const uninterrupted = await run("none");
    expect(uninterrupted.code).toBe(0);
    // Batch 0 reduced: its workers read batch 1's four files ahead, batch 1's read batch 2's; batch 2 has no next batch.
    expect((await batchOutput(uninterrupted.output, 0)).readAhead).toEqual({ sent: 4, used: 0, dropped: 0 });
    expect((await batchOutput(uninterrupted.output, 1)).readAhead).toEqual({ sent: 8, used: 4, dropped: 0 });
    expect((await batchOutput(uninterrupted.output, 2)).readAhead).toEqual({ sent: 8, used: 8, dropped: 0 });
    const reference = await Promise.all([1, 2].map(async (id) => (await batchOutput(uninterrupted.output, id)).rows));
    expect(reference[1]!.reduce((n, r) => n + r.n, 0)).toBe(12 * 500);

    // Killed once the sink has batch 1: the new process re-runs batch 1 reading every file itself, then reads batch 2's ahead.
    const crashed = await run("1");
    expect(crashed.code).toBeNull();
    expect(await committedBatches(crashed.checkpoint)).toBe(1);
    expect(await runJobProcess(job, [input, crashed.checkpoint, crashed.output, "none"]).exited).toBe(0);
    expect(await committedBatches(crashed.checkpoint)).toBe(3);
    expect((await batchOutput(crashed.output, 1)).readAhead).toEqual({ sent: 4, used: 0, dropped: 0 });
    expect((await batchOutput(crashed.output, 2)).readAhead).toEqual({ sent: 4, used: 4, dropped: 0 });
    expect((await batchOutput(crashed.output, 1)).rows).toEqual(reference[0]);
    expect((await batchOutput(crashed.output, 2)).rows).toEqual(reference[1]);
  }, 180_000);

  test("a file arriving between batches changes the next batch: only the files it still has are taken, the others dropped", async () => {
    const input = await tempDir("rivulet-readahead-newest-");
    // Newest first, two files a batch: f5 f4 | f6 (written while batch 0 runs) f3 | f2 f1 | f0. ms are eighths: their sums are exact in any order.
    const expected = new Map<string, { n: number; bytes: number; ms: number }>();
    const write = async (f: number, mtimeSeconds: number): Promise<void> => {
      let text = "";
      for (let i = 0; i < 300; i++) {
        const url = `/u/${(i * 7 + f) % 9}`;
        const time = new Date(Date.UTC(2026, 0, 1, f % 2, i % 60)).toISOString();
        const bytes = (i * 31 + f) % 700;
        const ms = ((i * 13 + f) % 40) / 8;
        text += JSON.stringify({ time, url, bytes, ms }) + "\n";
        const key = `${url} ${time.slice(0, 13)}`;
        const e = expected.get(key) ?? { n: 0, bytes: 0, ms: 0 };
        expected.set(key, { n: e.n + 1, bytes: e.bytes + bytes, ms: e.ms + ms });
      }
      const path = join(input, `f${f}.json`);
      await writeFile(path, text);
      await utimes(path, mtimeSeconds, mtimeSeconds);
    };
    const base = Math.floor(Date.now() / 1000) - 1000;
    for (let f = 0; f < 6; f++) await write(f, base + f);
    spark.conf.set("rivulet.sql.parallelism", 2);
    spark.conf.set("rivulet.sql.shuffle.partitions", 2);
    spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 100);
    const seen: { batchId: number; readAhead: ReturnType<typeof readAheadCounts> }[] = [];
    let final: Row[] = [];
    const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT, ms DOUBLE")
      .option("maxFilesPerTrigger", 2).option("latestFirst", true).json(input)
      .groupBy(col("url"), window(col("time"), "1 hour"))
      .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), sum(col("ms")).as("ms"))
      .writeStream.outputMode("complete")
      .foreachBatch(async (batch, batchId) => {
        seen.push({ batchId, readAhead: readAheadCounts(query) });
        // Batch 0's workers guessed batch 1 = f3 f2 while it ran; f6, the newest, comes first now.
        if (batchId === 0) await write(6, base + 100);
        final = (await batch.collect()).map((r) => ({ url: r.url as string, start: (r.window as { start: Date }).start.toISOString(), n: Number(r.n), bytes: Number(r.bytes), ms: r.ms as number }));
      })
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    expect(query.exception).toBeNull();
    expect(seen.map((s) => s.readAhead)).toEqual([
      { sent: 2, used: 0, dropped: 0 }, // batch 0 (f5 f4) reads f3 f2 ahead
      { sent: 4, used: 1, dropped: 1 }, // batch 1 (f6 f3) takes f3, drops f2; reads f2 f1 ahead
      { sent: 4, used: 3, dropped: 1 }, // batch 2 (f2 f1) takes both; batch 3 (f0) is one file, folded here: nothing read ahead
      { sent: 4, used: 3, dropped: 1 },
    ]);
    const got = new Map(final.map((r) => [`${r.url} ${r.start.slice(0, 13)}`, { n: r.n, bytes: r.bytes, ms: r.ms }]));
    expect(got).toEqual(expected);
  }, 60_000);

  test("partial groups that read the batch's watermark are taken only by a batch with the same watermark; then nothing is read ahead", async () => {
    const input = await tempDir("rivulet-readahead-wm-");
    for (let f = 0; f < 6; f++) {
      let text = "";
      for (let i = 0; i < 300; i++) {
        const time = new Date(Date.UTC(2026, 0, 1, 0, f * 20 + (i % 20) - (i % 50 === 0 ? 45 : 0))).toISOString();
        text += JSON.stringify({ time, url: `/u/${(i * 7 + f) % 9}`, bytes: (i * 31 + f) % 700, ms: 0 }) + "\n";
      }
      await writeFile(join(input, `part-${f}.json`), text);
    }
    const runOnce = async (threads: number) => {
      spark.conf.set("rivulet.sql.parallelism", threads);
      spark.conf.set("rivulet.sql.shuffle.partitions", threads);
      spark.conf.set("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", 100);
      const rows: string[] = [];
      const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT, ms DOUBLE").option("maxFilesPerTrigger", 2).json(input)
        .withWatermark("time", "10 minutes")
        .groupBy(col("url"), window(col("time"), "30 minutes"))
        .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"))
        .writeStream.outputMode("update")
        .foreachBatch(async (batch, batchId) => {
          for (const r of await batch.collect()) rows.push(`${batchId} ${JSON.stringify(r)}`);
        })
        .trigger({ availableNow: true })
        .start();
      await query.awaitTermination();
      return { rows: rows.sort(), counts: readAheadCounts(query), dropped: query.recentProgress.map((p) => p.stateOperators[0]!.numRowsDroppedByWatermark) };
    };
    const serial = await runOnce(1);
    const parallel = await runOnce(2);
    expect(serial.dropped.some((n) => n > 0)).toBe(true);
    expect(parallel.rows).toEqual(serial.rows);
    expect(parallel.dropped).toEqual(serial.dropped);
    // Batch 0 read f2 f3 ahead with its watermark (none yet); batch 1's differs, so it read them again, and nothing more was read ahead.
    expect(parallel.counts).toEqual({ sent: 2, used: 0, dropped: 2 });
  }, 60_000);

  test("a result is the batch's only if every batch value its task read is the batch's", () => {
    const ctx = (watermarkMicros: number, batchTimestampMicros: number): BatchContext => ({
      batchId: 1, eval: { batchTimestampMicros, timeZoneId: "UTC" }, sourceData: new Map(), watermarkMicros, outputMode: "complete", streaming: true,
    });
    expect(usable({}, ctx(5, 7))).toBe(true);
    expect(usable(undefined, ctx(5, 7))).toBe(false);
    expect(usable({ watermarkMicros: -Infinity }, ctx(-Infinity, 7))).toBe(true);
    expect(usable({ watermarkMicros: -Infinity }, ctx(5, 7))).toBe(false);
    expect(usable({ batchTimestampMicros: 7 }, ctx(5, 7))).toBe(true);
    expect(usable({ batchTimestampMicros: 6 }, ctx(5, 7))).toBe(false);
  });
});

describe("background tasks of the worker pool", () => {
  const pool = new WorkerPool(1, true);
  afterAll(() => pool.close());
  const sleep = new URL("./fixtures/sleep-task.ts", import.meta.url);

  test("run only when no other task waits, and can be cancelled until a worker has them", async () => {
    const order: string[] = [];
    const note = (p: Promise<string>): Promise<void> => p.then((tag) => { order.push(tag); });
    // The worker takes two tasks at once (a and b); x waits in the background, c comes later but goes first.
    const done = [note(pool.run(sleep, "sleepThenAnswer", [60, "a"])), note(pool.run(sleep, "sleepThenAnswer", [10, "b"]))];
    const x = pool.runBackground<string>(sleep, "sleepThenAnswer", [1, "x"]);
    const y = pool.runBackground<string>(sleep, "sleepThenAnswer", [1, "y"]);
    done.push(note(x.result), note(pool.run(sleep, "sleepThenAnswer", [1, "c"])));
    expect(y.cancel()).toBe(true);
    expect(y.cancel()).toBe(false);
    await expect(y.result).rejects.toMatchObject({ name: "AbortError" });
    await Promise.all(done);
    expect(order).toEqual(["a", "b", "c", "x"]);
    expect(x.cancel()).toBe(false);
  });
});
