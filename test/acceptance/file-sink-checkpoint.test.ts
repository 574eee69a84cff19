import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * A file sink numbers its commits (`<path>/_spark_metadata/<batch>`) by batch: a query
 * without a checkpoint numbers from 0 on every run, so a second run would find its batches
 * committed and write nothing. As Spark, such a query is refused at start; with the
 * session's checkpoint root it runs on under `<root>/<query name>` (or a directory of its
 * own when unnamed), and a second run appends.
 */
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
const ROOT = "spark.sql.streaming.checkpointLocation";
afterEach(() => spark.conf.unset(ROOT));

const REFUSED = `checkpointLocation must be specified either through option("checkpointLocation", ...) or SparkSession.conf.set("spark.sql.streaming.checkpointLocation", ...)`;

/** One run: the JSON files in `input` (the ones the checkpoint has not seen) into `path` as JSON files. */
async function run(input: string, path: string, name?: string): Promise<void> {
  let writer = spark.readStream.schema("k INT").json(input).writeStream.format("json").option("path", path);
  if (name !== undefined) writer = writer.queryName(name);
  const q = writer.start();
  await q.processAllAvailable();
  await q.stop();
}

const addFile = (dir: string, name: string, ks: number[]): Promise<void> =>
  writeFile(join(dir, name), ks.map((k) => JSON.stringify({ k })).join("\n") + "\n");

const readBack = async (path: string): Promise<number[]> =>
  (await spark.read.schema("k INT").json(path).collect()).map((r) => r.k as number).sort((a, b) => a - b);

test("a file sink without a checkpoint is refused, in start() and toTable(), before anything is written", async () => {
  const out = join(await tmp("rivulet-file-sink-ckpt-"), "out");
  const input = new MemoryStream<{ k: number }>(spark, "k INT");
  for (const format of ["json", "csv", "parquet"]) {
    const start = () => input.toDF().writeStream.format(format).option("path", out).start();
    expect(start).toThrow(AnalysisError);
    expect(start).toThrow(REFUSED);
  }
  expect(() => input.toDF().writeStream.format("json").toTable(`no_checkpoint_${process.pid}`)).toThrow(REFUSED);
  expect(spark.catalog.tableExists(`no_checkpoint_${process.pid}`)).toBe(false);
  // Sinks that need no checkpoint (as in Spark) still start without one.
  const q = input.toDF().writeStream.format("memory").queryName(`no_checkpoint_mem_${process.pid}`).start();
  await q.stop();
});

test("with the session's checkpoint root, two runs of a named query append: the second run's rows arrive", async () => {
  const dir = await tmp("rivulet-file-sink-root-");
  spark.conf.set(ROOT, join(dir, "checkpoints"));
  const input = join(dir, "in");
  const out = join(dir, "out");
  await mkdir(input);
  await addFile(input, "a.json", [1, 2]);
  await run(input, out, "daily_export");
  await addFile(input, "b.json", [3]);
  await run(input, out, "daily_export");
  expect(await readBack(out)).toEqual([1, 2, 3]);
  expect(await readdir(join(dir, "checkpoints"))).toEqual(["daily_export"]);
});

test("with the session's checkpoint root, an unnamed query gets a checkpoint of its own each run", async () => {
  const dir = await tmp("rivulet-file-sink-root-unnamed-");
  spark.conf.set(ROOT, join(dir, "checkpoints"));
  const input = join(dir, "in");
  await mkdir(input);
  await addFile(input, "a.json", [1]);
  await run(input, join(dir, "out-1"));
  await run(input, join(dir, "out-2"));
  expect((await readdir(join(dir, "checkpoints"))).length).toBe(2);
  // Each run started anew (Spark's behaviour without a name): both read the file.
  expect(await readBack(join(dir, "out-1"))).toEqual([1]);
  expect(await readBack(join(dir, "out-2"))).toEqual([1]);
});
