import { afterEach, describe, expect, test } from "vitest";
import { AnalysisError } from "../../src/common/errors.ts";
import { Session, col, count, expr, window, type DataFrame } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

scopedTmpdir("rivulet-stateful-after-join-test-");

/**
 * Stateful operators after a stream–stream join, as Spark 3.5 runs them (SPARK-42376):
 * the operator above runs on the join's output watermark — min(state watermarks, input
 * watermark) — and drops late rows against the previous batch's, so the join's outer rows,
 * emitted when the watermark evicts them, are not late for the aggregation above.
 */
const PROVIDER = "rivulet.sql.streaming.stateStore.provider";
const spark = Session.builder().getOrCreate();
afterEach(() => spark.conf.unset(PROVIDER));

interface Imp { impAdId: number; impSec: number }
interface Click { clickAdId: number; clickSec: number }

function inputs(): { imps: MemoryStream<Imp>; clicks: MemoryStream<Click>; left: DataFrame; right: DataFrame } {
  const imps = new MemoryStream<Imp>(spark, "impAdId INT, impSec INT");
  const clicks = new MemoryStream<Click>(spark, "clickAdId INT, clickSec INT");
  const left = imps.toDF().select(col("impAdId"), expr("timestamp_seconds(impSec)").as("impTime")).withWatermark("impTime", "10 seconds");
  const right = clicks.toDF().select(col("clickAdId"), expr("timestamp_seconds(clickSec)").as("clickTime")).withWatermark("clickTime", "10 seconds");
  return { imps, clicks, left, right };
}

const JOIN = "clickAdId = impAdId AND clickTime BETWEEN impTime AND impTime + interval 5 seconds";
/** Per 10-second window of impression time: impressions and clicked impressions. */
const SQL = `SELECT unix_seconds(w.start) AS start, n, clicked FROM (
  SELECT window(impTime, '10 seconds') AS w, count(*) AS n, count(clickAdId) AS clicked
  FROM imps LEFT OUTER JOIN clicks ON ${JOIN}
  GROUP BY window(impTime, '10 seconds'))`;

function dataFrameForm(left: DataFrame, right: DataFrame): DataFrame {
  return left.join(right, expr(JOIN), "leftOuter")
    .groupBy(window(col("impTime"), "10 seconds").as("w")).agg(count("*").as("n"), count("clickAdId").as("clicked"))
    .select(expr("unix_seconds(w.start)").as("start"), col("n"), col("clicked"));
}

// Ads 1–4 (ad 2 never clicked), then ad 5 far ahead to move the watermark past them.
const BATCHES: Array<{ imps: Imp[]; clicks: Click[] }> = [
  { imps: [{ impAdId: 1, impSec: 1 }, { impAdId: 2, impSec: 2 }, { impAdId: 3, impSec: 12 }], clicks: [{ clickAdId: 1, clickSec: 3 }, { clickAdId: 3, clickSec: 14 }] },
  { imps: [{ impAdId: 4, impSec: 30 }], clicks: [{ clickAdId: 4, clickSec: 32 }] },
  { imps: [{ impAdId: 5, impSec: 100 }], clicks: [{ clickAdId: 5, clickSec: 101 }] },
];

describe("an aggregation after a stream–stream left outer join with a time range, in append mode", () => {
  describe.each([["file"], ["rocksdb"]])("state store %s", (provider) => {
    for (const form of ["DataFrame", "SQL"] as const) {
      test(`${form}: each window once the join's output watermark passes it, outer rows counted, across restarts`, async () => {
        spark.conf.set(PROVIDER, provider);
        const { imps, clicks, left, right } = inputs();
        left.createOrReplaceTempView("imps");
        right.createOrReplaceTempView("clicks");
        const query = form === "SQL" ? spark.sql(SQL) : dataFrameForm(left, right);
        const [b1, b2, b3] = BATCHES;
        await testStream(query, "append")
          // Watermark after: min(12, 14) - 10 = 2 s. Nothing closes.
          .addData(imps, b1!.imps).addData(clicks, b1!.clicks).checkNewAnswer([])
          .stopStream().startStream()
          // Watermark 20 s: the join's left state watermark, 20 - 5 s less 1 ms for the non-strict BETWEEN (Spark's),
          // evicts ads 1, 2 (with nulls) and 3; the aggregation runs on min(14.999, 20) s and closes [0, 10):
          // ads 1 and 2, one clicked. (Against the query's watermark, 20 s, ad 2's null row would be late.)
          .addData(imps, b2!.imps).addData(clicks, b2!.clicks).processAllAvailable()
          .checkNewAnswer([{ start: 0, n: 2, clicked: 1 }])
          .stopStream().startStream()
          // Watermark 90 s: the join's output watermark 84.999 s closes [10, 20) and [30, 40).
          .addData(imps, b3!.imps).addData(clicks, b3!.clicks).processAllAvailable()
          .checkNewAnswer([{ start: 10, n: 1, clicked: 1 }, { start: 30, n: 1, clicked: 1 }])
          .assertOnQuery("no row of the join was late for the aggregation", (q) => {
            for (const p of q.recentProgress) for (const s of p.stateOperators) expect(s.numRowsDroppedByWatermark).toBe(0);
          })
          .run();
      }, 60_000);
    }
  });

  test("the same as the batch query over the same rows (the windows the watermark has passed)", async () => {
    const imps = spark.createDataFrame(BATCHES.flatMap((b) => b.imps), "impAdId INT, impSec INT")
      .select(col("impAdId"), expr("timestamp_seconds(impSec)").as("impTime"));
    const clicks = spark.createDataFrame(BATCHES.flatMap((b) => b.clicks), "clickAdId INT, clickSec INT")
      .select(col("clickAdId"), expr("timestamp_seconds(clickSec)").as("clickTime"));
    const rows = await dataFrameForm(imps, clicks).where("start < 100").orderBy("start").collect();
    expect(rows).toEqual([{ start: 0, n: 2, clicked: 1 }, { start: 10, n: 1, clicked: 1 }, { start: 30, n: 1, clicked: 1 }]);
  });

  test("dropDuplicates after the join runs on its output watermark too", async () => {
    const { imps, clicks, left, right } = inputs();
    const deduped = left.join(right, expr(JOIN), "leftOuter").dropDuplicates(["impAdId", "impTime"])
      .select(col("impAdId"), expr("clickAdId IS NULL").as("unclicked"));
    await testStream(deduped, "append")
      .addData(imps, BATCHES[0]!.imps).addData(clicks, BATCHES[0]!.clicks)
      .checkNewAnswer([{ impAdId: 1, unclicked: false }, { impAdId: 3, unclicked: false }])
      // Ad 2's null row comes at the eviction, behind the query's watermark (20 s) but not the join's output watermark.
      .addData(imps, BATCHES[1]!.imps).addData(clicks, BATCHES[1]!.clicks).processAllAvailable()
      .checkNewAnswer([{ impAdId: 4, unclicked: false }, { impAdId: 2, unclicked: true }])
      .run();
  });

  test("what Spark still refuses keeps Spark's words: a stream–stream join in update mode", async () => {
    const { left, right } = inputs();
    const agg = left.join(right, expr(JOIN), "leftOuter").groupBy(window(col("impTime"), "10 seconds")).agg(count("*"));
    expect(() => agg.writeStream.format("memory").queryName("ssj_agg_update").outputMode("update").start())
      .toThrow(new AnalysisError("Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode"));
  });
});
