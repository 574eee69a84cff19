import { describe, expect, test } from "vitest";
import { Session, col, count, expr, window, type Dataset } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

/**
 * The watermark's mark on the event-time column must survive aliases, projections, renames,
 * subquery aliases and window(): Spark's SPARK-27340. Each form runs in append mode and must
 * emit a window once the watermark passes its end, and no sooner, and drop its state then.
 */
scopedTmpdir("rivulet-watermark-aliases-");

const spark = Session.builder().appName("watermark-through-aliases").getOrCreate();

const at = (seconds: number): { eventTime: Date } => ({ eventTime: new Date(seconds * 1000) });
const input = (): MemoryStream<{ eventTime: Date }> => new MemoryStream<{ eventTime: Date }>(spark, "eventTime TIMESTAMP");

/** Spark's test: 10..15 open windows [10,15) and [15,20); 25 moves the watermark to 15 and closes [10,15). */
async function checkEmitsOnWatermark(events: MemoryStream<{ eventTime: Date }>, counts: Dataset<any>): Promise<void> {
  await testStream(counts, "append")
    .addData(events, [10, 11, 12, 13, 14, 15].map(at))
    .checkNewAnswer([])
    .addData(events, [at(25)])
    .checkNewAnswer([{ start: 10, count: 5 }])
    .assertNumStateRows(2)
    .addData(events, [at(10)]) // behind the watermark: dropped, nothing emitted
    .checkNewAnswer([])
    .assertNumStateRows(2)
    .run();
}

const startSeconds = (df: Dataset<any>, windowColumn: string): Dataset<any> =>
  df.select(col(windowColumn).getField("start").cast("long").as("start"), col("count"));

describe("SPARK-27340: an alias keeps the event-time watermark", () => {
  test("DataFrame: select(window(eventTime) AS aliasWindow), groupBy(aliasWindow)", async () => {
    const events = input();
    const aliasWindow = events.toDF().withWatermark("eventTime", "10 seconds")
      .select(window(col("eventTime"), "5 seconds").as("aliasWindow"));
    // The window derived from the watermarked column is itself event time (Spark marks it).
    expect(aliasWindow.plan.output[0]).toMatchObject({ name: "aliasWindow", eventTimeDelayMicros: 10_000_000 });
    const counts = aliasWindow.groupBy("aliasWindow").agg(count("*").as("count"));
    await checkEmitsOnWatermark(events, startSeconds(counts, "aliasWindow"));
  });

  test("DataFrame: the event-time column renamed, re-aliased and projected before the window", async () => {
    const events = input();
    const renamed = events.toDF().withWatermark("eventTime", "10 seconds")
      .withColumnRenamed("eventTime", "ts")
      .select(col("ts").as("t2"))
      .alias("sub")
      .select(col("sub.t2").as("t3"));
    expect(renamed.plan.output[0]).toMatchObject({ name: "t3", eventTimeDelayMicros: 10_000_000 });
    const counts = renamed.groupBy(window(col("t3"), "5 seconds").as("w")).agg(count("*").as("count"));
    await checkEmitsOnWatermark(events, startSeconds(counts, "w"));
  });

  test("DataFrame: withColumn(window) then withColumnRenamed on the window", async () => {
    const events = input();
    const counts = events.toDF().withWatermark("eventTime", "10 seconds")
      .withColumn("win", window(col("eventTime"), "5 seconds"))
      .withColumnRenamed("win", "hour")
      .groupBy("hour").agg(count("*").as("count"));
    await checkEmitsOnWatermark(events, startSeconds(counts, "hour"));
  });

  test("SQL: the window aliased in a subquery, grouped by the alias outside", async () => {
    const events = input();
    events.toDF().withWatermark("eventTime", "10 seconds").createOrReplaceTempView("wm_alias_events");
    const counts = spark.sql(`
      SELECT CAST(aliasWindow.start AS BIGINT) AS start, count(*) AS count
      FROM (SELECT window(eventTime, '5 seconds') AS aliasWindow FROM wm_alias_events) AS sub
      GROUP BY aliasWindow`);
    await checkEmitsOnWatermark(events, counts);
  });

  test("SQL: WATERMARK clause, then the event time aliased in a subquery", async () => {
    const events = input();
    events.toDF().createOrReplaceTempView("wm_clause_events");
    const counts = spark.sql(`
      SELECT CAST(window(q.t, '5 seconds').start AS BIGINT) AS start, count(*) AS count
      FROM (SELECT eventTime AS t FROM wm_clause_events WATERMARK eventTime DELAY OF INTERVAL 10 SECONDS) q
      GROUP BY window(q.t, '5 seconds')`);
    await checkEmitsOnWatermark(events, counts);
  });

  test("a column computed from the event time is not event time: append mode is refused, as in Spark", () => {
    const events = input();
    const shifted = events.toDF().withWatermark("eventTime", "10 seconds")
      .select(expr("CAST(CAST(eventTime AS STRING) AS TIMESTAMP)").as("later"));
    expect(shifted.plan.output[0]!.eventTimeDelayMicros).toBeUndefined();
    const counts = shifted.groupBy(window(col("later"), "5 seconds")).agg(count("*").as("count"));
    expect(() => counts.writeStream.format("memory").queryName("wm_refused").outputMode("append").start())
      .toThrow(/Append output mode not supported when there are streaming aggregations on streaming DataFrames\/DataSets without watermark/);
  });
});

