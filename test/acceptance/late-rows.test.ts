import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, window } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const t = (hhmm: string): Date => new Date(`2026-01-01T${hhmm}:00Z`);

const tempDir = tempDirs(() => Session.builder().getOrCreate());

async function lateFiles(dir: string): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const f of (await readdir(dir)).filter((n) => n.startsWith("batch-")).sort()) {
    out[f] = (await readFile(join(dir, f), "utf8")).split("\n").filter(Boolean).map((l) => JSON.parse(l));
  }
  return out;
}

describe("late rows are kept, not silently dropped", () => {
  for (const mode of ["update", "append"] as const) {
    test(`the guide's example in ${mode} mode writes each late row once, with its watermark and operator`, async () => {
      const spark = Session.builder().getOrCreate();
      const words = new MemoryStream(spark, "word STRING, timestamp TIMESTAMP");
      const late = await tempDir("rivulet-late-");
      const checkpoint = await tempDir("rivulet-late-ckpt-");
      const counts = words.toDF().withWatermark("timestamp", "10 minutes")
        .groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")).count();
      const start = () => counts.writeStream.format("memory").queryName(`late_${mode}_${process.pid}`).outputMode(mode)
        .option("checkpointLocation", checkpoint).option("lateRows.path", late).start();
      let q = start();
      words.addData([{ word: "dog", timestamp: t("12:07") }, { word: "owl", timestamp: t("12:08") }]);
      await q.processAllAvailable();
      words.addData([{ word: "dog", timestamp: t("12:14") }, { word: "cat", timestamp: t("12:09") }]);
      await q.processAllAvailable();
      words.addData([{ word: "cat", timestamp: t("12:15") }, { word: "dog", timestamp: t("12:08") }, { word: "owl", timestamp: t("12:13") }, { word: "owl", timestamp: t("12:21") }]);
      await q.processAllAvailable();
      words.addData([{ word: "owl", timestamp: t("12:17") }, { word: "donkey", timestamp: t("12:04") }]);
      await q.processAllAvailable();
      const dropBatch = q.lastProgress.batchId;
      expect(q.lastProgress.stateOperators[0]!.numRowsDroppedByWatermark).toBe(1);
      expect(await lateFiles(late)).toEqual({
        [`batch-${dropBatch}.json`]: [{ word: "donkey", timestamp: "2026-01-01T12:04:00.000Z", _watermark: "2026-01-01T12:11:00.000Z", _operator: "StatefulAggregate" }],
      });

      // A crash after the batch ran but before its commit: the re-run rewrites the same file.
      await q.stop();
      await rm(join(checkpoint, "commits", String(dropBatch)));
      q = start();
      await q.processAllAvailable();
      await q.stop();
      const files = await lateFiles(late);
      expect(Object.keys(files)).toEqual([`batch-${dropBatch}.json`]);
      expect(files[`batch-${dropBatch}.json`]).toHaveLength(1);
    });
  }

  test("dropDuplicates keeps its late rows too", async () => {
    const spark = Session.builder().getOrCreate();
    const events = new MemoryStream(spark, "id INT, time TIMESTAMP");
    const late = await tempDir("rivulet-late-dedup-");
    const q = events.toDF().withWatermark("time", "5 minutes").dropDuplicates("id", "time")
      .writeStream.format("memory").queryName(`late_dedup_${process.pid}`).outputMode("append")
      .option("lateRows.path", late).start();
    events.addData([{ id: 1, time: t("12:00") }, { id: 2, time: t("12:20") }]);
    await q.processAllAvailable();
    events.addData([{ id: 3, time: t("12:10") }, { id: 4, time: t("12:16") }]);
    await q.processAllAvailable();
    await q.stop();
    const files = await lateFiles(late);
    const rows = Object.values(files).flat();
    expect(rows).toEqual([{ id: 3, time: "2026-01-01T12:10:00.000Z", _watermark: "2026-01-01T12:15:00.000Z", _operator: "StreamingDeduplicate" }]);
    expect(q.recentProgress.reduce((n, p) => n + p.stateOperators[0]!.numRowsDroppedByWatermark, 0)).toBe(1);
  });
  test("dropDuplicates on keys without the event time drops late rows too, and keeps its state (Spark's StreamingDeduplicateExec)", async () => {
    const spark = Session.builder().getOrCreate();
    const events = new MemoryStream(spark, "id INT, time TIMESTAMP");
    const late = await tempDir("rivulet-late-dedup-keys-");
    const name = `late_dedup_keys_${process.pid}`;
    const q = events.toDF().withWatermark("time", "10 minutes").dropDuplicates("id")
      .writeStream.format("memory").queryName(name).outputMode("append").option("lateRows.path", late).start();
    events.addData([{ id: 1, time: t("12:00") }, { id: 1, time: t("12:01") }, { id: 2, time: t("12:05") }]);
    await q.processAllAvailable();
    events.addData([{ id: 3, time: t("12:30") }]); // the watermark goes to 12:20
    await q.processAllAvailable();
    // id 7 at 12:05 is late; id 1 at 12:25 is on time, and still a duplicate (no key is ever evicted).
    events.addData([{ id: 7, time: t("12:05") }, { id: 1, time: t("12:25") }, { id: 8, time: t("12:40") }]);
    await q.processAllAvailable();
    await q.stop();
    const ids = (await spark.sql(`SELECT id FROM ${name} ORDER BY id`).collect()).map((r) => r.id);
    expect(ids).toEqual([1, 2, 3, 8]);
    const rows = Object.values(await lateFiles(late)).flat();
    expect(rows).toEqual([{ id: 7, time: "2026-01-01T12:05:00.000Z", _watermark: "2026-01-01T12:20:00.000Z", _operator: "StreamingDeduplicate" }]);
    const progress = q.recentProgress.map((p) => p.stateOperators[0]!);
    expect(progress.reduce((n, p) => n + p.numRowsDroppedByWatermark, 0)).toBe(1);
    expect(progress.reduce((n, p) => n + p.numRowsRemoved, 0)).toBe(0);
    expect(progress.at(-1)!.numRowsTotal).toBe(4);
  });

  test("through renamed columns: the renamed event time still drops late rows of dropDuplicates on another key", async () => {
    const spark = Session.builder().getOrCreate();
    const events = new MemoryStream(spark, "id INT, time TIMESTAMP");
    const name = `late_dedup_renamed_${process.pid}`;
    const q = events.toDF().withWatermark("time", "10 minutes").select(col("id").as("user"), col("time").as("ts")).dropDuplicates("user")
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    events.addData([{ id: 1, time: t("12:00") }, { id: 3, time: t("12:30") }]);
    await q.processAllAvailable();
    events.addData([{ id: 7, time: t("12:05") }, { id: 1, time: t("12:25") }, { id: 9, time: t("12:21") }]);
    await q.processAllAvailable();
    await q.stop();
    expect((await spark.sql(`SELECT user FROM ${name} ORDER BY user`).collect()).map((r) => r.user)).toEqual([1, 3, 9]);
  });
});
