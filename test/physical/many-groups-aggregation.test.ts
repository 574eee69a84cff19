import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, max, min, sum, window, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const DDL = "time TIMESTAMP, url STRING, score DOUBLE, bytes BIGINT";

/**
 * Files of events over many groups: 3,000 urls (a few null), 10-minute windows over a few
 * hours, scores with -0.0, 0.0 and NaN among them. File f holds events of hours f/2…, so
 * that later files bring new windows and revisit some old groups.
 */
async function writeFiles(dir: string, from: number, to: number, perFile = 3000): Promise<void> {
  for (let f = from; f < to; f++) {
    let text = "";
    for (let i = 0; i < perFile; i++) {
      const n = f * perFile + i;
      const minute = f * 30 + ((n * 7) % 90);
      const time = new Date(Date.UTC(2026, 0, 1, 0, minute, n % 60)).toISOString();
      const url = n % 101 === 0 ? null : `/p/${(n * 7919) % 3000}`;
      const score = [0, -0, 1.5, Number.NaN, 2][n % 5]!;
      // JSON has no NaN or -0.0: write them as the reader takes them (a quoted "NaN"; -0.0 as a number).
      const scoreText = Number.isNaN(score) ? '"NaN"' : Object.is(score, -0) ? "-0.0" : String(score);
      text += `{"time":"${time}","url":${url === null ? "null" : `"${url}"`},"score":${scoreText},"bytes":${(n * 37) % 5000}}\n`;
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
/** The job: per url, score and 10-minute window, count, sum, min and max. */
const job = (df: Frame) => df.groupBy(col("url"), col("score"), window(col("time"), "10 minutes"))
  .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), min(col("bytes")).as("lo"), max(col("bytes")).as("hi"));

const sorted = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === "number" && Number.isNaN(v) ? "NaN" : v))).sort();

async function batchRows(input: string): Promise<string[]> {
  return sorted(await job(spark.read.schema(DDL).json(input)).collect());
}

let runs = 0;
async function runStream(input: string, mode: "complete" | "update", threads: number, checkpoint?: string): Promise<{ query: StreamingQuery; name: string }> {
  spark.conf.set("rivulet.sql.parallelism", threads);
  spark.conf.set("rivulet.sql.shuffle.partitions", threads);
  const name = `many_groups_${process.pid}_${runs++}`;
  let writer = job(spark.readStream.schema(DDL).option("maxFilesPerTrigger", 2).json(input))
    .writeStream.format("memory").queryName(name).outputMode(mode).trigger({ availableNow: true });
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  await query.awaitTermination();
  return { query, name };
}

