import { describe, test } from "vitest";
import { Session, col, expr, window, type DataFrame } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { JOIN_STATE_PROVIDERS, useStateStoreProvider } from "./join-state-providers.ts";

scopedTmpdir("rivulet-stream-outer-join-test-");

type Input = MemoryStream<{ value: number }>;

/** Spark's StreamingOuterJoinSuite.setupStream: key, <prefix>Time = key seconds, <prefix>Value = key × multiplier, 10 s watermark. */
function setupStream(spark: Session, prefix: string, multiplier: number): [Input, DataFrame] {
  const input: Input = new MemoryStream(spark, "value INT");
  const df = input.toDF()
    .select(col("value").as("key"), expr("timestamp_seconds(value)").as(`${prefix}Time`), col("value").multiply(multiplier).as(`${prefix}Value`))
    .withWatermark(`${prefix}Time`, "10 seconds");
  return [input, df];
}

/** Spark's setupWindowedJoin: a USING join on (key, window) of 10-second windows. */
function windowedJoin(joinType: string): [Input, Input, DataFrame] {
  const spark = Session.builder().getOrCreate();
  const [leftInput, df1] = setupStream(spark, "left", 2);
  const [rightInput, df2] = setupStream(spark, "right", 3);
  const left = df1.select(col("key"), window(col("leftTime"), "10 seconds"), col("leftValue"));
  const right = df2.select(col("key"), window(col("rightTime"), "10 seconds"), col("rightValue"));
  const joined = left.join(right, ["key", "window"], joinType);
  const selected = joinType === "left_semi"
    ? joined.select(col("key"), expr("unix_seconds(window.end)").as("end"), col("leftValue"))
    : joined.select(col("key"), expr("unix_seconds(window.end)").as("end"), col("leftValue"), col("rightValue"));
  return [leftInput, rightInput, selected];
}

const values = (...xs: number[]) => xs.map((value) => ({ value }));
const row = (key: number | null, end: number | null, leftValue: number | null, rightValue?: number | null) =>
  (rightValue === undefined ? { key, end, leftValue } : { key, end, leftValue, rightValue });

