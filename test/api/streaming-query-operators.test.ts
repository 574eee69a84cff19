import { describe, expect, test } from "vitest";
import { MemoryStream, col, count, lit, sum, window } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { sec, streamingQueryFixtures } from "./streaming-query-fixtures.ts";

const { spark, uniqueName, tempDir, events, memoryQuery } = streamingQueryFixtures("streaming-operators");

describe("output modes and operators", () => {
  test("complete mode replaces the memory table each batch", async () => {
    const { input, df } = events();
    await testStream(df.groupBy("id").count(), "complete")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "b", time: sec(1) }])
      .checkAnswer([{ id: "a", count: 1 }, { id: "b", count: 1 }])
      .addData(input, [{ id: "a", time: sec(2) }])
      .checkAnswer([{ id: "a", count: 2 }, { id: "b", count: 1 }])
      .run();
  });

  test("update mode appends only the changed rows", async () => {
    const { input, df } = events();
    await testStream(df.groupBy("id").agg(count("*").as("n")), "update")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "b", time: sec(1) }])
      .checkNewAnswer([{ id: "a", n: 1 }, { id: "b", n: 1 }])
      .addData(input, [{ id: "a", time: sec(2) }, { id: "a", time: sec(3) }])
      .checkNewAnswer([{ id: "a", n: 3 }])
      .checkAnswer([{ id: "a", n: 1 }, { id: "b", n: 1 }, { id: "a", n: 3 }])
      .run();
  });

  test("dropDuplicates without a watermark keeps state forever", async () => {
    const { input, df } = events();
    await testStream(df.dropDuplicates("id"), "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "a", time: sec(2) }, { id: "b", time: sec(3) }])
      .checkNewAnswer([{ id: "a", time: sec(1) }, { id: "b", time: sec(3) }])
      .addData(input, [{ id: "a", time: sec(100) }, { id: "c", time: sec(4) }])
      .checkNewAnswer([{ id: "c", time: sec(4) }])
      .assertOnQuery("check", (q) => expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(3))
      .run();
  });

  test("dropDuplicates with a watermark drops late rows and evicts old keys", async () => {
    const { input, df } = events();
    const deduped = df.withWatermark("time", "10 seconds").dropDuplicates("id", "time");
    await testStream(deduped, "append")
      .addData(input, [{ id: "a", time: sec(10) }, { id: "a", time: sec(10) }, { id: "b", time: sec(12) }])
      .checkNewAnswer([{ id: "a", time: sec(10) }, { id: "b", time: sec(12) }])
      .addData(input, [{ id: "c", time: sec(40) }])
      .checkNewAnswer([{ id: "c", time: sec(40) }])
      // Watermark is now 30 s: the (a, 10 s) and (b, 12 s) keys are gone, (a, 10 s) is late.
      .assertOnQuery("check", (q) => expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(1))
      .addData(input, [{ id: "a", time: sec(10) }, { id: "d", time: sec(35) }, { id: "c", time: sec(40) }])
      .checkNewAnswer([{ id: "d", time: sec(35) }])
      .assertOnQuery("check", (q) => {
        const p = q.recentProgress.filter((x) => x.numInputRows === 3).at(-1)!;
        expect(p.batchId).toBeGreaterThan(0);
        expect(p.stateOperators[0]!.numRowsDroppedByWatermark).toBe(1);
      })
      .run();
  });

  test("union of two streams", async () => {
    const a = events(), b = events();
    await testStream(a.df.union(b.df), "append")
      .addData(a.input, [{ id: "a1", time: sec(1) }])
      .addData(b.input, [{ id: "b1", time: sec(2) }, { id: "b2", time: sec(3) }])
      .checkNewAnswer([{ id: "a1", time: sec(1) }, { id: "b1", time: sec(2) }, { id: "b2", time: sec(3) }])
      .addData(b.input, [{ id: "b3", time: sec(4) }])
      .checkNewAnswer([{ id: "b3", time: sec(4) }])
      .run();
  });

  test("stream–static inner join", async () => {
    const { input, df } = events();
    const users = spark.createDataFrame([{ id: "a", country: "FR" }, { id: "b", country: "JP" }], "id STRING, country STRING");
    const joined = df.join(users, "id").select("id", "country");
    expect(joined.isStreaming).toBe(true);
    await testStream(joined, "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "z", time: sec(1) }])
      .checkNewAnswer([{ id: "a", country: "FR" }])
      .addData(input, [{ id: "b", time: sec(2) }, { id: "a", time: sec(3) }])
      .checkNewAnswer([{ id: "b", country: "JP" }, { id: "a", country: "FR" }])
      .run();
  });

  test("orderBy + limit on an aggregation in complete mode", async () => {
    const { input, df } = events();
    const top = df.groupBy("id").count().orderBy(col("count").desc()).limit(2);
    const name = uniqueName("top");
    const q = memoryQuery(top, "complete", name);
    try {
      input.addData(["a", "b", "b", "c", "c", "c"].map((id, i) => ({ id, time: sec(i) })));
      await q.processAllAvailable();
      expect(await spark.table(name).collect()).toEqual([{ id: "c", count: 3 }, { id: "b", count: 2 }]);
      input.addData(["a", "a", "a", "a"].map((id, i) => ({ id, time: sec(i) })));
      await q.processAllAvailable();
      expect(await spark.table(name).collect()).toEqual([{ id: "a", count: 5 }, { id: "c", count: 3 }]);
    } finally {
      await q.stop();
    }
  });

  test("noDataMicroBatches.enabled=false delays append output until the next data batch", async () => {
    spark.conf.set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
    try {
      const input = new MemoryStream<{ value: number }>(spark, "value INT");
      const df = input.toDF().withColumn("t", col("value").cast("timestamp")).withWatermark("t", "10 seconds")
        .groupBy(window(col("t"), "5 seconds")).agg(count("*").as("n")).select(col("window.start").cast("long").as("start"), col("n"));
      await testStream(df, "append")
        .addData(input, [{ value: 10 }, { value: 11 }])
        .checkNewAnswer([])
        .addData(input, [{ value: 30 }])
        // The watermark moved to 20 s, but no batch runs without new data.
        .checkNewAnswer([])
        .assertOnQuery("check", (q) => expect(q.lastProgress.batchId).toBe(1))
        .addData(input, [{ value: 31 }])
        .checkNewAnswer([{ start: 10, n: 2 }])
      .run();
    } finally {
      spark.conf.unset("spark.sql.streaming.noDataMicroBatches.enabled");
    }
  });

  test("restart from a checkpoint keeps state and does not duplicate output", async () => {
    const { input, df } = events();
    const counts = df.groupBy("id").agg(count("*").as("n"), sum(lit(1)).as("s"));
    await testStream(counts, "update")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "b", time: sec(1) }])
      .checkNewAnswer([{ id: "a", n: 1, s: 1 }, { id: "b", n: 1, s: 1 }])
      .stopStream()
      .startStream()
      // Nothing new: the restarted query re-emits nothing.
      .checkNewAnswer([])
      .addData(input, [{ id: "a", time: sec(2) }])
      .checkNewAnswer([{ id: "a", n: 2, s: 2 }])
      .assertOnQuery("check", (q) => expect(q.lastProgress.batchId).toBe(1))
      .stopStream()
      .addData(input, [{ id: "b", time: sec(3) }, { id: "c", time: sec(3) }])
      .startStream()
      .checkNewAnswer([{ id: "b", n: 2, s: 2 }, { id: "c", n: 1, s: 1 }])
      .run();
  });

  test("restart keeps the query id, changes the run id", async () => {
    const { input, df } = events();
    const checkpoint = await tempDir();
    const name = uniqueName("ids");
    const q1 = memoryQuery(df, "append", name, checkpoint);
    input.addData({ id: "a", time: sec(1) });
    await q1.processAllAvailable();
    await q1.stop();
    const q2 = memoryQuery(df, "append", name, checkpoint);
    try {
      await q2.processAllAvailable();
      expect(q2.id).toBe(q1.id);
      expect(q2.runId).not.toBe(q1.runId);
      expect(await spark.table(name).count()).toBe(1);
    } finally {
      await q2.stop();
    }
  });
});