describe("a streaming aggregation over many groups", () => {
  for (const threads of [1, 2]) {
    test(`gives the batch result, with ${threads} thread(s), in complete mode and, with a checkpoint, across a restart`, async () => {
      const input = await tempDir("rivulet-many-in-");
      await writeFiles(input, 0, 6);
      const { name, query } = await runStream(input, "complete", threads);
      const expected = await batchRows(input);
      expect(expected.length).toBeGreaterThan(10_000);
      expect(sorted(await spark.table(name).collect())).toEqual(expected);
      expect(query.lastProgress.stateOperators[0]!.numRowsTotal).toBe(expected.length);

      // With a checkpoint: three files, stop, three more, restart: the same result as one run.
      const checkpoint = await tempDir("rivulet-many-cp-");
      const input2 = await tempDir("rivulet-many-in-");
      await writeFiles(input2, 0, 3);
      await runStream(input2, "complete", threads, checkpoint);
      await writeFiles(input2, 3, 6);
      const restarted = await runStream(input2, "complete", threads, checkpoint);
      expect(restarted.query.recentProgress.map((p) => p.batchId)).toEqual([2, 3]);
      expect(sorted(await spark.table(restarted.name).collect())).toEqual(expected);
    }, 120_000);
  }

  test("update mode emits only the groups a batch changed, with their new values", async () => {
    const input = await tempDir("rivulet-many-upd-");
    await writeFiles(input, 0, 2);
    const checkpoint = await tempDir("rivulet-many-upd-cp-");
    const first = await runStream(input, "update", 1, checkpoint);
    const firstRows = await spark.table(first.name).collect();
    expect(firstRows.length).toBeGreaterThan(4000);
    // One more file of three events: two revisit groups of the first run, one is new.
    const lines = [
      { time: "2026-01-01T00:05:00Z", url: "/p/0", score: 1.5, bytes: 10 },
      { time: "2026-01-01T00:05:00Z", url: "/p/0", score: 1.5, bytes: 20 },
      { time: "2026-01-01T00:01:00Z", url: "/p/7919", score: 0, bytes: 5 },
      { time: "2026-01-01T05:00:00Z", url: "/p/new", score: 2, bytes: 7 },
    ];
    await writeFile(join(input, "part-900.json"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const second = await runStream(input, "update", 1, checkpoint);
    const emitted = (await spark.table(second.name).collect()) as { url: string; score: number; n: number; bytes: number; window: { start: Date } }[];
    expect(emitted.map((r) => `${r.url} ${r.window.start.toISOString()}`).sort()).toEqual([
      "/p/0 2026-01-01T00:00:00.000Z", "/p/7919 2026-01-01T00:00:00.000Z", "/p/new 2026-01-01T05:00:00.000Z",
    ]);
    const before = (url: string, score: number) => firstRows.find((r) => r.url === url && r.score === score && (r.window as { start: Date }).start.getTime() === Date.UTC(2026, 0, 1, 0, 0)) as { n: number; bytes: number } | undefined;
    const p0 = emitted.find((r) => r.url === "/p/0")!;
    expect({ n: p0.n, bytes: p0.bytes }).toEqual({ n: (before("/p/0", 1.5)?.n ?? 0) + 2, bytes: (before("/p/0", 1.5)?.bytes ?? 0) + 30 });
    expect(emitted.find((r) => r.url === "/p/new")).toMatchObject({ n: 1, bytes: 7, score: 2 });
    const state = second.query.lastProgress.stateOperators[0]!;
    expect(state.numRowsUpdated).toBe(3);
    const isNew = (r: (typeof emitted)[number]) => !firstRows.some((f) => f.url === r.url && f.score === r.score && (f.window as { start: Date }).start.getTime() === r.window.start.getTime());
    expect(state.numRowsTotal).toBe(firstRows.length + emitted.filter(isNew).length);
    expect(emitted.filter(isNew).length).toBeGreaterThanOrEqual(1);
  });

  test("append mode with a watermark evicts closed groups (and their strings) and emits each once, as the batch result has it", async () => {
    const input = await tempDir("rivulet-many-app-");
    // Times in order across files (nothing late): 20 minutes a file, 2,000 urls a file, new ones each file.
    for (let f = 0; f < 8; f++) {
      let text = "";
      for (let i = 0; i < 3000; i++) {
        const time = new Date(Date.UTC(2026, 0, 1, 0, f * 20 + Math.floor((i * 20) / 3000))).toISOString();
        text += JSON.stringify({ time, url: `/f${f}/${i % 2000}`, score: 1, bytes: i }) + "\n";
      }
      await writeFile(join(input, `part-${String(f).padStart(3, "0")}.json`), text);
    }
    spark.conf.set("rivulet.sql.parallelism", 1);
    const name = `many_groups_append_${process.pid}`;
    const query = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 1).json(input)
      .withWatermark("time", "0 seconds")
      .groupBy(col("url"), window(col("time"), "10 minutes")).agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"))
      .writeStream.format("memory").queryName(name).outputMode("append").trigger({ availableNow: true }).start();
    await query.awaitTermination();
    const progress = query.recentProgress;
    expect(progress.reduce((n, p) => n + p.stateOperators[0]!.numRowsDroppedByWatermark, 0)).toBe(0);
    const watermark = Date.parse(query.lastProgress.eventTime.watermark!);
    const batch = (await spark.read.schema(DDL).json(input)
      .groupBy(col("url"), window(col("time"), "10 minutes")).agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes")).collect())
      .filter((r) => (r.window as { end: Date }).end.getTime() <= watermark);
    const emitted = sorted(await spark.table(name).collect());
    expect(emitted.length).toBeGreaterThan(10_000);
    expect(emitted).toEqual(sorted(batch));
    expect(progress.reduce((n, p) => n + p.stateOperators[0]!.numRowsRemoved, 0)).toBe(emitted.length);
    // What is left: the groups of the windows the watermark has not passed, no more.
    expect(query.lastProgress.stateOperators[0]!.numRowsTotal).toBeLessThanOrEqual(4000);
  });
});
