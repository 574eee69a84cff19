import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { MemoryStream, Session, type DataFrame, approx_count_distinct, avg, col, count, lit, max, sum, window } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { tempDirs } from "../temp-dirs.ts";
import type { StateOperatorMetrics } from "../../src/physical/exec-operator.ts";

/**
 * The streaming aggregation with each state store provider that keeps state in a
 * checkpoint: the file store keeps the groups in memory between batches, the disk-backed
 * ones (rocksdb → rivulet's disk engine, lmdb) keep them in the store and read a batch's
 * keys (aggregate/stored/). Same answers in every output mode, across restarts.
 */
const spark = Session.builder().appName("stored-aggregation").getOrCreate();
scopedTmpdir("rivulet-stored-agg-", spark);
const tempDir = tempDirs(spark);

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";
const PARTITIONS = "rivulet.sql.shuffle.partitions";
const PARALLELISM = "rivulet.sql.parallelism";
const providers: Array<[string, Record<string, string>, boolean]> = [
  ["file", { [PROVIDER]: "file" }, false],
  ["rocksdb (disk engine)", { [PROVIDER]: "rocksdb" }, true],
  ["rocksdb (disk engine), 1 KiB memory budget, 3 state partitions", { [PROVIDER]: "rocksdb", [BUDGET]: "1k", [PARTITIONS]: "3" }, true],
  ["lmdb", { [PROVIDER]: "lmdb" }, true],
];

afterEach(() => {
  for (const key of [PROVIDER, BUDGET, PARTITIONS]) spark.conf.unset(key);
});

const sec = (s: number): Date => new Date(s * 1000);
interface Click { user: string; page: string; time: Date; ms: number }
const click = (user: string, page: string, s: number, ms = 1): Click => ({ user, page, time: sec(s), ms });
const DDL = "user STRING, page STRING, time TIMESTAMP, ms INT";

