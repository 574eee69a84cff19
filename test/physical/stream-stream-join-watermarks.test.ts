import { afterEach, describe, expect, test } from "vitest";
import { Session, col, expr, type DataFrame } from "../../src/index.ts";
import { MemoryStream, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { JOIN_STATE_PROVIDERS, useStateStoreProvider } from "./join-state-providers.ts";

scopedTmpdir("rivulet-stream-join-watermarks-test-");

const POLICY = "spark.sql.streaming.multipleWatermarkPolicy";
const spark = Session.builder().getOrCreate();
afterEach(() => spark.conf.unset(POLICY));

type Input = MemoryStream<{ key: number; t: number }>;

/** Two watermarked streams (delays 10 s and 15 s) inner-joined on key within ±100 seconds. */
function setup(): [Input, Input, DataFrame] {
  const a: Input = new MemoryStream(spark, "key INT, t INT");
  const b: Input = new MemoryStream(spark, "key INT, t INT");
  const left = a.toDF().select(col("key").as("lk"), expr("timestamp_seconds(t)").as("lt")).withWatermark("lt", "10 seconds");
  const right = b.toDF().select(col("key").as("rk"), expr("timestamp_seconds(t)").as("rt")).withWatermark("rt", "15 seconds");
  const joined = left.join(right, expr("lk = rk AND lt BETWEEN rt - interval 100 seconds AND rt + interval 100 seconds"))
    .select(col("lk"), expr("unix_seconds(lt)").as("lt"), expr("unix_seconds(rt)").as("rt"));
  return [a, b, joined];
}

const watermarkIs = (seconds: number) => (q: { lastProgress: { eventTime: Record<string, string> } }) => {
  expect(q.lastProgress.eventTime.watermark).toBe(new Date(seconds * 1000).toISOString());
};

describe.each(JOIN_STATE_PROVIDERS)("a stream–stream join under spark.sql.streaming.multipleWatermarkPolicy (state store %s)", (provider) => {
  useStateStoreProvider(provider);
  test("min (the default): the slower input holds the watermark, and one without data yet holds it at 0", async () => {
    const [a, b, joined] = setup();
    await testStream(joined, "append")
      .addData(a, [{ key: 1, t: 200 }]).checkNewAnswer([])
      .assertOnQuery("no watermark while the right input has no data", watermarkIs(0))
      .addData(b, [{ key: 1, t: 150 }]).checkNewAnswer([{ lk: 1, lt: 200, rt: 150 }])
      .processAllAvailable()
      .assertOnQuery("min(200 - 10, 150 - 15) = 135", watermarkIs(135))
      .stopStream().startStream()
      .addData(a, [{ key: 2, t: 500 }]).checkNewAnswer([])
      .assertOnQuery("the right input still holds it", watermarkIs(135))
      // (1, 130) is behind the watermark 135: dropped. Then min(490, 435) = 435 evicts 200 and 150
      // (each side needs its time above 435 - 100 to meet a future row).
      .addData(b, [{ key: 1, t: 130 }, { key: 2, t: 450 }]).checkNewAnswer([{ lk: 2, lt: 500, rt: 450 }])
      .assertNumStateRows(2, 2, 1)
      .run();
  });

  test("max: the faster input drives the watermark, and the policy survives a restart", async () => {
    spark.conf.set(POLICY, "max");
    const [a, b, joined] = setup();
    await testStream(joined, "append")
      .addData(a, [{ key: 1, t: 20 }]).addData(b, [{ key: 1, t: 30 }]).checkNewAnswer([{ lk: 1, lt: 20, rt: 30 }])
      .processAllAvailable()
      .assertOnQuery("max(20 - 10, 30 - 15) = 15", watermarkIs(15))
      .stopStream().startStream()
      .addData(a, [{ key: 2, t: 120 }]).addData(b, [{ key: 2, t: 130 }]).checkNewAnswer([{ lk: 2, lt: 120, rt: 130 }])
      .processAllAvailable()
      .assertOnQuery("max(120 - 10, 130 - 15) = 115", watermarkIs(115))
      .addData(a, [{ key: 3, t: 150 }]).checkNewAnswer([])
      .processAllAvailable()
      .assertOnQuery("advances with one input only: 150 - 10", watermarkIs(140))
      .run();
  });

  test("min: a restart remembers each input's watermark, so the input that was ahead and sends nothing more does not hold the watermark back", async () => {
    // Uninterrupted, the left input's 200 - 10 stays known after its last row; a restart must not forget it
    // (Spark's WatermarkTracker does, and holds the watermark at the recovered value until the left input sends again).
    const [a, b, joined] = setup();
    await testStream(joined, "append")
      .addData(a, [{ key: 1, t: 200 }]).addData(b, [{ key: 1, t: 150 }]).checkNewAnswer([{ lk: 1, lt: 200, rt: 150 }])
      .processAllAvailable()
      .assertOnQuery("min(200 - 10, 150 - 15) = 135", watermarkIs(135))
      .stopStream().startStream()
      .addData(b, [{ key: 2, t: 300 }]).checkNewAnswer([])
      .processAllAvailable()
      .assertOnQuery("min(200 - 10, 300 - 15) = 190, as without the restart", watermarkIs(190))
      .run();
  });
});
