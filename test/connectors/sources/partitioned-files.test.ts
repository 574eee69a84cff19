import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, col, count, lit, sum } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const spark = Session.builder().getOrCreate();
afterEach(() => {
  spark.conf.unset("rivulet.sql.parallelism");
});

const tempDir = tempDirs(spark);

/** Hive-style directories: date=…/hour=…/part.json, plus a null partition and a malformed file in date=2026-01-03. */
async function partitionedDir(): Promise<string> {
  const dir = await tempDir("rivulet-partitioned-");
  const put = async (rel: string, lines: object[] | string): Promise<void> => {
    await mkdir(join(dir, rel, ".."), { recursive: true });
    await writeFile(join(dir, rel), typeof lines === "string" ? lines : lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  };
  await put("date=2026-01-01/hour=1/part-0.json", [{ action: "view", bytes: 10 }, { action: "click", bytes: 20 }]);
  await put("date=2026-01-01/hour=2/part-0.json", [{ action: "view", bytes: 5 }]);
  await put("date=2026-01-02/hour=1/part-0.json", [{ action: "buy", bytes: 7 }, { action: "view", bytes: 1 }]);
  await put("date=__HIVE_DEFAULT_PARTITION__/hour=3/part-0.json", [{ action: "view", bytes: 100 }]);
  await put("date=2026-01-03/hour=1/part-0.json", '{"action": "view", "bytes": oops}\n');
  await put("date=2026-01-03/hour=1/_ignored.json", "not even json");
  return dir;
}

describe("partition directories of file sources", () => {
  test("partition columns are discovered, typed and filled from the path", async () => {
    const dir = await partitionedDir();
    const df = spark.read.json(dir);
    expect(df.schema.toDDL()).toBe("action STRING, bytes BIGINT, _corrupt_record STRING, date DATE, hour INT");
    const rows = await df.filter(col("action").equalTo(lit("view"))).select("date", "hour", "bytes").orderBy(col("bytes").asc()).collect();
    expect(rows).toEqual([
      { date: new Date("2026-01-02T00:00:00Z"), hour: 1, bytes: 1 },
      { date: new Date("2026-01-01T00:00:00Z"), hour: 2, bytes: 5 },
      { date: new Date("2026-01-01T00:00:00Z"), hour: 1, bytes: 10 },
      { date: null, hour: 3, bytes: 100 },
    ]);
  });

  test("a filter on a partition column skips files before they are opened", async () => {
    const dir = await partitionedDir();
    const read = () => spark.read.schema("action STRING, bytes BIGINT, date STRING, hour INT").option("mode", "FAILFAST").json(dir);
    // Reading the malformed file under date=2026-01-03 fails the query; pruned, it is never read.
    await expect(read().collect()).rejects.toThrow(/date=2026-01-03\/hour=1\/part-0\.json:1/);
    const rows = await read().filter(col("date").equalTo(lit("2026-01-01")).and(col("hour").gt(lit(1)))).collect();
    expect(rows).toEqual([{ action: "view", bytes: 5, date: "2026-01-01", hour: 2 }]);

    const q = spark.readStream.schema("action STRING, bytes BIGINT, date STRING, hour INT").option("mode", "FAILFAST").json(dir)
      .filter(col("date").notEqual(lit("2026-01-03")))
      .writeStream.format("memory").queryName(`partitioned_${process.pid}`).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(q.exception).toBeNull();
    expect(q.lastProgress.sources[0]!.metrics.numFilesRead).toBe("3");
  });

  test("a streaming aggregation by partition column, with its map side in worker threads, agrees with the main thread", async () => {
    const dir = await partitionedDir();
    const run = async (threads: number) => {
      spark.conf.set("rivulet.sql.parallelism", threads);
      const name = `partitioned_agg_${process.pid}_${threads}`;
      const q = spark.readStream.schema("action STRING, bytes BIGINT, date DATE, hour INT").json(dir)
        .filter(col("date").isNotNull().and(col("date").lt(lit("2026-01-03"))))
        .groupBy("date", "action").agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"))
        .writeStream.format("memory").queryName(name).outputMode("complete").trigger({ availableNow: true }).start();
      await q.awaitTermination();
      return { rows: (await spark.table(name).collect()).map((r) => JSON.stringify(r)).sort(), plan: q.explainString() };
    };
    const serial = await run(1);
    const parallel = await run(2);
    expect(parallel.plan).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
    expect(serial.rows).toHaveLength(4);
    expect(parallel.rows).toEqual(serial.rows);
  });

  test("directories that disagree on partition names are refused", async () => {
    const dir = await tempDir("rivulet-partitioned-");
    await mkdir(join(dir, "a=1"), { recursive: true });
    await mkdir(join(dir, "b=2"), { recursive: true });
    await writeFile(join(dir, "a=1", "x.json"), "{}\n");
    await writeFile(join(dir, "b=2", "y.json"), "{}\n");
    expect(() => spark.read.schema("v STRING").json(dir)).toThrow(/Conflicting partition column names detected:\n\n\tPartition column name list #0: a\n\tPartition column name list #1: b/);
  });
});
