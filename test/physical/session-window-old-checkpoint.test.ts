import { cp } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit, session_window, sum, type DataFrame } from "../../src/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * A checkpoint of a session_window aggregation written by rivulet before sessions were kept
 * in the state store (commit 71b2446, provider rocksdb, 2 partitions): its stores hold each
 * key's sessions but not the event-time index the stored path reads. Restarted on today's
 * code, the index is built once from the stored sessions, and the query goes on with the
 * answers of a run from the start.
 *
 * The fixture's README holds the program that wrote it: 4 batches of `batchRows` into a
 * MemoryStream, append mode, watermark 20 s (each batch and a no-data batch after it).
 */
const FIXTURE = join(import.meta.dirname, "fixtures", "session-window-checkpoint-unindexed");

const spark = Session.builder().appName("session-window-old-checkpoint").getOrCreate();
scopedTmpdir("rivulet-old-sessions-", spark);
const tempDir = tempDirs(spark);

const SETTINGS = { "rivulet.sql.streaming.stateStore.provider": "rocksdb", "rivulet.sql.shuffle.partitions": "2" };
afterEach(() => {
  for (const key of Object.keys(SETTINGS)) spark.conf.unset(key);
});

interface Click { user: string; time: Date; ms: number }
const sec = (s: number): Date => new Date(s * 1000);
/** Batch b: 60 clicks of 20 users (user b·10 … b·10 + 19), half of them seen in the batch before. */
const batchRows = (b: number): Click[] => Array.from({ length: 60 }, (_, i) => ({
  user: `user-${b * 10 + (i % 20)}`, time: sec(b * 100 + 60 + ((i * 7) % 41)), ms: i % 5,
}));

const sessions = (df: DataFrame): DataFrame => df.withWatermark("time", "20 seconds")
  .groupBy(col("user"), session_window(col("time"), "30 seconds"))
  .agg(count(lit(1)).as("clicks"), sum(col("ms")).as("ms"))
  .select(col("user"), col("session_window.start").as("start"), col("session_window.end").as("end"), col("clicks"), col("ms"));

/** Runs data batches [from, to) on `checkpoint` (batches before `from` are in the stream already); the rows each emitted, sorted. */
async function run(checkpoint: string, from: number, to: number, settings: Record<string, string>) {
  for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
  const input = new MemoryStream<Click>(spark, "user STRING, time TIMESTAMP, ms INT");
  for (let b = 0; b < from; b++) input.addData(batchRows(b));
  const emitted: string[][] = [];
  const q = sessions(input.toDF()).writeStream.outputMode("append").option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => { emitted.push((await df.collect()).map((r) => JSON.stringify(r)).sort()); })
    .start();
  await q.processAllAvailable();
  const rowsAt: number[] = [];
  const totals: number[] = [];
  for (let b = from; b < to; b++) {
    rowsAt.push(emitted.flat().length);
    input.addData(batchRows(b));
    await q.processAllAvailable();
    totals.push(q.lastProgress!.stateOperators[0]!.numRowsTotal);
  }
  const explain = q.explainString();
  await q.stop();
  return { rows: emitted.flat(), rowsAt, totals, explain };
}

test("a checkpoint written before the stored sessions' index goes on: indexed once, the answers of a run from the start", async () => {
  const fromStart = await run(await tempDir("rivulet-old-sessions-ref-"), 0, 8, { "rivulet.sql.streaming.stateStore.provider": "file" });
  const checkpoint = join(await tempDir("rivulet-old-sessions-"), "checkpoint");
  await cp(FIXTURE, checkpoint, { recursive: true });
  const resumed = await run(checkpoint, 4, 8, SETTINGS);

  expect(resumed.explain).toMatch(/SessionWindowAggregate .*partitions=2, state=stored/);
  // What the run from the start emitted from its fifth batch on: the restarted query emits the same sessions.
  const later = fromStart.rows.slice(fromStart.rowsAt[4]).sort();
  expect(later.length).toBeGreaterThanOrEqual(40);
  expect(resumed.rows.sort()).toEqual(later);
  expect(resumed.totals).toEqual(fromStart.totals.slice(4));
});
