import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { sharedWorkerPool, WorkerTaskError } from "../../../src/common/worker-pool.ts";
import { Session, col, count, window } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const line = (i: number, action: string): string => JSON.stringify({ time: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(), action, bytes: i }) + "\n";

const tempDir = tempDirs(() => Session.builder().getOrCreate());

async function files(bad = false): Promise<string> {
  const dir = await tempDir("rivulet-parallel-");
  for (let f = 0; f < 6; f++) {
    let text = "";
    for (let i = 0; i < 50; i++) text += line(f * 50 + i, ["view", "click", "buy"][i % 3]!);
    if (bad && f === 3) text += "{\"time\": \"2026-01-01T00:00:00Z\", \"action\": \n";
    await writeFile(join(dir, `part-${f}.json`), text);
  }
  return dir;
}

// The pool the file source decodes in: one per thread count, shared by the process.
const pool = () => sharedWorkerPool(2, new URL("../../../src/connectors/sources/json-file-task.ts", import.meta.url));

/** Runs `work` and returns how many tasks the worker threads finished meanwhile. */
async function workerTasksDuring(work: () => Promise<unknown>): Promise<number> {
  const before = pool().tasksDone;
  await work();
  return pool().tasksDone - before;
}

async function counts(dir: string, threads: number, mode = "PERMISSIVE"): Promise<Record<string, unknown>[]> {
  const spark = Session.builder().getOrCreate();
  spark.conf.set("rivulet.sql.parallelism", threads);
  try {
    return await spark.read.schema("time TIMESTAMP, action STRING, bytes BIGINT").option("mode", mode).json(dir)
      .groupBy(col("action"), window(col("time"), "1 hour")).agg(count("*").as("n"))
      .orderBy(col("window").asc(), col("action").asc()).collect();
  } finally {
    spark.conf.unset("rivulet.sql.parallelism");
  }
}

describe("decoding JSON files in worker threads (rivulet.sql.parallelism)", () => {
  test("gives the same rows as the main thread", async () => {
    const dir = await files();
    let serial: Record<string, unknown>[] = [];
    expect(await workerTasksDuring(async () => { serial = await counts(dir, 1); })).toBe(0);
    expect(serial.reduce((n, r) => n + (r.n as number), 0)).toBe(300);
    let parallel: Record<string, unknown>[] = [];
    // One task per file: all six were decoded in the workers, none on the main thread.
    expect(await workerTasksDuring(async () => { parallel = await counts(dir, 2); })).toBe(6);
    expect(parallel).toEqual(serial);
  });

  test("a FAILFAST error in a worker names the file and the line", async () => {
    const dir = await files(true);
    const error = await counts(dir, 2, "FAILFAST").then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/part-3\.json:51/);
    expect((error?.cause as Error | undefined)?.constructor).toBe(WorkerTaskError); // thrown in a worker, passed back
  });

  test("malformed records decoded in workers are counted in progress", async () => {
    const dir = await files(true);
    const spark = Session.builder().getOrCreate();
    spark.conf.set("rivulet.sql.parallelism", 2);
    try {
      const q = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").json(dir)
        .writeStream.format("memory").queryName(`parallel_${process.pid}`).trigger({ availableNow: true }).start();
      expect(await workerTasksDuring(() => q.awaitTermination())).toBe(6);
      expect(q.lastProgress.sources[0]!.metrics.numMalformedRecords).toBe("1");
      expect(q.lastProgress.numInputRows).toBe(301);
    } finally {
      spark.conf.unset("rivulet.sql.parallelism");
    }
  });
});
