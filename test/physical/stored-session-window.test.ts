import { afterEach, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit, session_window, sum, type DataFrame } from "../../src/index.ts";
import type { StateOperatorMetrics } from "../../src/physical/exec-operator.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * session_window aggregation on a provider that keeps state on disk: a batch reads its
 * keys' sessions from the store and the keys due to close from the store's event-time
 * index (stored-sessions.ts). Batch by batch, the answers of the in-memory path; the reads
 * follow the batch, not the state.
 */
const spark = Session.builder().appName("stored-session-window").getOrCreate();
scopedTmpdir("rivulet-stored-sessions-", spark);
const tempDir = tempDirs(spark);

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";
const PARTITIONS = "rivulet.sql.shuffle.partitions";
afterEach(() => {
  for (const key of [PROVIDER, BUDGET, PARTITIONS]) spark.conf.unset(key);
});

interface Click { user: string; time: Date; ms: number }
const sec = (s: number): Date => new Date(s * 1000);

/**
 * Batch b: 1,500 clicks of 500 users (user b·250 … b·250 + 499): half of them clicked in
 * the batch before too. Each batch moves 100 s on; a user's clicks in a batch are 0–40 s
 * apart, so with a 30 s gap some users' clicks make two sessions and some continue the
 * session of the batch before.
 */
const batchRows = (b: number): Click[] => Array.from({ length: 1500 }, (_, i) => ({
  user: `user-${b * 250 + (i % 500)}`, time: sec(b * 100 + 60 + ((i * 7) % 41)), ms: i % 5,
}));

type Job = (df: DataFrame) => DataFrame;
const sessions: Job = (df) => df.withWatermark("time", "20 seconds")
  .groupBy(col("user"), session_window(col("time"), "30 seconds"))
  .agg(count(lit(1)).as("clicks"), sum(col("ms")).as("ms"))
  .select(col("user"), col("session_window.start").as("start"), col("session_window.end").as("end"), col("clicks"), col("ms"));

async function run(job: Job, mode: "append" | "complete", settings: Record<string, string>, batches: number, restartAt = -1) {
  const input = new MemoryStream<Click>(spark, "user STRING, time TIMESTAMP, ms INT");
  const checkpoint = await tempDir("rivulet-stored-sessions-ckpt-");
  for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
  const emitted: string[][] = [];
  const operators: StateOperatorMetrics[] = [];
  const start = () => job(input.toDF()).writeStream.outputMode(mode).option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => { emitted.push((await df.collect()).map((r) => JSON.stringify(r)).sort()); })
    .start();
  let q = start();
  let explain = "";
  for (let b = 0; b < batches; b++) {
    if (b === restartAt) {
      await q.stop();
      q = start();
    }
    input.addData(batchRows(b));
    await q.processAllAvailable();
    operators.push(q.lastProgress!.stateOperators[0]!);
    explain = q.explainString();
  }
  await q.stop();
  return { emitted: emitted.filter((rows) => rows.length > 0), operators, explain };
}

test("append mode, 2 state partitions, a 1 KiB budget, a restart: each session once, as the in-memory path emits it", async () => {
  const inMemory = await run(sessions, "append", { [PROVIDER]: "file" }, 8);
  const onDisk = await run(sessions, "append", { [PROVIDER]: "rocksdb", [BUDGET]: "1k", [PARTITIONS]: "2" }, 8, 4);
  expect(inMemory.explain).not.toMatch(/state=stored/);
  expect(onDisk.explain).toMatch(/SessionWindowAggregate keys=\[user, session_window.*partitions=2, state=stored/);
  expect(inMemory.emitted.flat().length).toBeGreaterThan(1500);
  expect(onDisk.emitted).toEqual(inMemory.emitted);
  for (let b = 0; b < 8; b++) {
    expect(onDisk.operators[b]!.numRowsTotal).toBe(inMemory.operators[b]!.numRowsTotal);
    expect(onDisk.operators[b]!.numRowsRemoved).toBe(inMemory.operators[b]!.numRowsRemoved);
  }
});

test("the reads follow the batch: each batch gets its 500 users and the keys the watermark closes, whatever the state holds", async () => {
  const onDisk = await run(sessions, "append", { [PROVIDER]: "rocksdb", [BUDGET]: "1k" }, 8);
  // Each batch reports its own reads, taken after its own commit (not the batch before's).
  const gets = onDisk.operators.map((op) => op.customMetrics.rocksdbGetCount!);
  // Batch 1 reads its 500 users and the ~250 users of batch 0 alone, whose sessions the watermark closes.
  expect(gets[1]).toBeGreaterThan(700);
  // 500 keys of the batch, ≤ 500 keys closing (the batch before's users), the index's records and the count: never the whole state.
  for (const n of gets.slice(1)) {
    expect(n).toBeGreaterThanOrEqual(500);
    expect(n).toBeLessThan(1100);
  }
  // The input repeats a pattern of three batches: so do the reads, whatever number of batches came before.
  expect(gets.slice(5, 8)).toEqual(gets.slice(2, 5));
});

test("complete mode: every session each batch, across a restart", async () => {
  const total: Job = (df) => df.groupBy(col("user"), session_window(col("time"), "30 seconds")).agg(count(lit(1)).as("clicks"))
    .select(col("user"), col("session_window.start").as("start"), col("clicks"));
  const inMemory = await run(total, "complete", { [PROVIDER]: "file" }, 3);
  const onDisk = await run(total, "complete", { [PROVIDER]: "rocksdb", [PARTITIONS]: "3" }, 3, 2);
  expect(onDisk.emitted.at(-1)!.length).toBeGreaterThan(1000);
  expect(onDisk.emitted).toEqual(inMemory.emitted);
});