describe("a window struct carrying the watermark drives other stateful operators too", () => {
  test("dropDuplicates on an aliased window: rows behind the watermark are dropped, old keys evicted", async () => {
    const events = new MemoryStream<{ eventTime: Date; id: string }>(spark, "eventTime TIMESTAMP, id STRING");
    const row = (s: number, id: string): { eventTime: Date; id: string } => ({ eventTime: new Date(s * 1000), id });
    const distinct = events.toDF().withWatermark("eventTime", "10 seconds")
      .select(window(col("eventTime"), "5 seconds").as("w"), col("id"))
      .dropDuplicates(["w", "id"])
      .select(col("w").getField("start").cast("long").as("start"), col("id"));
    await testStream(distinct, "append")
      .addData(events, [row(10, "a"), row(11, "a"), row(12, "b")])
      .checkNewAnswer([{ start: 10, id: "a" }, { start: 10, id: "b" }])
      .assertNumStateRows(2)
      .addData(events, [row(30, "a")]) // watermark 20: the windows ending at 15 are done
      .checkNewAnswer([{ start: 30, id: "a" }])
      .addData(events, [row(13, "c")]) // its window [10, 15) is behind the watermark: dropped
      .checkNewAnswer([])
      .assertNumStateRows(1)
      .run();
  });
});

describe("redefining a watermark (Spark's StreamingQuerySuite cases)", () => {
  const pairs = (): MemoryStream<{ first: Date; second: Date }> =>
    new MemoryStream<{ first: Date; second: Date }>(spark, "first TIMESTAMP, second TIMESTAMP");
  const overriding = (events: MemoryStream<{ first: Date; second: Date }>): Dataset<any> => events.toDF()
    .withWatermark("first", "1 minute")
    .select("*")
    .withWatermark("second", "2 minutes")
    .groupBy(window(col("second"), "1 minute")).agg(count("*").as("count"))
    .select(col("window").getField("start").cast("long").as("start"), col("count"));

  test("is refused by default at start(), with Spark's sentence naming the config", () => {
    const events = pairs();
    expect(() => overriding(events).writeStream.format("memory").queryName("wm_redefined").outputMode("append").start())
      .toThrow("Redefining watermark is disallowed. You can set the config 'spark.sql.streaming.statefulOperator.allowMultiple' to 'false' to restore the previous behavior. Note that multiple stateful operators will be disallowed.");
  });

  test("runs with spark.sql.streaming.statefulOperator.allowMultiple=false: the last watermark defines event time", async () => {
    spark.conf.set("spark.sql.streaming.statefulOperator.allowMultiple", "false");
    try {
      const events = pairs();
      const t = (s: number): Date => new Date(s * 1000);
      await testStream(overriding(events), "append")
        .addData(events, [{ first: t(100), second: t(200) }])
        .checkNewAnswer([])
        // the global watermark is the minimum of both (Spark's default policy): min(400 − 60, 400 − 120) = 280 s
        .addData(events, [{ first: t(400), second: t(400) }])
        .checkNewAnswer([{ start: 180, count: 1 }])
        .run();
    } finally {
      spark.conf.set("spark.sql.streaming.statefulOperator.allowMultiple", "true");
    }
  });
});
