import { existsSync, readdirSync, readFileSync, watch } from "node:fs";
import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { runJobProcess } from "./job-process.ts";

/**
 * One rivulet job writes Parquet files through the file sink in a child process; another
 * reads that directory, in batch and as a stream. The writer is stopped (SIGSTOP) right
 * after a part file appeared and before its batch's `_spark_metadata` entry exists, the
 * readers run, and the writer is SIGKILLed there: the readers see only committed batches,
 * and after the writer's restart every row reaches them exactly once.
 */
const JOB = join(import.meta.dirname, "jobs", "parquet-sink-job.ts");
const tmp = tempDirs(() => Session.builder().getOrCreate());
const FILES = 60;
const ROWS = 20;
const idsOf = (batches: number): number[] => Array.from({ length: batches * ROWS }, (_, i) => i);

test("a crashed writer's uncommitted part file is never read, and each row is read once after its restart", async () => {
  const input = await tmp("rivulet-fsc-in-");
  const output = join(await tmp("rivulet-fsc-out-"), "out");
  const checkpoint = join(await tmp("rivulet-fsc-ckpt-"), "ckpt");
  const readerCheckpoint = join(await tmp("rivulet-fsc-reader-"), "ckpt");
  for (let f = 0; f < FILES; f++) {
    const lines = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ id: f * ROWS + i, tag: `f${f}` })).join("\n");
    const file = join(input, `in-${String(f).padStart(3, "0")}.json`);
    await writeFile(file, lines + "\n");
    await utimes(file, 1_000_000 + f, 1_000_000 + f); // batch k reads file k
  }
  await mkdir(output, { recursive: true });

  const spark = Session.builder().getOrCreate();
  const batchIds = async () => (await spark.read.schema("id BIGINT, tag STRING").parquet(output).select("id").collect()).map((r) => Number(r.id)).sort((a, b) => a - b);
  const readerName = `parquet_reader_${process.pid}`;
  const streamIds: number[] = [];
  const readStream = async () => {
    const q = spark.readStream.schema("id BIGINT, tag STRING").parquet(output)
      .writeStream.option("checkpointLocation", readerCheckpoint).trigger({ availableNow: true })
      .foreachBatch(async (df) => { for (const r of await df.collect()) streamIds.push(Number(r.id)); })
      .queryName(readerName).start();
    await q.awaitTermination();
  };

  const writer = runJobProcess(JOB, [input, checkpoint, output, "forever"]);
  // Stop the writer as soon as a part file is renamed into place; if its batch is already committed, let it go on.
  const orphan = await new Promise<{ batch: number; file: string } | null>((resolve) => {
    const watcher = watch(output, (_event, name) => {
      // Spark's part file names carry no batch id: the file's batch is the one after the last committed.
      if (name === null || !/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(name) || !existsSync(join(output, name))) return;
      writer.child.kill("SIGSTOP");
      const meta = join(output, "_spark_metadata");
      const entries = readdirSync(meta).filter((n) => /^\d+(\.compact)?$/.test(n));
      const committed = entries.some((n) => readFileSync(join(meta, n), "utf8").includes(name));
      if (!committed) {
        watcher.close();
        resolve({ batch: Math.max(-1, ...entries.map((n) => parseInt(n, 10))) + 1, file: join(output, name) });
      } else {
        writer.child.kill("SIGCONT");
      }
    });
    void writer.exited.then(() => { watcher.close(); resolve(null); });
  });
  expect(orphan, "the writer was never caught between a part file and its commit").not.toBeNull();
  const { batch, file } = orphan!;

  // The orphan is a whole Parquet file of batch `batch`: a reader ignoring the log would read its rows.
  expect(await spark.read.parquet(file).count()).toBe(ROWS);
  // Readers through the log see batches 0 … batch−1, exactly.
  expect(await batchIds()).toEqual(idsOf(batch));
  await readStream();
  expect(streamIds.slice().sort((a, b) => a - b)).toEqual(idsOf(batch));

  writer.child.kill("SIGKILL");
  expect(await writer.exited).toBeNull();
  expect(existsSync(file)).toBe(true); // the crash left it behind

  const restarted = runJobProcess(JOB, [input, checkpoint, output, "availableNow"]);
  expect(await restarted.exited).toBe(0);
  expect(existsSync(file)).toBe(false); // the re-run batch dropped it before writing its own
  expect(await batchIds()).toEqual(idsOf(FILES));
  await readStream();
  expect(streamIds.slice().sort((a, b) => a - b)).toEqual(idsOf(FILES));
  // Spark's compaction happened on the way: batch 9, 19, … are compact files.
  expect((await readdir(join(output, "_spark_metadata"))).filter((n) => n.endsWith(".compact")).length).toBe(Math.floor(FILES / 10));
}, 180_000);