describe.each(providers)("streaming aggregation with the %s state store provider", (_name, settings, stored) => {
  const use = (): void => {
    for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
  };

  test("SQL GROUP BY in update mode: each batch's changed groups, the counts carried across restarts", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    input.toDF().createOrReplaceTempView("clicks_update");
    const counts = spark.sql(
      "SELECT user, count(*) AS n, sum(ms) AS total, max(page) AS last_page, approx_count_distinct(page) AS pages FROM clicks_update GROUP BY user",
    );
    await testStream(counts, "update")
      .addData(input, [click("ann", "a", 1, 5), click("bob", "a", 2, 7), click("ann", "b", 3, 1)])
      .checkNewAnswer([{ user: "ann", n: 2, total: 6, last_page: "b", pages: 2 }, { user: "bob", n: 1, total: 7, last_page: "a", pages: 1 }])
      .stopStream().startStream()
      .addData(input, [click("ann", "a", 4, 2), click("cat", "c", 5, 3)])
      .checkNewAnswer([{ user: "ann", n: 3, total: 8, last_page: "b", pages: 2 }, { user: "cat", n: 1, total: 3, last_page: "c", pages: 1 }])
      .assertNumStateRows(3, 2)
      .addData(input, [click("bob", "z", 6, 1), click("bob", "a", 7, 1)])
      .checkNewAnswer([{ user: "bob", n: 3, total: 9, last_page: "z", pages: 2 }])
      .stopStream().startStream()
      .addData(input, [click("dan", "d", 8, 4), click("ann", "c", 9, 4)])
      .checkNewAnswer([{ user: "ann", n: 4, total: 12, last_page: "c", pages: 3 }, { user: "dan", n: 1, total: 4, last_page: "d", pages: 1 }])
      .assertNumStateRows(4)
      .run();
  });

  test("windowed counts in append mode: a window is emitted once, when the watermark closes it, and leaves the state", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    const counts = input.toDF().withWatermark("time", "10 seconds")
      .groupBy(window(col("time"), "10 seconds"), col("page")).agg(count(lit(1)).as("n"), sum(col("ms")).as("ms"))
      .select(col("page"), col("window.start").as("start"), col("n"), col("ms"));
    await testStream(counts, "append")
      .addData(input, [click("ann", "a", 1), click("bob", "a", 2), click("ann", "b", 12)])
      .checkNewAnswer([])
      .assertNumStateRows(2)
      .stopStream().startStream()
      // Watermark 25 − 10 = 15: the windows of [0, 10) close.
      .addData(input, [click("cat", "b", 14), click("dan", "c", 25)])
      .checkNewAnswer([{ page: "a", start: sec(0), n: 2, ms: 2 }])
      .assertNumStateRows(2)
      // Late (behind 15): dropped. Watermark → 31: [10, 20) and [20, 30) close.
      .addData(input, [click("eve", "a", 3), click("fay", "b", 41)])
      .checkNewAnswer([{ page: "b", start: sec(10), n: 2, ms: 2 }, { page: "c", start: sec(20), n: 1, ms: 1 }])
      .stopStream().startStream()
      // Late (behind 31): dropped. Watermark → 50: [40, 50) closes.
      .addData(input, [click("gus", "c", 28), click("hal", "d", 60, 5)])
      .checkNewAnswer([{ page: "b", start: sec(40), n: 1, ms: 1 }])
      .assertNumStateRows(1, 1, 1)
      .addData(input, [click("ivy", "d", 61, 5), click("jon", "e", 80)])
      .checkNewAnswer([{ page: "d", start: sec(60), n: 2, ms: 10 }])
      .run();
  });

  test("sliding windows in update mode with a watermark: the state keeps only windows the watermark has not passed", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    const counts = input.toDF().withWatermark("time", "5 seconds")
      .groupBy(window(col("time"), "10 seconds", "5 seconds")).agg(count(lit(1)).as("n"))
      .select(col("window.start").as("start"), col("n"));
    await testStream(counts, "update")
      .addData(input, [click("a", "p", 1), click("b", "p", 6), click("c", "p", 7)])
      .checkNewAnswer([{ start: sec(-5), n: 1 }, { start: sec(0), n: 3 }, { start: sec(5), n: 2 }])
      .assertNumStateRows(3)
      .stopStream().startStream()
      // Watermark 21 − 5 = 16: the windows ending at or before 16 leave the state.
      .addData(input, [click("d", "p", 9), click("e", "p", 21)])
      .checkNewAnswer([{ start: sec(0), n: 4 }, { start: sec(5), n: 3 }, { start: sec(15), n: 1 }, { start: sec(20), n: 1 }])
      .assertNumStateRows(2)
      .addData(input, [click("f", "p", 19)])
      .checkNewAnswer([{ start: sec(10), n: 1 }, { start: sec(15), n: 2 }])
      .run();
  });

  test("complete mode: the whole result table each batch, across restarts", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    const counts = input.toDF().groupBy("page").agg(count(lit(1)).as("n"), approx_count_distinct(col("user")).as("users"), avg(col("ms")).as("ms"), max(col("time")).as("latest"));
    await testStream(counts, "complete")
      .addData(input, [click("ann", "a", 1), click("bob", "a", 2), click("ann", "b", 3)])
      .checkAnswer([{ page: "a", n: 2, users: 2, latest: sec(2), ms: 1 }, { page: "b", n: 1, users: 1, latest: sec(3), ms: 1 }])
      .stopStream().startStream()
      .addData(input, [click("ann", "a", 4, 4), click("cat", "c", 5)])
      .checkAnswer([{ page: "a", n: 3, users: 2, latest: sec(4), ms: 2 }, { page: "b", n: 1, users: 1, latest: sec(3), ms: 1 }, { page: "c", n: 1, users: 1, latest: sec(5), ms: 1 }])
      .addData(input, [click("dan", "b", 6)])
      .checkAnswer([{ page: "a", n: 3, users: 2, latest: sec(4), ms: 2 }, { page: "b", n: 2, users: 2, latest: sec(6), ms: 1 }, { page: "c", n: 1, users: 1, latest: sec(5), ms: 1 }])
      .run();
  });

  test("a global aggregation (no grouping key) in update mode: one group, carried across restarts", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    input.toDF().createOrReplaceTempView("clicks_global");
    const totals = spark.sql("SELECT count(*) AS n, sum(ms) AS total, min(time) AS first FROM clicks_global");
    await testStream(totals, "update")
      .addData(input, [click("ann", "a", 5, 5), click("bob", "a", 2, 7)])
      .checkNewAnswer([{ n: 2, total: 12, first: sec(2) }])
      .stopStream().startStream()
      .addData(input, [click("cat", "b", 1, 1)])
      .checkNewAnswer([{ n: 3, total: 13, first: sec(1) }])
      .assertNumStateRows(1)
      .run();
  });

  test("explain says where the groups live; progress carries the store's own metrics", async () => {
    use();
    const input = new MemoryStream<Click>(spark, DDL);
    const counts = input.toDF().groupBy("user").count();
    await testStream(counts, "update")
      .addData(input, [click("ann", "a", 1), click("bob", "a", 2)])
      .checkNewAnswer([{ user: "ann", count: 1 }, { user: "bob", count: 1 }])
      .assertOnQuery("explain and progress", (q) => {
        const plan = q.explainString();
        if (stored) expect(plan).toMatch(/StatefulAggregate keys=\[user\], functions=\[count\(1\)\].*, state=stored/);
        else expect(plan).not.toMatch(/state=stored/);
        const op = q.lastProgress!.stateOperators[0]!;
        expect(op.numRowsTotal).toBe(2);
        if (stored) {
          expect(op.customMetrics.rocksdbGetCount).toBeGreaterThanOrEqual(2);
          expect(op.customMetrics.rocksdbPutCount).toBeGreaterThanOrEqual(2);
          expect(op.customMetrics.stateCacheHitRatePercent).toBeGreaterThanOrEqual(0);
        }
      })
      .run();
  });
});