describe.each(JOIN_STATE_PROVIDERS)("stream–stream outer joins (state store %s)", (provider) => {
  useStateStoreProvider(provider);
  test("windowed left outer join: nulls for unmatched left rows once the watermark passes their window, exactly once", async () => {
    const [leftInput, rightInput, joined] = windowedJoin("left_outer");
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3, 4, 5)).addData(rightInput, values(3, 4, 5, 6, 7))
      .checkNewAnswer([row(3, 10, 6, 9), row(4, 10, 8, 12), row(5, 10, 10, 15)])
      // watermark = 11: the no-data batch evicts window [0, 10) and emits the unmatched left rows
      .addData(leftInput, values(21)).addData(rightInput, values(22))
      .checkNewAnswer([row(1, 10, 2, null), row(2, 10, 4, null)])
      .assertNumStateRows(2, 12)
      .addData(leftInput, values(22)).checkNewAnswer([row(22, 30, 44, 66)])
      .assertNumStateRows(3, 1)
      .stopStream().startStream()
      .addData(leftInput, values(1)).checkNewAnswer([])
      .assertNumStateRows(3, 0, 1)
      .addData(rightInput, values(5)).checkNewAnswer([])
      .assertNumStateRows(3, 0, 1)
      .run();
  });

  test("windowed right outer join", async () => {
    const [leftInput, rightInput, joined] = windowedJoin("right_outer");
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3, 4, 5)).addData(rightInput, values(3, 4, 5, 6, 7))
      .checkNewAnswer([row(3, 10, 6, 9), row(4, 10, 8, 12), row(5, 10, 10, 15)])
      .addData(leftInput, values(21)).addData(rightInput, values(22))
      .checkNewAnswer([row(6, 10, null, 18), row(7, 10, null, 21)])
      .assertNumStateRows(2, 12)
      .addData(leftInput, values(22)).checkNewAnswer([row(22, 30, 44, 66)])
      .assertNumStateRows(3, 1)
      .stopStream().startStream()
      .addData(leftInput, values(1)).checkNewAnswer([])
      .assertNumStateRows(3, 0, 1)
      .run();
  });

  test("windowed full outer join: unmatched rows of both sides, each once", async () => {
    const spark = Session.builder().getOrCreate();
    const [leftInput, df1] = setupStream(spark, "left", 2);
    const [rightInput, df2] = setupStream(spark, "right", 3);
    const left = df1.select(col("key"), window(col("leftTime"), "10 seconds"), col("leftValue"));
    const right = df2.select(col("key").as("rkey"), window(col("rightTime"), "10 seconds").as("rwindow"), col("rightValue"));
    // Here the condition names both sides' columns (the USING form is the test below).
    const joined = left.join(right, expr("key = rkey AND window = rwindow"), "full_outer")
      .select(expr("coalesce(key, rkey)").as("key"), expr("unix_seconds(coalesce(window, rwindow).end)").as("end"), col("leftValue"), col("rightValue"));
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3, 4, 5)).addData(rightInput, values(3, 4, 5, 6, 7))
      .checkNewAnswer([row(3, 10, 6, 9), row(4, 10, 8, 12), row(5, 10, 10, 15)])
      .addData(leftInput, values(21)).addData(rightInput, values(22))
      .checkNewAnswer([row(1, 10, 2, null), row(2, 10, 4, null), row(6, 10, null, 18), row(7, 10, null, 21)])
      .assertNumStateRows(2, 12)
      .addData(leftInput, values(22)).checkNewAnswer([row(22, 30, 44, 66)])
      .assertNumStateRows(3, 1)
      .stopStream().startStream()
      // watermark 30: window [20, 30) closes; left 21 never matched (left and right 22 did)
      .addData(leftInput, values(40)).addData(rightInput, values(41))
      .checkNewAnswer([row(21, 30, 42, null)])
      .assertNumStateRows(2, 2)
      .run();
  });

  test("windowed full outer USING join: key and window coalesced from both sides (right-only rows keep theirs)", async () => {
    const [leftInput, rightInput, joined] = windowedJoin("full_outer");
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3, 4, 5)).addData(rightInput, values(3, 4, 5, 6, 7))
      .checkNewAnswer([row(3, 10, 6, 9), row(4, 10, 8, 12), row(5, 10, 10, 15)])
      .addData(leftInput, values(21)).addData(rightInput, values(22))
      .checkNewAnswer([row(1, 10, 2, null), row(2, 10, 4, null), row(6, 10, null, 18), row(7, 10, null, 21)])
      .assertNumStateRows(2, 12)
      .assertOnQuery("Spark's counts of a join's state stores", (q) => {
        const op = q.lastProgress!.stateOperators[0]!;
        // Spark's four stores a partition: keyToNumValues and keyWithIndexToValue of each side.
        // Both sides are outer sides: Spark removes their rows while emitting nulls and counts none as removed.
        if (op.operatorName !== "symmetricHashJoin" || op.numStateStoreInstances !== 4 || op.numShufflePartitions !== 1 || op.numRowsRemoved !== 0) {
          throw new Error(`state operator ${JSON.stringify(op)}`);
        }
      })
      .run();
  });

  test("windowed left semi join: each left row once, matched left rows not buffered", async () => {
    const [leftInput, rightInput, joined] = windowedJoin("left_semi");
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3, 4, 5)).addData(rightInput, values(3, 4, 5, 6, 7))
      .checkNewAnswer([row(3, 10, 6), row(4, 10, 8), row(5, 10, 10)])
      .assertNumStateRows(10, 10)
      .addData(leftInput, values(21)).addData(rightInput, values(22))
      .checkNewAnswer([])
      .assertNumStateRows(2, 2)
      .addData(leftInput, values(22)).checkNewAnswer([row(22, 30, 44)])
      .assertNumStateRows(2, 0)
      .addData(rightInput, values(21)).checkNewAnswer([row(21, 30, 42)])
      .addData(rightInput, values(21)).checkNewAnswer([])
      .stopStream().startStream()
      .addData(rightInput, values(21)).checkNewAnswer([])
      .run();
  });

  test("left outer early state exclusion: left rows failing a left-only condition are emitted at once, never buffered", async () => {
    const spark = Session.builder().getOrCreate();
    const [leftInput, df1] = setupStream(spark, "left", 2);
    const [rightInput, df2] = setupStream(spark, "right", 3);
    const left = df1.select(col("key"), window(col("leftTime"), "10 seconds"), col("leftValue"));
    const right = df2.select(col("key").as("rkey"), window(col("rightTime"), "10 seconds").as("rwindow"), col("rightValue").cast("string").as("rightValue"));
    const joined = left.join(right, expr("key = rkey AND window = rwindow AND leftValue > 4"), "left_outer")
      .select(col("key"), expr("unix_seconds(window.end)").as("end"), col("leftValue"), col("rightValue"));
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3)).addData(rightInput, values(3, 4, 5))
      .checkNewAnswer([{ key: 3, end: 10, leftValue: 6, rightValue: "9" }, { key: 1, end: 10, leftValue: 2, rightValue: null }, { key: 2, end: 10, leftValue: 4, rightValue: null }])
      .assertNumStateRows(4, 4)
      .addData(leftInput, values(20)).addData(rightInput, values(21)).checkNewAnswer([])
      .addData(rightInput, values(20)).checkNewAnswer([{ key: 20, end: 30, leftValue: 40, rightValue: "60" }])
      .run();
  });
});
