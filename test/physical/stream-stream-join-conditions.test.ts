import { describe, test } from "vitest";
import { Session, col, expr, window, type DataFrame } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { JOIN_STATE_PROVIDERS, useStateStoreProvider } from "./join-state-providers.ts";

scopedTmpdir("rivulet-stream-join-conditions-test-");

type Pairs = MemoryStream<{ key: number; time: number }>;

/** Spark's StreamingJoinSuite.setupJoinWithRangeCondition: `leftTime BETWEEN rightTime - bound AND rightTime + bound`. */
function rangeJoin(joinType: string, watermark = "10 seconds", bound = "interval 5 seconds"): [Pairs, Pairs, DataFrame] {
  const spark = Session.builder().getOrCreate();
  const leftInput: Pairs = new MemoryStream(spark, "key INT, time INT");
  const rightInput: Pairs = new MemoryStream(spark, "key INT, time INT");
  const df1 = leftInput.toDF().select(col("key").as("leftKey"), expr("timestamp_seconds(time)").as("leftTime"), col("key").multiply(2).as("leftValue"))
    .withWatermark("leftTime", watermark);
  const df2 = rightInput.toDF().select(col("key").as("rightKey"), expr("timestamp_seconds(time)").as("rightTime"), col("key").multiply(3).as("rightValue"))
    .withWatermark("rightTime", watermark);
  const joined = df1.join(df2, expr(`leftKey = rightKey AND leftTime BETWEEN rightTime - ${bound} AND rightTime + ${bound}`), joinType);
  const selected = joinType === "left_semi"
    ? joined.select(col("leftKey"), expr("unix_seconds(leftTime)").as("lt"))
    : joined.select(col("leftKey"), col("rightKey"), expr("unix_seconds(leftTime)").as("lt"), expr("unix_seconds(rightTime)").as("rt"));
  return [leftInput, rightInput, selected];
}

const kt = (...pairs: [number, number][]) => pairs.map(([key, time]) => ({ key, time }));
const r4 = (leftKey: number | null, rightKey: number | null, lt: number | null, rt: number | null) => ({ leftKey, rightKey, lt, rt });

