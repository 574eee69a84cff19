import { describe, expect, test } from "vitest";
import { Observation, Session, col, count, expr, lit, max, sum } from "../../src/index.ts";
import { MemoryStream } from "../../src/testing/index.ts";

const spark = Session.builder().getOrCreate();

describe("Dataset.observe with an Observation (batch)", () => {
  test("the metrics of the observed rows, by name; the Dataset's rows unchanged", async () => {
    const df = spark.createDataFrame([[1, "a"], [5, "b"], [3, "a"]], ["v", "s"]);
    const observation = new Observation("stats");
    const observed = df.filter("v > 1").observe(observation, count(lit(1)).as("rows"), max(col("v")).as("maxv"), expr("sum(v)").as("total"));
    expect(await observed.orderBy("v").collect()).toEqual([{ v: 3, s: "a" }, { v: 5, s: "b" }]);
    expect(await observation.get).toEqual({ rows: 2, maxv: 5, total: 8 });
    expect(() => df.observe(observation, count(lit(1)))).toThrow("An Observation can be used with a Dataset only once");
    await expect(new Observation("unused").get).rejects.toThrow("was not used with Dataset.observe");
  });

  test("non-aggregate metrics fail as Spark's CheckAnalysis", () => {
    const df = spark.createDataFrame([[1]], ["v"]);
    expect(() => df.observe("m", col("v").as("v"))).toThrow(
      '[INVALID_OBSERVED_METRICS.NON_AGGREGATE_FUNC_ARG_IS_ATTRIBUTE] Invalid observed metrics. Attribute "v" can only be used as an argument to an aggregate function.',
    );
    expect(() => df.observe("m", sum(max(col("v"))))).toThrow("[INVALID_OBSERVED_METRICS.NESTED_AGGREGATES_UNSUPPORTED]");
  });
});

describe("Dataset.observe on a stream: lastProgress.observedMetrics per batch", () => {
  test("each batch's metrics by name, in lastProgress, its JSON and the listeners' QueryProgressEvent", async () => {
    const events = new MemoryStream(spark, "v INT");
    const seen: unknown[] = [];
    const listener = { onQueryStarted() {}, onQueryTerminated() {}, onQueryProgress(e: { progress: { observedMetrics: Record<string, unknown> } }) { seen.push(e.progress.observedMetrics); } };
    spark.streams.addListener(listener as never);
    const q = events.toDF().filter("v > 0")
      .observe("metric", count(lit(1)).as("rows"), max(col("v")).as("maxv"))
      .writeStream.format("memory").queryName("observed_stream").start();
    try {
      events.addData([{ v: 1 }, { v: 5 }, { v: -2 }]);
      await q.processAllAvailable();
      expect(q.lastProgress!.observedMetrics).toEqual({ metric: { rows: 2, maxv: 5 } });
      events.addData([{ v: 7 }]);
      await q.processAllAvailable();
      expect(q.lastProgress!.observedMetrics).toEqual({ metric: { rows: 1, maxv: 7 } });
      expect(JSON.parse(q.lastProgress!.json).observedMetrics).toEqual({ metric: { rows: 1, maxv: 7 } });
      expect(await spark.table("observed_stream").count()).toBe(3);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toContainEqual({ metric: { rows: 1, maxv: 7 } });
    } finally {
      await q.stop();
      spark.streams.removeListener(listener as never);
    }
  });

  test("a transformation after observe on a stream is refused at start", () => {
    const events = new MemoryStream(spark, "v INT");
    const df = events.toDF().observe("m", count(lit(1))).filter("v > 0");
    expect(() => df.writeStream.format("memory").queryName("observed_late").start()).toThrow("call observe() last");
  });
});
