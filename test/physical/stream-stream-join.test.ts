import { describe, test } from "vitest";
import { Session, col, expr, window } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { JOIN_STATE_PROVIDERS, useStateStoreProvider } from "./join-state-providers.ts";

scopedTmpdir("rivulet-stream-join-test-");

const ts = (seconds: string): ReturnType<typeof expr> => expr(`timestamp_seconds(${seconds})`);

/** Scenarios of Spark's StreamingJoinSuite (inner joins), worked out from Spark's documented semantics. */
describe.each(JOIN_STATE_PROVIDERS)("stream–stream inner joins (state store %s)", (provider) => {
  useStateStoreProvider(provider);
  test("on a non-time column: every pair meets once, whichever side comes first", async () => {
    const spark = Session.builder().getOrCreate();
    const input1 = new MemoryStream<{ value: number }>(spark, "value INT");
    const input2 = new MemoryStream<{ value: number }>(spark, "value INT");
    const df1 = input1.toDF().select(col("value").as("key"), col("value").multiply(2).as("leftValue"));
    const df2 = input2.toDF().select(col("value").as("key"), col("value").multiply(3).as("rightValue"));
    const joined = df1.join(df2, "key");
    await testStream(joined, "append")
      .addData(input1, [{ value: 1 }]).checkNewAnswer([])
      .addData(input2, [{ value: 1 }, { value: 10 }]).checkNewAnswer([{ key: 1, leftValue: 2, rightValue: 3 }])
      .addData(input1, [{ value: 10 }]).checkNewAnswer([{ key: 10, leftValue: 20, rightValue: 30 }])
      .addData(input2, [{ value: 1 }]).checkNewAnswer([{ key: 1, leftValue: 2, rightValue: 3 }])
      .stopStream().startStream()
      .addData(input1, [{ value: 1 }]).checkNewAnswer([{ key: 1, leftValue: 2, rightValue: 3 }, { key: 1, leftValue: 2, rightValue: 3 }])
      .assertNumStateRows(6, 1) // updates counted since the restart
      .run();
  });

  test("on windows with a watermark: state evicted by the window key, late rows dropped", async () => {
    const spark = Session.builder().getOrCreate();
    const input1 = new MemoryStream<{ value: number }>(spark, "value INT");
    const input2 = new MemoryStream<{ value: number }>(spark, "value INT");
    const df1 = input1.toDF()
      .select(col("value").as("key"), ts("value").as("timestamp"), col("value").multiply(2).as("leftValue"))
      .withWatermark("timestamp", "10 seconds")
      .select(col("key"), window(col("timestamp"), "10 seconds"), col("leftValue"));
    const df2 = input2.toDF()
      .select(col("value").as("key"), ts("value").as("timestamp"), col("value").multiply(3).as("rightValue"))
      .select(col("key"), window(col("timestamp"), "10 seconds"), col("rightValue"));
    const joined = df1.join(df2, ["key", "window"])
      .select(col("key"), expr("unix_seconds(window.end)").as("end"), col("leftValue"), col("rightValue"));
    await testStream(joined, "append")
      .addData(input1, [{ value: 1 }]).checkNewAnswer([])
      .assertNumStateRows(1, 1)
      .addData(input2, [{ value: 1 }]).checkNewAnswer([{ key: 1, end: 10, leftValue: 2, rightValue: 3 }])
      .assertNumStateRows(2, 1)
      .stopStream().startStream()
      // watermark = 15: the no-data batch after it evicts both rows of window [0, 10)
      .addData(input1, [{ value: 25 }]).checkNewAnswer([])
      .assertNumStateRows(1, 1)
      .addData(input2, [{ value: 25 }]).checkNewAnswer([{ key: 25, end: 30, leftValue: 50, rightValue: 75 }])
      .assertNumStateRows(2, 1)
      .stopStream().startStream()
      // window [0, 10) ends before the state watermark: not buffered (the right side has no watermark: not late)
      .addData(input2, [{ value: 1 }]).checkNewAnswer([])
      .assertNumStateRows(2, 0, 0)
      // the left side is watermarked: the row is late and dropped
      .addData(input1, [{ value: 5 }]).checkNewAnswer([])
      .assertNumStateRows(2, 0, 1)
      .run();
  });

  test("with a time range on one side: the state watermark the condition gives evicts the right side only", async () => {
    const spark = Session.builder().getOrCreate();
    const left = new MemoryStream<{ leftKey: number; time: number }>(spark, "leftKey INT, time INT");
    const right = new MemoryStream<{ rightKey: number; time: number }>(spark, "rightKey INT, time INT");
    const df1 = left.toDF().select(col("leftKey"), ts("time").as("leftTime"), col("leftKey").multiply(2).as("leftValue"))
      .withWatermark("leftTime", "10 seconds");
    const df2 = right.toDF().select(col("rightKey"), ts("time").as("rightTime"), col("rightKey").multiply(3).as("rightValue"))
      .withWatermark("rightTime", "10 seconds");
    const joined = df1.join(df2, expr("leftKey = rightKey AND leftTime < rightTime - interval 5 seconds"))
      .select(col("leftKey"), expr("unix_seconds(leftTime)").as("lt"), expr("unix_seconds(rightTime)").as("rt"));
    const row = (k: number, lt: number, rt: number) => ({ leftKey: k, lt, rt });
    await testStream(joined, "append")
      .addData(left, [{ leftKey: 1, time: 5 }]).checkNewAnswer([])
      .addData(right, [{ rightKey: 1, time: 11 }]).checkNewAnswer([row(1, 5, 11)])
      .addData(right, [{ rightKey: 1, time: 10 }]).checkNewAnswer([]) // 5 is not < 10 - 5
      .assertNumStateRows(3, 3)
      .addData(left, [{ leftKey: 1, time: 3 }, { leftKey: 1, time: 30 }]).checkNewAnswer([row(1, 3, 10), row(1, 3, 11)])
      .assertNumStateRows(5, 2)
      // watermark 20: right rows need rightTime > 20 + 5; (1, 11) and (1, 10) are evicted
      .addData(right, [{ rightKey: 0, time: 30 }]).checkNewAnswer([])
      .assertNumStateRows(4, 1)
      // (1, 20) late; (1, 21) joins but is not buffered (21 <= 25); (1, 28) joins and is buffered
      .addData(right, [{ rightKey: 1, time: 20 }, { rightKey: 1, time: 21 }, { rightKey: 1, time: 28 }])
      .checkNewAnswer([row(1, 3, 21), row(1, 5, 21), row(1, 3, 28), row(1, 5, 28)])
      .assertNumStateRows(5, 1, 1)
      .addData(left, [{ leftKey: 1, time: 20 }, { leftKey: 1, time: 21 }]).checkNewAnswer([row(1, 21, 28)])
      .assertNumStateRows(6, 1, 1)
      .run();
  });
});
