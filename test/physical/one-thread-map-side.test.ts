import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { WorkerPartialAggregation } from "../../src/physical/parallel-aggregation.ts";
import { StructType } from "../../src/types/data-types.ts";
import { tempDirs } from "../temp-dirs.ts";

const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

afterEach(() => spark.conf.unset("rivulet.sql.parallelism"));

const plan = { scanSchema: new StructType([]), stages: [], groupings: [], aggregates: [], eventTimeKey: null, numPartitions: 1 };

describe("the map side of a streaming aggregation with one thread", () => {
  test("folds every file on this thread: no worker, and nothing for explain to say", () => {
    const one = new WorkerPartialAggregation(0, 1, plan, []);
    expect(one.workers).toBe(0);
    expect(one.describe()).toBeNull();
    const two = new WorkerPartialAggregation(0, 2, plan, [], undefined, 2);
    expect(two.workers).toBe(2);
    expect(two.describe()).toBe("2 worker threads read each batch's files but the first, this one reads the first and merges");
  });

  test("explain at parallelism 1 promises no threads, and the answers are those of parallelism 2", async () => {
    const input = await tempDir("rivulet-one-thread-in-");
    for (let f = 0; f < 4; f++) {
      let text = "";
      for (let i = 0; i < 300; i++) {
        const time = new Date(Date.UTC(2026, 0, 1, f, i % 60, i % 50)).toISOString();
        text += JSON.stringify({ time, url: `/u/${(i * 7 + f) % 40}`, bytes: (i * 37 + f) % 1000 }) + "\n";
      }
      await writeFile(join(input, `part-${f}.json`), text);
    }
    const runJob = async (threads: number) => {
      spark.conf.set("rivulet.sql.parallelism", threads);
      const name = `one_thread_${process.pid}_${threads}`;
      const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT").option("maxFilesPerTrigger", 2).json(input)
        .groupBy(col("url"), window(col("time"), "1 hour")).agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"))
        .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
      await query.awaitTermination();
      return { rows: (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort(), explain: query.explainString() };
    };
    const one = await runJob(1);
    const two = await runJob(2);
    expect(one.rows.length).toBe(160);
    expect(one.rows).toEqual(two.rows);
    expect(one.explain).toMatch(/StatefulAggregate keys=\[url, /);
    expect(one.explain).not.toMatch(/partial=/);
    expect(two.explain).toMatch(/partial=2 worker threads/);
  });
});
