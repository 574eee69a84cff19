import { describe, expect, test } from "vitest";
import { Column, Session, col, count, lit, split, window } from "../../src/index.ts";
import { Call } from "../../src/expr/expression.ts";
import { ManualClock, MemoryStream, StreamTestFailure, testStream } from "../../src/testing/index.ts";
import { ExecutionError } from "../../src/common/errors.ts";
import { scopedTmpdir } from "./scoped-tmpdir.ts";

// testStream leaves its checkpoints under os.tmpdir(): give this file its own, removed after its tests.
scopedTmpdir("rivulet-stream-test-tmp-");

describe("the public test kit", () => {
  test("steps through batches, restarts from the checkpoint, and checks state rows", async () => {
    const spark = Session.builder().getOrCreate();
    const words = new MemoryStream<{ word: string }>(spark, "word STRING");
    const counts = words.toDF().groupBy("word").count();
    await testStream(counts, "update")
      .addData(words, [{ word: "a" }, { word: "b" }, { word: "a" }])
      .checkNewAnswer([{ word: "a", count: 2 }, { word: "b", count: 1 }])
      .assertNumStateRows(2, 2)
      .stopStream()
      .addData(words, [{ word: "a" }])
      .startStream()
      .checkNewAnswer([{ word: "a", count: 3 }])
      .checkLastBatch([{ word: "a", count: 3 }])
      .checkAnswer([{ word: "a", count: 2 }, { word: "b", count: 1 }, { word: "a", count: 3 }])
      .run();
  });

  test("a wrong answer fails with the step and both tables", async () => {
    const spark = Session.builder().getOrCreate();
    const words = new MemoryStream<{ word: string }>(spark, "word STRING");
    const run = testStream(words.toDF().groupBy("word").count(), "complete")
      .addData(words, [{ word: "a" }])
      .checkAnswer([{ word: "a", count: 5 }])
      .run();
    await expect(run).rejects.toThrow(StreamTestFailure);
    await expect(run).rejects.toThrow(/step 2 of 2 \(checkAnswer\): the rows differ\n== Expected \(1 rows\) ==\n\+----\+-----\+\n\|word\|count\|\n\+----\+-----\+\n\|a   \|5    \|/);
    await expect(run).rejects.toThrow(/== Actual \(1 rows\) ==[\s\S]*\|a   \|1    \|/);
  });

  test("expectFailure checks the error class of a failed query", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ s: string }>(spark, "s STRING");
    // element_at with index 0 is an execution error in Spark.
    const failing = input.toDF().select(new Column(Call.create("element_at", [split(col("s"), ",").expr, lit(0).expr])).as("x"));
    await testStream(failing, "append").addData(input, [{ s: "a,b" }]).expectFailure(ExecutionError, /element_at|index/i).run();
    const wrong = testStream(input.toDF(), "append").addData(input, [{ s: "fine" }]).expectFailure(ExecutionError).run();
    await expect(wrong).rejects.toThrow(/expected the query to fail with ExecutionError, but it is still running/);
  });

  test("a ManualClock drives processing-time triggers: advance() returns when the due batch has run", async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const spark = Session.builder().withClock(clock).getOrCreate();
    const events = new MemoryStream<{ t: Date }>(spark, "t TIMESTAMP");
    const q = events.toDF().groupBy(window(col("t"), "1 minute")).agg(count("*").as("n"))
      .writeStream.format("memory").queryName(`clock_${process.pid}`).outputMode("complete")
      .trigger({ processingTime: "10 seconds" }).start();
    await clock.advance(0);
    events.addData([{ t: new Date(Date.UTC(2026, 0, 1, 0, 0, 5)) }]);
    expect(await spark.table(`clock_${process.pid}`).count()).toBe(0);
    await clock.advance(10_000);
    expect(await spark.table(`clock_${process.pid}`).collect()).toEqual([
      { window: { start: new Date(Date.UTC(2026, 0, 1)), end: new Date(Date.UTC(2026, 0, 1, 0, 1)) }, n: 1 },
    ]);
    expect(q.lastProgress.timestamp).toBe("2026-01-01T00:00:10.000Z");
    await q.stop();
  });
});
