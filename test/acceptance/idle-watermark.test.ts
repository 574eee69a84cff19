import { describe, expect, test } from "vitest";
import { Session, col, count, window } from "../../src/index.ts";
import { ManualClock, MemoryStream } from "../../src/testing/index.ts";

const START = Date.UTC(2026, 0, 1);
const at = (seconds: number): Date => new Date(START + seconds * 1000);
let counter = 0;

function setup(idleTimeout: string | null) {
  const clock = new ManualClock(START);
  const spark = Session.builder().withClock(clock).getOrCreate();
  if (idleTimeout !== null) spark.conf.set("rivulet.streaming.watermark.idleTimeout", idleTimeout);
  const events = new MemoryStream<{ t: Date }>(spark, "t TIMESTAMP");
  const name = `idle_${process.pid}_${counter++}`;
  const q = events.toDF().withWatermark("t", "10 seconds")
    .groupBy(window(col("t"), "1 minute")).agg(count("*").as("n"))
    .writeStream.format("memory").queryName(name).outputMode("append")
    .trigger({ processingTime: "5 seconds" }).start();
  return { clock, spark, events, q, rows: () => spark.table(name).collect() };
}

describe("watermarks on idle sources", () => {
  test("with an idle timeout, the last window closes once the source has been quiet long enough", async () => {
    const { clock, events, q, rows } = setup("30 seconds");
    await clock.advance(0);
    events.addData([{ t: at(5) }, { t: at(30) }]);
    await clock.advance(5_000);
    // Progress shows the watermark a batch ran with (Spark's rule); the no-data batch that follows runs with 30 − 10 = 20 s.
    expect(q.lastProgress.eventTime.watermark).toBe("1970-01-01T00:00:00.000Z");
    await clock.advance(5_000);
    expect(q.lastProgress.eventTime.watermark).toBe("2026-01-01T00:00:20.000Z");
    // Quiet for 60 s: 30 s + (60 − 30) − 10 = 50 s, the window [0, 60) is still open.
    for (let i = 0; i < 11; i++) await clock.advance(5_000);
    expect(await rows()).toEqual([]);
    // Quiet for 75 s: the watermark passes 60 s, the window is emitted and its state evicted.
    for (let i = 0; i < 3; i++) await clock.advance(5_000);
    expect(await rows()).toEqual([{ window: { start: at(0), end: at(60) }, n: 2 }]);
    expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(0);
    expect(q.lastProgress.sources[0]!.metrics.isIdle).toBe("true");
    await q.stop();
  });

  test("by default (Spark's behaviour) the last window is never emitted", async () => {
    const { clock, events, q, rows } = setup(null);
    await clock.advance(0);
    events.addData([{ t: at(5) }, { t: at(30) }]);
    for (let i = 0; i < 40; i++) await clock.advance(5_000);
    expect(await rows()).toEqual([]);
    expect(q.lastProgress.stateOperators[0]!.numRowsTotal).toBe(1);
    await q.stop();
  });

  for (const idle of [true, false]) test(`a silent source ${idle ? "no longer holds" : "holds (without an idle timeout)"} back the combined watermark`, async () => {
    const clock = new ManualClock(START);
    const spark = Session.builder().withClock(clock).getOrCreate();
    if (idle) spark.conf.set("rivulet.streaming.watermark.idleTimeout", "30 seconds");
    const a = new MemoryStream<{ t: Date }>(spark, "t TIMESTAMP");
    const b = new MemoryStream<{ t: Date }>(spark, "t TIMESTAMP");
    const name = `idle_union_${process.pid}_${idle}`;
    const q = a.toDF().withWatermark("t", "10 seconds").union(b.toDF().withWatermark("t", "10 seconds"))
      .groupBy(window(col("t"), "1 minute")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName(name).outputMode("append")
      .trigger({ processingTime: "5 seconds" }).start();
    await clock.advance(0);
    a.addData([{ t: at(1) }]);
    b.addData([{ t: at(2) }]);
    await clock.advance(5_000);
    // Only a keeps producing; b falls silent.
    for (let s = 10; s <= 140; s += 10) {
      a.addData([{ t: at(s) }]);
      await clock.advance(5_000);
      await clock.advance(5_000);
    }
    const rows = await spark.table(name).collect();
    if (idle) expect(rows).toContainEqual({ window: { start: at(0), end: at(60) }, n: 7 });
    else expect(rows).toEqual([]);
    await q.stop();
  });
});
