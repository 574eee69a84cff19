import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, count, window, type DataFrame } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs(() => Session.builder().getOrCreate());

/** Crash recovery through real files: a batch whose commit was lost is re-run with the same offsets, and sinks make the replay a no-op. */
const logDir = (): Promise<string> => tempDir("rivulet-recovery-");

function event(minute: number, action: string): string {
  return JSON.stringify({ time: `2026-01-01T10:${String(minute).padStart(2, "0")}:00Z`, action }) + "\n";
}

async function readJsonLines(dir: string): Promise<Record<string, unknown>[]> {
  const files = (await readdir(dir)).filter((f) => f.startsWith("part-")).sort();
  const rows: Record<string, unknown>[] = [];
  for (const f of files) for (const line of (await readFile(join(dir, f), "utf8")).split("\n")) if (line) rows.push(JSON.parse(line));
  return rows;
}

describe("recovery from a checkpoint", () => {
  test("json file sink: a batch re-run after a lost commit writes nothing twice", async () => {
    const input = await logDir();
    const output = await logDir();
    const checkpoint = await logDir();
    await writeFile(join(input, "a.json"), event(1, "click") + event(2, "view"));
    const spark = Session.builder().getOrCreate();
    const build = (): DataFrame => spark.readStream.schema("time TIMESTAMP, action STRING").option("maxFilesPerTrigger", 1).json(input)
      .filter(col("action").notEqual("noise"));
    const run = async (): Promise<void> => {
      const q = build().writeStream.format("json").option("path", output).option("checkpointLocation", checkpoint)
        .trigger({ availableNow: true }).start();
      await q.awaitTermination();
    };
    await run();
    await writeFile(join(input, "b.json"), event(3, "click") + event(4, "noise"));
    await run();
    expect(await readJsonLines(output)).toHaveLength(3);

    // Simulate a crash after the sink wrote batch 1 but before its commit was recorded.
    await rm(join(checkpoint, "commits", "1"));
    await run();
    const rows = await readJsonLines(output);
    expect(rows.map((r) => r.action).sort()).toEqual(["click", "click", "view"]);
    expect(await readFile(join(checkpoint, "commits", "1"), "utf8")).toMatch(/^v1\n/);
  });

  test("stateful aggregation: the re-run batch loads the state version it started from", async () => {
    const input = await logDir();
    const checkpoint = await logDir();
    const spark = Session.builder().getOrCreate();
    const name = `recovery_counts_${process.pid}`;
    const start = () => spark.readStream.schema("time TIMESTAMP, action STRING").option("maxFilesPerTrigger", 1).json(input)
      .groupBy(col("action"), window(col("time"), "1 hour")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName(name).outputMode("complete")
      .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
    await writeFile(join(input, "a.json"), event(1, "click") + event(2, "click") + event(3, "view"));
    await start().awaitTermination();
    await writeFile(join(input, "b.json"), event(4, "click"));
    await start().awaitTermination();
    const counts = async () => Object.fromEntries((await spark.table(name).collect()).map((r) => [r.action, r.n]));
    expect(await counts()).toEqual({ click: 3, view: 1 });

    await rm(join(checkpoint, "commits", "1"));
    const q = start();
    await q.awaitTermination();
    expect(q.lastProgress.batchId).toBe(1);
    expect(q.lastProgress.sources[0]!.numInputRows).toBe(1);
    expect(await counts()).toEqual({ click: 3, view: 1 });
    expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(2);
  });

  test("a checkpoint written by a different query is refused with a clear error", async () => {
    const input = await logDir();
    const checkpoint = await logDir();
    await writeFile(join(input, "a.json"), event(1, "click"));
    const spark = Session.builder().getOrCreate();
    const stream = spark.readStream.schema("time TIMESTAMP, action STRING").json(input);
    const first = stream.groupBy("action").count().writeStream.format("memory").queryName(`fp_a_${process.pid}`)
      .outputMode("complete").option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
    await first.awaitTermination();
    const second = stream.writeStream.format("memory").queryName(`fp_b_${process.pid}`)
      .outputMode("append").option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
    await expect(second.awaitTermination()).rejects.toThrow(/checkpoint/i);
    expect(second.exception?.message).toMatch(/stateful operators|StatefulAggregate/);
  });
});

describe("checkpoint housekeeping", () => {
  test("old offsets, commits and state versions are purged past minBatchesToRetain", async () => {
    const checkpoint = await logDir();
    const spark = Session.builder().getOrCreate();
    spark.conf.set("spark.sql.streaming.minBatchesToRetain", "3");
    spark.conf.set("spark.sql.streaming.stateStore.minDeltasForSnapshot", "2");
    try {
      const { MemoryStream } = await import("../../src/index.ts");
      const input = new MemoryStream<{ k: string }>(spark, "k STRING");
      const q = input.toDF().groupBy("k").count().writeStream.format("memory").queryName(`purge_${process.pid}`)
        .outputMode("update").option("checkpointLocation", checkpoint).start();
      for (let i = 0; i < 8; i++) {
        input.addData([{ k: `key${i % 3}` }]);
        await q.processAllAvailable();
      }
      await q.stop();
      const ids = async (dir: string) => (await readdir(join(checkpoint, dir))).filter((f) => /^\d+$/.test(f)).map(Number).sort((a, b) => a - b);
      expect(await ids("offsets")).toEqual([5, 6, 7]);
      expect(await ids("commits")).toEqual([5, 6, 7]);
      const stateFiles = await readdir(join(checkpoint, "state", "0", "0"));
      // Every retained version can still be loaded: a snapshot at or below the oldest, and the deltas after it.
      const versions = stateFiles.map((f) => Number(f.split(".")[0])).sort((a, b) => a - b);
      expect(versions[0]).toBeLessThanOrEqual(5);
      expect(versions[0]).toBeGreaterThanOrEqual(4);
      expect(stateFiles).toContain("8.delta");
    } finally {
      spark.conf.unset("spark.sql.streaming.minBatchesToRetain");
      spark.conf.unset("spark.sql.streaming.stateStore.minDeltasForSnapshot");
    }
  });
});
