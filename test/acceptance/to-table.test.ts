import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { AnalysisError, Session, col } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { runJobProcess } from "./job-process.ts";

/**
 * `writeStream.toTable(t)` as Spark's: a table that does not exist is created (parquet under
 * spark.sql.warehouse.dir), so the rows are files that outlive the process; a restart from the
 * checkpoint in a new process appends to them, and every reader sees all runs' rows.
 */
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
const JOB = join(import.meta.dirname, "jobs", "to-table-job.ts");

/** A test's directory with an input directory `in` holding `1.json` of these lines. */
async function withInput(name: string, lines: string): Promise<{ base: string; input: string }> {
  const base = await tmp(name);
  const input = join(base, "in");
  await mkdir(input);
  writeFileSync(join(input, "1.json"), lines);
  return { base, input };
}

test("toTable in two processes: the second run's table holds both runs' rows, once each", async () => {
  const { base, input } = await withInput("to-table", '{"k":"a"}\n{"k":"b"}\n');
  const args = (run: number) => [input, join(base, "checkpoint"), join(base, "warehouse"), "events", join(base, `result-${run}.json`)];
  expect(await runJobProcess(JOB, args(1)).exited).toBe(0);
  expect(JSON.parse(readFileSync(join(base, "result-1.json"), "utf8"))).toEqual(["a", "b"]);
  writeFileSync(join(input, "2.json"), '{"k":"c"}\n');
  expect(await runJobProcess(JOB, args(2)).exited).toBe(0);
  expect(JSON.parse(readFileSync(join(base, "result-2.json"), "utf8"))).toEqual(["a", "b", "c"]);
  // The table is Parquet files under the warehouse, written through the file sink's log.
  const dir = join(base, "warehouse", "events");
  expect(existsSync(join(dir, "_spark_metadata"))).toBe(true);
  expect((await spark.read.parquet(dir).orderBy("k").collect()).map((r) => r.k)).toEqual(["a", "b", "c"]);
}, 120_000);

test("toTable into an existing table writes its format at its location; readStream.table streams it on; another format or a view is refused", async () => {
  const { base, input } = await withInput("to-table-existing", '{"k":"x","n":1}\n{"k":"y","n":2}\n');
  const location = join(base, "counts");
  spark.sql(`CREATE TABLE to_table_json (k STRING, n INT) USING json LOCATION '${location}'`);
  try {
    const stream = () => spark.readStream.schema("k STRING, n INT").json(input);
    const query = stream().writeStream.option("checkpointLocation", join(base, "cp1")).trigger({ availableNow: true }).toTable("to_table_json");
    await query.awaitTermination();
    expect(existsSync(join(location, "_spark_metadata"))).toBe(true);
    expect(await spark.sql("SELECT k, n FROM to_table_json ORDER BY k").collect()).toEqual([{ k: "x", n: 1 }, { k: "y", n: 2 }]);

    // The table read back as a stream, into a memory table.
    const copy = spark.readStream.table("to_table_json").filter(col("n").gt(1))
      .writeStream.format("memory").queryName("to_table_copy").option("checkpointLocation", join(base, "cp2")).trigger({ availableNow: true }).start();
    await copy.awaitTermination();
    expect(await spark.table("to_table_copy").collect()).toEqual([{ k: "y", n: 2 }]);

    expect(() => stream().writeStream.format("csv").option("checkpointLocation", join(base, "cp3")).toTable("to_table_json"))
      .toThrow("The input source(csv) is different from the table to_table_json's data source provider(json).");
    spark.range(0, 1).createOrReplaceTempView("to_table_view");
    expect(() => stream().writeStream.option("checkpointLocation", join(base, "cp4")).toTable("to_table_view")).toThrow(AnalysisError);
    expect(() => stream().writeStream.option("checkpointLocation", join(base, "cp4")).toTable("to_table_view")).toThrow("Streaming into views to_table_view is not supported.");
  } finally {
    spark.sql("DROP TABLE IF EXISTS to_table_json");
    spark.sql("DROP VIEW IF EXISTS to_table_view");
  }
}, 60_000);

test("format(\"memory\").toTable(t) keeps the rows in this process under t", async () => {
  const { input } = await withInput("to-table-memory", '{"k":"m"}\n');
  const query = spark.readStream.schema("k STRING").json(input).writeStream.format("memory").trigger({ availableNow: true }).toTable("to_table_memory");
  await query.awaitTermination();
  expect(await spark.table("to_table_memory").collect()).toEqual([{ k: "m" }]);
  expect(spark.catalog.tableDefinition("to_table_memory")).toBeNull();
  expect(existsSync(resolve(spark.conf.get("spark.sql.warehouse.dir") ?? "spark-warehouse", "to_table_memory"))).toBe(false);
});