describe("many groups with a 1 KiB memory budget: the answers of the in-memory groups, batch by batch", () => {
  interface Row { user: string; time: Date; ms: number }
  /** Batch b: 3,000 rows over 2,000 users, half of them new, half from the batch before; event time b × 10 s onwards. */
  const batchRows = (b: number): Row[] => Array.from({ length: 3000 }, (_, i) => ({
    user: `user-${(b * 1000 + (i % 2000)) % 20_000}`, time: sec(b * 10 + (i % 10)), ms: i % 7,
  }));

  type Job = (df: DataFrame) => DataFrame;
  /** Runs `job` over `batches` batches, from a MemoryStream, or from JSON files `files` (read a file a batch, in worker threads when parallelism > 1). */
  async function run(job: Job, mode: "update" | "append", settings: Record<string, string> | null, batches: number, files: string | null = null) {
    const input = new MemoryStream<Row>(spark, "user STRING, time TIMESTAMP, ms INT");
    const source = files === null ? input.toDF() : spark.readStream.schema("user STRING, time TIMESTAMP, ms INT").option("maxFilesPerTrigger", 1).json(files);
    const emitted: string[][] = [];
    let writer = job(source).writeStream.outputMode(mode).foreachBatch(async (df) => {
      emitted.push((await df.collect()).map((r) => JSON.stringify(r)).sort());
    });
    // Without settings: no checkpoint, the groups in memory.
    if (settings !== null) {
      for (const [k, v] of Object.entries(settings)) spark.conf.set(k, v);
      writer = writer.option("checkpointLocation", await tempDir("rivulet-stored-agg-ckpt-"));
    }
    const q = writer.start();
    const operators: StateOperatorMetrics[] = [];
    if (files === null) {
      for (let b = 0; b < batches; b++) {
        input.addData(batchRows(b));
        await q.processAllAvailable();
        operators.push(q.lastProgress!.stateOperators[0]!);
      }
    } else {
      await q.processAllAvailable();
      operators.push(q.lastProgress!.stateOperators[0]!);
    }
    await q.stop();
    for (const key of [PROVIDER, BUDGET, PARTITIONS, PARALLELISM]) spark.conf.unset(key);
    return { emitted, operators, explain: q.explainString() };
  }

  test("update mode, 10,000 groups: memory follows the batch (2,000 groups), the rest is in the store's run files", async () => {
    const job: Job = (df) => df.groupBy("user").agg(count(lit(1)).as("n"), sum(col("ms")).as("ms"), max(col("time")).as("last"));
    const inMemory = await run(job, "update", null, 9);
    const onDisk = await run(job, "update", { [PROVIDER]: "rocksdb", [BUDGET]: "1k" }, 9);
    expect(onDisk.explain).toMatch(/state=stored/);
    expect(onDisk.emitted).toEqual(inMemory.emitted);
    const last = onDisk.operators.at(-1)!;
    expect(last.numRowsTotal).toBe(10_000);
    expect(last.numRowsUpdated).toBe(2000);
    // The groups are in run files; what stays in memory is the batch's groups and the store's budget and filters.
    expect(last.customMetrics.rocksdbSstFileSize).toBeGreaterThan(100_000);
    expect(last.customMetrics.rocksdbGetCount).toBe(2000);
    expect(last.memoryUsedBytes).toBeLessThan(inMemory.operators.at(-1)!.memoryUsedBytes / 2);
  }, 120_000);

  test("append mode over windows, 2 state partitions and 2 threads: each window once, when it closes", async () => {
    const job: Job = (df) => df.withWatermark("time", "5 seconds").groupBy(col("user"), window(col("time"), "10 seconds"))
      .agg(count(lit(1)).as("n"), sum(col("ms")).as("ms"));
    const files = await tempDir("rivulet-stored-agg-in-");
    for (let b = 0; b < 6; b++) await writeFile(join(files, `part-${b}.json`), batchRows(b).map((r) => JSON.stringify(r)).join("\n"));
    const inMemory = await run(job, "append", null, 6, files);
    const onDisk = await run(job, "append", { [PROVIDER]: "rocksdb", [BUDGET]: "1k", [PARTITIONS]: "2", [PARALLELISM]: "2" }, 6, files);
    expect(onDisk.explain).toMatch(/partitions=2, partial=2 worker threads.*, state=stored/);
    expect(onDisk.emitted.flat().length).toBeGreaterThan(8000);
    expect(onDisk.emitted).toEqual(inMemory.emitted);
    expect(onDisk.operators.at(-1)!.numRowsTotal).toBe(inMemory.operators.at(-1)!.numRowsTotal);
  }, 120_000);
});

