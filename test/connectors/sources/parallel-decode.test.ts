import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
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
    const serial = await counts(dir, 1);
    expect(serial.reduce((n, r) => n + (r.n as number), 0)).toBe(300);
    expect(await counts(dir, 2)).toEqual(serial);
  });

  test("a FAILFAST error in a worker names the file and the line", async () => {
    const dir = await files(true);
    await expect(counts(dir, 2, "FAILFAST")).rejects.toThrow(/part-3\.json:51/);
  });

  test("malformed records decoded in workers are counted in progress", async () => {
    const dir = await files(true);
    const spark = Session.builder().getOrCreate();
    spark.conf.set("rivulet.sql.parallelism", 2);
    try {
      const q = spark.readStream.schema("time TIMESTAMP, action STRING, bytes BIGINT").json(dir)
        .writeStream.format("memory").queryName(`parallel_${process.pid}`).trigger({ availableNow: true }).start();
      await q.awaitTermination();
      expect(q.lastProgress.sources[0]!.metrics.numMalformedRecords).toBe("1");
      expect(q.lastProgress.numInputRows).toBe(301);
    } finally {
      spark.conf.unset("rivulet.sql.parallelism");
    }
  });
});
