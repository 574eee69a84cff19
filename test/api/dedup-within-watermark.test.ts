import { describe, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session, col, timestamp_seconds } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

// Spark 3.5's dropDuplicatesWithinWatermark, with the scenarios of Spark's own
// StreamingDeduplicationWithinWatermarkSuite: a key is remembered until the watermark passes
// its first row's event time plus the delay, and the event time need not be a key.
const spark = Session.builder().appName("dedup-within-watermark").getOrCreate();
scopedTmpdir("rivulet-dedup-within-watermark-", spark);

describe("dropDuplicatesWithinWatermark", () => {
  test("over all columns, the event time among them: each key until its event time + delay is behind the watermark", async () => {
    const input = new MemoryStream<{ value: number }>(spark, "value INT");
    const result = input.toDF()
      .withColumn("eventTime", timestamp_seconds(col("value")))
      .withWatermark("eventTime", "10 seconds")
      .dropDuplicatesWithinWatermark()
      .select(col("eventTime").cast("long").as("t"));
    const values = (from: number, to: number): { value: number }[] => Array.from({ length: to - from + 1 }, (_, i) => ({ value: from + i }));
    const answer = (...ts: number[]) => ts.map((t) => ({ t }));
    await testStream(result, "append")
      // Watermark to 5 s: no key expires (10..15 expire at 20..25).
      .addData(input, [1, 2, 3, 4, 5].flatMap(() => values(10, 15)))
      .checkNewAnswer(answer(10, 11, 12, 13, 14, 15))
      .assertNumStateRows(6, 6)
      // 13..15 are duplicates; watermark to 7 s.
      .addData(input, values(13, 17))
      .checkNewAnswer(answer(16, 17))
      .assertNumStateRows(8, 2)
      // Behind the watermark: dropped as late, not as a duplicate.
      .addData(input, [{ value: 5 }])
      .checkNewAnswer([])
      .assertNumStateRows(8, 0, 1)
      // Watermark to 25 s: keys expiring at or before 25 (10..15) are forgotten.
      .addData(input, [{ value: 35 }])
      .checkNewAnswer(answer(35))
      .assertNumStateRows(3, 1)
      .addData(input, [{ value: 55 }])
      .checkNewAnswer(answer(55))
      .assertNumStateRows(1, 1)
      .run();
  });

  test("over a key without the event time: a later row of a key is a duplicate until the first one's expiry, across a restart", async () => {
    const input = new MemoryStream<{ k: string; s: number }>(spark, "k STRING, s INT");
    const result = input.toDF()
      .withColumn("eventTime", timestamp_seconds(col("s")))
      .withWatermark("eventTime", "2 seconds")
      .dropDuplicatesWithinWatermark("k")
      .select(col("k"), col("eventTime").cast("long").as("t"));
    await testStream(result, "append")
      .addData(input, [{ k: "a", s: 17 }]) // watermark to 15; a expires at 19
      .checkNewAnswer([{ k: "a", t: 17 }])
      .assertNumStateRows(1, 1)
      .addData(input, [{ k: "a", s: 16 }]) // a duplicate: the event time does not matter
      .checkNewAnswer([])
      .assertNumStateRows(1, 0)
      .stopStream().startStream()
      .addData(input, [{ k: "a", s: 13 }]) // behind the watermark
      .checkNewAnswer([])
      .assertNumStateRows(1, 0, 1)
      .addData(input, [{ k: "b", s: 22 }, { k: "c", s: 21 }]) // watermark to 20: a (19) expires
      .checkNewAnswer([{ k: "b", t: 22 }, { k: "c", t: 21 }])
      .assertNumStateRows(2, 2)
      .addData(input, [{ k: "a", s: 21 }]) // a is new again
      .checkNewAnswer([{ k: "a", t: 21 }])
      .assertNumStateRows(3, 1)
      .addData(input, [{ k: "d", s: 25 }]) // watermark to 23: a (23) and c (23) expire
      .checkNewAnswer([{ k: "d", t: 25 }])
      .assertNumStateRows(2, 1)
      .run();
  });

  test("refused in a batch query and on a stream without a watermark, with Spark's words", async () => {
    const batch = spark.range(10).dropDuplicatesWithinWatermark();
    await expect(batch.collect()).rejects.toThrow(AnalysisError);
    await expect(batch.collect()).rejects.toThrow("dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets");
    const input = new MemoryStream<{ value: string }>(spark, "value STRING");
    expect(() => input.toDF().dropDuplicatesWithinWatermark().writeStream.format("memory").queryName("no_watermark").start())
      .toThrow("dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets without watermark");
    expect(() => input.toDF().dropDuplicatesWithinWatermark("nope")).toThrow(/cannot resolve column name "nope"/);
  });
});