test("a watermark added at a restart closes the groups stored before it (the store's groups are indexed once)", async () => {
  spark.conf.set(PROVIDER, "rocksdb");
  const checkpoint = await tempDir("rivulet-stored-agg-ckpt-");
  const input = new MemoryStream<Click>(spark, DDL);
  const outputs: string[][] = [];
  const start = (withWatermark: boolean) => {
    const df = withWatermark ? input.toDF().withWatermark("time", "10 seconds") : input.toDF();
    return df.groupBy(window(col("time"), "10 seconds"), col("page")).agg(count(lit(1)).as("n"))
      .select(col("page"), col("window.start").as("start"), col("n"))
      .writeStream.outputMode("update").option("checkpointLocation", checkpoint)
      .foreachBatch(async (batch) => {
        const rows = (await batch.collect()).map((r) => `${r.page}@${(r.start as Date).getTime() / 1000}=${r.n}`).sort();
        if (rows.length > 0) outputs.push(rows);
      })
      .start();
  };
  let q = start(false);
  input.addData([click("a", "x", 1), click("b", "y", 2), click("c", "x", 15)]);
  await q.processAllAvailable();
  await q.stop();
  q = start(true);
  input.addData([click("d", "x", 3), click("e", "z", 40)]);
  await q.processAllAvailable();
  // Watermark 30: the windows [0, 10) and [10, 20) leave the state; a row for them is now late.
  expect(q.lastProgress!.stateOperators[0]!.numRowsTotal).toBe(1);
  input.addData([click("f", "x", 4), click("g", "z", 41)]);
  await q.processAllAvailable();
  await q.stop();
  spark.conf.unset(PROVIDER);
  expect(outputs).toEqual([["x@0=1", "x@10=1", "y@0=1"], ["x@0=2", "z@40=1"], ["z@40=2"]]);
});