describe.each(JOIN_STATE_PROVIDERS)("stream–stream joins with range conditions (state store %s)", (provider) => {
  useStateStoreProvider(provider);
  for (const [joinType, outer] of [["left_outer", r4(3, null, 5, null)], ["right_outer", r4(null, 2, null, 5)]] as const) {
    test(`${joinType.replace("_", " ")} with a watermark range condition: nulls once the state watermark passes`, async () => {
      const [leftInput, rightInput, joined] = rangeJoin(joinType);
      await testStream(joined, "append")
        .addData(leftInput, kt([1, 5], [3, 5])).checkAnswer([])
        .addData(rightInput, kt([1, 10], [2, 5])).checkNewAnswer([r4(1, 1, 5, 10)])
        .addData(rightInput, kt([1, 11])).checkNewAnswer([]) // left time too low
        .assertNumStateRows(5, 5)
        .addData(leftInput, kt([1, 7], [1, 30])).checkNewAnswer([r4(1, 1, 7, 10), r4(1, 1, 7, 11)])
        .assertNumStateRows(7, 2)
        // watermark = 30 - 10 = 20: the no-data batch evicts both sides below 15 and emits the outer row
        .addData(rightInput, kt([0, 30])).checkNewAnswer([outer])
        .assertNumStateRows(2, 1)
        .run();
    });
  }

  test("a range in minutes and seconds (interval 3 minutes 30 seconds), with a 10 minute watermark", async () => {
    const [leftInput, rightInput, joined] = rangeJoin("left_outer", "10 minutes", "interval 3 minutes 30 seconds");
    await testStream(joined, "append")
      .addData(leftInput, kt([1, 210], [3, 5])).checkAnswer([])
      .addData(rightInput, kt([1, 300], [2, 5])).checkNewAnswer([r4(1, 1, 210, 300)])
      .addData(rightInput, kt([1, 450])).checkNewAnswer([])
      .assertNumStateRows(5, 5)
      .addData(leftInput, kt([1, 260], [1, 1800])).checkNewAnswer([r4(1, 1, 260, 300), r4(1, 1, 260, 450)])
      .assertNumStateRows(7, 2)
      .addData(rightInput, kt([0, 1800])).checkNewAnswer([r4(3, null, 5, null)])
      .assertNumStateRows(2, 1)
      .run();
  });

  test("left semi join with a range condition", async () => {
    const [leftInput, rightInput, joined] = rangeJoin("left_semi");
    await testStream(joined, "append")
      .addData(leftInput, kt([1, 5], [3, 5])).checkAnswer([])
      .addData(rightInput, kt([1, 10], [2, 5])).checkNewAnswer([{ leftKey: 1, lt: 5 }])
      .addData(rightInput, kt([1, 11])).checkNewAnswer([])
      .addData(leftInput, kt([1, 7], [1, 30])).checkNewAnswer([{ leftKey: 1, lt: 7 }])
      .addData(rightInput, kt([0, 30])).checkNewAnswer([])
      .run();
  });

  test("left outer join with non-key conditions: the right-side one filters below the watermark, the left-side one emits nulls at once", async () => {
    const spark = Session.builder().getOrCreate();
    const setup = (prefix: string, multiplier: number): [MemoryStream<{ value: number }>, DataFrame] => {
      const input = new MemoryStream<{ value: number }>(spark, "value INT");
      return [input, input.toDF()
        .select(col("value").as("key"), expr("timestamp_seconds(value)").as(`${prefix}Time`), col("value").multiply(multiplier).as(`${prefix}Value`))
        .withWatermark(`${prefix}Time`, "10 seconds")];
    };
    const [leftInput, simpleLeft] = setup("left", 2);
    const [rightInput, simpleRight] = setup("right", 3);
    const left = simpleLeft.select(col("key"), window(col("leftTime"), "10 seconds"), col("leftValue"));
    const right = simpleRight.select(col("key"), window(col("rightTime"), "10 seconds"), col("rightValue"));
    const joined = left.join(right,
      left.col("key").equalTo(right.col("key")).and(left.col("window").equalTo(right.col("window")))
        .and(col("leftValue").gt(10)).and(col("rightValue").lt(300).or(col("rightValue").gt(1000))),
      "left_outer")
      .select(left.col("key"), left.col("window.end").as("end"), col("leftValue"), col("rightValue"))
      .select(col("key"), expr("unix_seconds(end)").as("end"), col("leftValue"), col("rightValue"));
    const values = (...xs: number[]) => xs.map((value) => ({ value }));
    const row = (key: number, end: number, leftValue: number, rightValue: number | null) => ({ key, end, leftValue, rightValue });
    await testStream(joined, "append")
      .addData(leftInput, values(1, 2, 3)).addData(rightInput, values(1, 2, 3))
      .checkNewAnswer([row(1, 10, 2, null), row(2, 10, 4, null), row(3, 10, 6, null)])
      .assertNumStateRows(3, 3) // only the right rows are buffered
      .addData(leftInput, values(20)).addData(rightInput, values(21)).checkNewAnswer([])
      .assertNumStateRows(2, 2)
      .addData(rightInput, values(20)).checkNewAnswer([row(20, 30, 40, 60)])
      .assertNumStateRows(3, 1)
      .addData(leftInput, values(40, 41)).addData(rightInput, values(40, 41))
      .checkNewAnswer([row(40, 50, 80, 120), row(41, 50, 82, 123)])
      .assertNumStateRows(4, 4)
      .addData(leftInput, values(70)).addData(rightInput, values(71)).checkNewAnswer([])
      .assertNumStateRows(2, 2)
      .addData(rightInput, values(70)).checkNewAnswer([row(70, 80, 140, 210)])
      .assertNumStateRows(3, 1)
      // right values 303..309 fail the right-side condition below the right watermark: it stays at 61
      .addData(leftInput, values(101, 102, 103)).addData(rightInput, values(101, 102, 103)).checkNewAnswer([])
      .assertNumStateRows(6, 3)
      .addData(leftInput, values(1000)).addData(rightInput, values(1001))
      .checkNewAnswer([row(101, 110, 202, null), row(102, 110, 204, null), row(103, 110, 206, null)])
      .assertNumStateRows(2, 2)
      .run();
  });

  test("a self left outer join emits no nulls for rows that matched (SPARK-26187)", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ id: number; t: number }>(spark, "id INT, t BIGINT");
    const df = input.toDF().select(col("id").as("value"), expr("timestamp_seconds(t)").as("timestamp"));
    const leftStream = df.select(col("value").as("leftId"), col("timestamp").as("leftTime"));
    const rightStream = df.where(expr("value % 2 = 0")).select(col("value").as("rightId"), col("timestamp").as("rightTime"));
    const query = leftStream.withWatermark("leftTime", "5 seconds")
      .join(rightStream.withWatermark("rightTime", "5 seconds"),
        expr("leftId = rightId AND rightTime >= leftTime AND rightTime <= leftTime + interval 5 seconds"), "leftOuter")
      .select(col("leftId"), expr("unix_seconds(leftTime)").as("lt"), col("rightId"), expr("unix_seconds(rightTime)").as("rt"));
    const add = (...ids: number[]) => ids.map((id) => ({ id, t: id }));
    const r = (l: number, lt: number, rr: number | null, rt: number | null) => ({ leftId: l, lt, rightId: rr, rt });
    await testStream(query, "append")
      .addData(input, add(1, 2, 3, 4, 5)).checkNewAnswer([r(2, 2, 2, 2), r(4, 4, 4, 4)])
      .assertNumStateRows(7, 7)
      .addData(input, add(6, 7, 8, 9, 10)).checkNewAnswer([r(6, 6, 6, 6), r(8, 8, 8, 8), r(10, 10, 10, 10)])
      .assertNumStateRows(13, 8)
      .addData(input, add(11, 12, 13, 14, 15))
      .checkNewAnswer([r(12, 12, 12, 12), r(14, 14, 14, 14), r(1, 1, null, null), r(3, 3, null, null)])
      .assertNumStateRows(15, 7)
      .run();
  });

  for (const joinType of ["left_outer", "right_outer"] as const) {
    const outerSide = joinType === "left_outer" ? "left" : "right";
    test(`${joinType.replace("_", " ")}: an on-time ${outerSide} row its state watermark evicts at once is still buffered, then comes out with nulls (Spark's AddingProcessedRowToStateCompletionIterator)`, async () => {
      const spark = Session.builder().getOrCreate();
      const leftInput: Pairs = new MemoryStream(spark, "key INT, time INT");
      const rightInput: Pairs = new MemoryStream(spark, "key INT, time INT");
      const df1 = leftInput.toDF().select(col("key").as("leftKey"), expr("timestamp_seconds(time)").as("leftTime")).withWatermark("leftTime", "10 seconds");
      const df2 = rightInput.toDF().select(col("key").as("rightKey"), expr("timestamp_seconds(time)").as("rightTime")).withWatermark("rightTime", "10 seconds");
      // The outer side's rows must be 5–15 s after the other side's: one at most 5 s past the watermark can meet no future row.
      const [outer, other] = joinType === "left_outer" ? ["leftTime", "rightTime"] : ["rightTime", "leftTime"];
      const joined = df1.join(df2, expr(`leftKey = rightKey AND ${outer} >= ${other} + interval 5 seconds AND ${outer} <= ${other} + interval 15 seconds`), joinType)
        .select(col("leftKey"), col("rightKey"), expr("unix_seconds(leftTime)").as("lt"), expr("unix_seconds(rightTime)").as("rt"));
      const outerInput = joinType === "left_outer" ? leftInput : rightInput;
      const outerRow = joinType === "left_outer" ? r4(1, null, 93, null) : r4(null, 1, null, 93);
      await testStream(joined, "append")
        .addData(leftInput, kt([0, 100])).addData(rightInput, kt([0, 100])).checkNewAnswer([])
        // watermark 90: the row at 93 is on time, but the outer side's state watermark is 95
        .addData(outerInput, kt([1, 93])).checkNewAnswer([outerRow])
        .assertNumStateRows(2, 3) // buffered (updated) and evicted in the same batch
        .run();
    });
  }
});
