import { readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const spark = Session.builder().appName("parquet-stream").getOrCreate();
const tempDir = tempDirs(spark);

/** Writes one Parquet file of ids [from, to) into `dir` as a batch job would (a directory per file, moved in). */
async function putFile(dir: string, name: string, from: number, to: number): Promise<void> {
  const staging = join(await tempDir("rivulet-parquet-staging-"), "x");
  await spark.sql(`SELECT id, CAST(id AS STRING) AS s, CAST(id AS DECIMAL(38,10)) / 3 AS d FROM range(${from}, ${to})`).write.parquet(staging);
  const part = (await readdir(staging)).find((f) => f.endsWith(".parquet"))!;
  await rename(join(staging, part), join(dir, name));
}

describe("Parquet streaming: readStream.parquet and writeStream.format(\"parquet\")", () => {
  test("new files per trigger (maxFilesPerTrigger), exactly once into a Parquet sink across restarts and a lost commit", async () => {
    const input = await tempDir("rivulet-parquet-in-");
    const output = join(await tempDir("rivulet-parquet-out-"), "out");
    const checkpoint = await tempDir("rivulet-parquet-ckpt-");
    await putFile(input, "a.parquet", 0, 100);
    await putFile(input, "b.parquet", 100, 250);
    const run = async () => {
      const q = spark.readStream.schema("id BIGINT, s STRING, d DECIMAL(38,10)").option("maxFilesPerTrigger", 1).parquet(input)
        .filter(col("id").mod(2).equalTo(0))
        .writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint)
        .trigger({ availableNow: true }).start();
      await q.awaitTermination();
      return q;
    };
    const first = await run();
    // One file per batch: two batches of 100 and 150 input rows.
    expect(first.recentProgress.map((p) => p.sources[0]!.numInputRows)).toEqual([100, 150]);
    await putFile(input, "c.parquet", 250, 300);
    const second = await run();
    expect(second.recentProgress.map((p) => p.batchId)).toEqual([2]);

    const ids = async () => (await spark.read.parquet(output).select("id").collect()).map((r) => r.id as number).sort((a, b) => a - b);
    const expected = Array.from({ length: 150 }, (_, i) => i * 2);
    expect(await ids()).toEqual(expected);

    // A crash after the sink committed batch 2 but before the query's commit: the replay writes nothing twice.
    await rm(join(checkpoint, "commits", "2"));
    await run();
    expect(await ids()).toEqual(expected);
    const rows = await spark.read.parquet(output).filter(col("id").equalTo(298)).selectExpr("CAST(d AS STRING) d", "s").collect();
    expect(rows).toEqual([{ d: "99.3333333333", s: "298" }]);

    // The sink log is Spark's: v1, then one entry per file with a file:// URI.
    const log = (await readFile(join(output, "_spark_metadata", "0"), "utf8")).split("\n");
    expect(log[0]).toBe("v1");
    const entry = JSON.parse(log[1]!) as Record<string, unknown>;
    expect(Object.keys(entry)).toEqual(["path", "size", "isDir", "modificationTime", "blockReplication", "blockSize", "action"]);
    expect(entry.path).toMatch(new RegExp(`^${pathToFileURL(output).href}/part-00000-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-c000\\.snappy\\.parquet$`));
  });

  test("format(\"parquet\") stream reads the schema from the files when none is given (as with schemaInference)", async () => {
    const input = await tempDir("rivulet-parquet-infer-");
    await putFile(input, "a.parquet", 0, 10);
    const name = `parquet_infer_${process.pid}`;
    const q = spark.readStream.format("parquet").load(input).writeStream.format("memory").queryName(name)
      .trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(spark.table(name).schema.toDDL()).toBe("id BIGINT, s STRING, d DECIMAL(38,10)");
    expect(await spark.table(name).count()).toBe(10);
  });

  test("a Parquet sink refuses update mode and interval columns before it starts", () => {
    const stream = spark.readStream.format("rate").load();
    const out = join("/tmp", `never-${process.pid}`);
    expect(() => stream.groupBy("value").count().writeStream.format("parquet").outputMode("update").option("path", out).start())
      .toThrow(/Data source parquet does not support Update output mode/);
    expect(() => stream.selectExpr("INTERVAL '1' DAY AS i").writeStream.format("parquet").option("path", out).start())
      .toThrow(/\[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE\] The Parquet datasource doesn't support the column `i`/);
  });
});
