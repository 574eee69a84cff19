import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, sum, window, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const DDL = "time TIMESTAMP, url STRING, bytes BIGINT";

/**
 * Files f in [from, to): 3,000 events each, 20 minutes of event time a file in order (so
 * a watermark of 0 seconds closes the windows of earlier files), 2,000 urls a file of which
 * half are new, half shared with the file before: many groups, some revisited.
 */
async function writeFiles(dir: string, from: number, to: number): Promise<void> {
  for (let f = from; f < to; f++) {
    let text = "";
    for (let i = 0; i < 3000; i++) {
      const time = new Date(Date.UTC(2026, 0, 1, 0, f * 20 + Math.floor((i * 20) / 3000), i % 60)).toISOString();
      const url = i % 2 === 0 ? `/f${f}/${i % 2000}` : `/f${f - 1}/${(i + 1) % 2000}`;
      text += JSON.stringify({ time, url: i % 97 === 0 ? null : url, bytes: (i * 37) % 5000 }) + "\n";
    }
    await writeFile(join(dir, `part-${String(f).padStart(3, "0")}.json`), text);
  }
}

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
  spark.conf.unset("rivulet.sql.shuffle.partitions");
});

type Frame = ReturnType<typeof spark.read.json>;
const job = (df: Frame) => df.groupBy(col("url"), window(col("time"), "10 minutes")).agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"));

interface Out { url: string | null; window: { start: Date; end: Date }; n: number; bytes: number }
const keyOf = (r: Out): string => `${r.url} ${r.window.start.toISOString()}`;
const text = (rows: readonly Out[]): string[] => rows.map((r) => `${keyOf(r)} ${r.n} ${r.bytes}`).sort();

let runs = 0;
async function runStream(input: string, mode: "append" | "update" | "complete", threads: number, checkpoint: string): Promise<{ query: StreamingQuery; rows: Out[] }> {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.shuffle.partitions", threads);
  const name = `many_restarts_${process.pid}_${runs++}`;
  let frame = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(input);
  if (mode === "append") frame = frame.withWatermark("time", "0 seconds");
  const query = job(frame).writeStream.format("memory").queryName(name).outputMode(mode)
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await query.awaitTermination();
  return { query, rows: (await spark.table(name).collect()) as unknown as Out[] };
}

async function batchResult(input: string): Promise<Out[]> {
  return (await job(spark.read.schema(DDL).json(input)).collect()) as unknown as Out[];
}

describe("a many-group aggregation across restarts, with 1 and 2 threads", () => {
  const appendRuns = new Map<number, string[]>();
  for (const threads of [1, 2]) {
    test(`append mode with a watermark (${threads} thread(s)): each closed group once, as the batch result has it; evicted state stays evicted after a restart`, async () => {
      const input = await tempDir("rivulet-restarts-app-");
      const checkpoint = await tempDir("rivulet-restarts-app-cp-");
      await writeFiles(input, 0, 4);
      const first = await runStream(input, "append", threads, checkpoint);
      await writeFiles(input, 4, 8);
      const second = await runStream(input, "append", threads, checkpoint);
      expect(second.query.recentProgress[0]!.batchId).toBe(first.query.lastProgress.batchId + 1);

      const emitted = [...first.rows, ...second.rows];
      const progress = [...first.query.recentProgress, ...second.query.recentProgress];
      expect(progress.reduce((n, p) => n + p.stateOperators[0]!.numRowsDroppedByWatermark, 0)).toBe(0);
      const watermark = Date.parse(second.query.lastProgress.eventTime.watermark!);
      const expected = (await batchResult(input)).filter((r) => r.window.end.getTime() <= watermark);
      expect(emitted.length).toBeGreaterThan(8_000);
      expect(text(emitted)).toEqual(text(expected));
      // Groups are emitted by window end (events come in time order, so across batches too).
      for (const rows of [first.rows, second.rows]) {
        const ends = rows.map((r) => r.window.end.getTime());
        expect(ends.every((t, i) => i === 0 || ends[i - 1]! <= t)).toBe(true);
      }
      expect(progress.reduce((n, p) => n + p.stateOperators[0]!.numRowsRemoved, 0)).toBe(emitted.length);
      // What remains is the open windows' groups: about two files' worth, not eight.
      expect(second.query.lastProgress.stateOperators[0]!.numRowsTotal).toBeLessThanOrEqual(4_000);
      appendRuns.set(threads, text(emitted));
      if (appendRuns.size === 2) expect(appendRuns.get(2)).toEqual(appendRuns.get(1));
    }, 120_000);
  }

  const updateRuns = new Map<number, string[]>();
  for (const threads of [1, 2]) {
    test(`update mode (${threads} thread(s)): the last value emitted for each group is the batch result, across a restart`, async () => {
      const input = await tempDir("rivulet-restarts-upd-");
      const checkpoint = await tempDir("rivulet-restarts-upd-cp-");
      await writeFiles(input, 0, 3);
      const first = await runStream(input, "update", threads, checkpoint);
      await writeFiles(input, 3, 6);
      const second = await runStream(input, "update", threads, checkpoint);
      const latest = new Map<string, Out>();
      for (const r of [...first.rows, ...second.rows]) latest.set(keyOf(r), r);
      const expected = await batchResult(input);
      expect(expected.length).toBeGreaterThan(8_000);
      expect(text([...latest.values()])).toEqual(text(expected));
      // A batch emits only the groups it changed: file f touches its own 2,000 urls' windows, not every group so far.
      for (const p of second.query.recentProgress) expect(p.stateOperators[0]!.numRowsUpdated).toBeLessThan(expected.length / 2);
      expect(second.query.lastProgress.stateOperators[0]!.numRowsTotal).toBe(expected.length);
      updateRuns.set(threads, text([...first.rows, ...second.rows]));
      if (updateRuns.size === 2) expect(updateRuns.get(2)).toEqual(updateRuns.get(1));
    }, 120_000);
  }

  const completeRuns = new Map<number, string[]>();
  for (const threads of [1, 2]) {
    test(`complete mode (${threads} thread(s)): every group each batch, the last batch equal to the batch result, across a restart`, async () => {
      const input = await tempDir("rivulet-restarts-cmp-");
      const checkpoint = await tempDir("rivulet-restarts-cmp-cp-");
      await writeFiles(input, 0, 3);
      const first = await runStream(input, "complete", threads, checkpoint);
      expect(text(first.rows)).toEqual(text(await batchResult(input)));
      await writeFiles(input, 3, 6);
      const second = await runStream(input, "complete", threads, checkpoint);
      const expected = await batchResult(input);
      expect(expected.length).toBeGreaterThan(8_000);
      expect(text(second.rows)).toEqual(text(expected));
      for (const p of second.query.recentProgress) expect(p.sink.numOutputRows).toBe(p.stateOperators[0]!.numRowsTotal);
      expect(second.query.lastProgress.stateOperators[0]!.numRowsTotal).toBe(expected.length);
      completeRuns.set(threads, text(second.rows));
      if (completeRuns.size === 2) expect(completeRuns.get(2)).toEqual(completeRuns.get(1));
    }, 120_000);
  }
});
