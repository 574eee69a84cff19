import { afterEach, describe, expect, test } from "vitest";
import { MemoryStream, Session, approx_count_distinct, avg, col, count, lit, max, sum, window } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

/**
 * The streaming aggregation with each state store provider that keeps state in a
 * checkpoint: the file store keeps the groups in memory between batches, the disk-backed
 * ones (rocksdb → rivulet's disk engine, lmdb) keep them in the store and read a batch's
 * keys (aggregate/stored/). Same answers in every output mode, across restarts.
 */
const spark = Session.builder().appName("stored-aggregation").getOrCreate();
scopedTmpdir("rivulet-stored-agg-", spark);

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const BUDGET = "rivulet.sql.streaming.stateStore.memoryBudget";
const PARTITIONS = "rivulet.sql.shuffle.partitions";
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
