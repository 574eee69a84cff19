import { describe, expect, test } from "vitest";
import { Session, MemoryStream, col, lit, window, count, sum, avg, min, max } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs(() => Session.builder().getOrCreate());

// The engine issue's API contract, written exactly as the external checks call it.
describe("API contract", () => {
  test("windowed count with watermark in append mode through a memory sink", async () => {
    const dir = await tempDir("rivulet-contract-");
    const spark = Session.builder().appName("t").getOrCreate();
    const input = new MemoryStream(spark, "value INT");
    input.addData([{ value: 10 }, { value: 11 }]);
    const df = input.toDF()
      .withColumn("eventTime", col("value").cast("timestamp"))
      .withWatermark("eventTime", "10 seconds")
      .groupBy(window(col("eventTime"), "5 seconds"))
      .agg(count("*").as("count"))
      .select(col("window.start").cast("long").as("start"), col("count"));
    const q = df.writeStream.format("memory").queryName("contract_out").outputMode("append")
      .option("checkpointLocation", dir)
      .trigger({ availableNow: true })
      .start();
    await q.processAllAvailable();
    await q.awaitTermination();
    expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(1);
    // The watermark (11 − 10 = 1 s) has not passed the window [10, 15) yet: nothing emitted.
    expect(await spark.table("contract_out").collect()).toEqual([]);

    input.addData([{ value: 30 }]);
    const q2 = df.writeStream.format("memory").queryName("contract_out").outputMode("append")
      .option("checkpointLocation", dir)
      .trigger({ availableNow: true })
      .start();
    await q2.awaitTermination();
    // 30 − 10 = 20 s passes the end of [10, 15): it is emitted once, after the no-data batch.
    expect(await spark.table("contract_out").collect()).toEqual([{ start: 10, count: 2 }]);
    expect(sum).toBeTypeOf("function");
    expect([avg, min, max, lit]).toHaveLength(4);
  });

  test("readers exist for batch and streaming json", async () => {
    const dir = await tempDir("rivulet-contract-json-");
    const spark = Session.builder().appName("t").getOrCreate();
    const batch = spark.read.schema("time TIMESTAMP, action STRING").json(dir);
    expect(batch.isStreaming).toBe(false);
    expect(spark.read.schema("time TIMESTAMP, action STRING").format("json").load(dir).columns).toEqual(["time", "action"]);
    const stream = spark.readStream.schema("time TIMESTAMP, action STRING").json(dir);
    expect(stream.isStreaming).toBe(true);
    expect(await batch.collect()).toEqual([]);
  });
});
