import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import {
  AnalysisError, MemoryStream, Session, StreamingQueryException, StreamingQueryListener, col, count, countDistinct, lit, sum, window,
  type DataFrame, type QueryProgressEvent, type QueryStartedEvent, type QueryTerminatedEvent, type StreamingQuery,
} from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

const spark = Session.builder().appName("streaming-queries").getOrCreate();
// testStream's checkpoints and this file's own temp dirs go into a directory of the file's own, removed after its tests.
scopedTmpdir("rivulet-streaming-api-tmp-", spark);
let counter = 0;
const uniqueName = (prefix: string): string => `${prefix}_${process.pid}_${counter++}`;
const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), "rivulet-streaming-api-"));
const sec = (s: number): Date => new Date(s * 1000);

const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

async function captureStdout(fn: () => unknown): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write);
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return chunks.join("");
}

function events(): { input: MemoryStream<{ id: string; time: Date }>; df: DataFrame } {
  const input = new MemoryStream<{ id: string; time: Date }>(spark, "id STRING, time TIMESTAMP");
  return { input, df: input.toDF() };
}

function memoryQuery(df: DataFrame, mode: "append" | "update" | "complete", name: string, checkpoint?: string): StreamingQuery {
  const w = df.writeStream.format("memory").queryName(name).outputMode(mode);
  if (checkpoint !== undefined) w.option("checkpointLocation", checkpoint);
  return w.start();
}

describe("query manager and listeners", () => {
  test("spark.streams.active / get(id) / awaitAnyTermination()", async () => {
    const { input, df } = events();
    const q = memoryQuery(df, "append", uniqueName("mgr"));
    expect(spark.streams.active).toContain(q);
    expect(spark.streams.get(q.id)).toBe(q);
    expect(q.isActive).toBe(true);
    input.addData({ id: "a", time: sec(1) });
    await q.processAllAvailable();
    spark.streams.resetTerminated();
    expect(await spark.streams.awaitAnyTermination(50)).toBe(false);
    const waiting = spark.streams.awaitAnyTermination();
    await q.stop();
    await expect(waiting).resolves.toBe(true);
    expect(q.isActive).toBe(false);
    expect(spark.streams.active).not.toContain(q);
    expect(spark.streams.get(q.id)).toBeNull();
  });

  test("two active queries with the same name are refused", async () => {
    const { df } = events();
    const name = uniqueName("dup");
    const q = memoryQuery(df, "append", name);
    try {
      expect(() => memoryQuery(df, "append", name)).toThrow(AnalysisError);
    } finally {
      await q.stop();
    }
  });

  test("listener receives started, progress and terminated events", async () => {
    const started: QueryStartedEvent[] = [];
    const progress: QueryProgressEvent[] = [];
    const terminated: QueryTerminatedEvent[] = [];
    const listener = {
      onQueryStarted: (e: QueryStartedEvent) => { started.push(e); },
      onQueryProgress: (e: QueryProgressEvent) => { progress.push(e); },
      onQueryTerminated: (e: QueryTerminatedEvent) => { terminated.push(e); },
    };
    spark.streams.addListener(listener);
    try {
      const { input, df } = events();
      const name = uniqueName("listened");
      const q = memoryQuery(df, "append", name);
      input.addData({ id: "a", time: sec(1) }, { id: "b", time: sec(2) });
      await q.processAllAvailable();
      input.addData({ id: "c", time: sec(3) });
      await q.processAllAvailable();
      await q.stop();
      const mine = <E extends { id: string }>(list: E[]): E[] => list.filter((e) => e.id === q.id);
      expect(mine(started)).toHaveLength(1);
      expect(mine(started)[0]).toMatchObject({ id: q.id, runId: q.runId, name });
      const ps = progress.filter((e) => e.progress.id === q.id).map((e) => e.progress);
      expect(ps.map((p) => p.batchId)).toEqual([0, 1]);
      expect(ps.map((p) => p.numInputRows)).toEqual([2, 1]);
      expect(ps[0]!.runId).toBe(q.runId);
      expect(ps[0]!.name).toBe(name);
      expect(mine(terminated)).toHaveLength(1);
      expect(mine(terminated)[0]).toMatchObject({ id: q.id, runId: q.runId, exception: null });
    } finally {
      spark.streams.removeListener(listener);
    }
  });

  test("a subclass of StreamingQueryListener (Spark's way) is called with itself as this", async () => {
    class Recorder extends StreamingQueryListener {
      readonly seen: string[] = [];
      constructor(readonly queryId: () => string) { super(); }
      override onQueryStarted(e: QueryStartedEvent): void { if (e.id === this.queryId()) this.seen.push("started"); }
      override onQueryProgress(e: QueryProgressEvent): void { if (e.progress.id === this.queryId()) this.seen.push(`progress ${e.progress.numInputRows}`); }
      override onQueryTerminated(e: QueryTerminatedEvent): void { if (e.id === this.queryId()) this.seen.push("terminated"); }
    }
    let id = "";
    const listener = new Recorder(() => id);
    expect(listener).toBeInstanceOf(StreamingQueryListener);
    // Methods are optional: an event the subclass does not handle is skipped (Spark 3.5's default onQueryIdle).
    expect(listener.onQueryIdle).toBeUndefined();
    spark.streams.addListener(listener);
    try {
      const { input, df } = events();
      input.addData({ id: "a", time: sec(1) });
      const q = memoryQuery(df, "append", uniqueName("subclassed"));
      id = q.id;
      await q.processAllAvailable();
      await q.stop();
      expect(listener.seen.filter((s) => s !== "started")).toEqual(["progress 1", "terminated"]);
    } finally {
      spark.streams.removeListener(listener);
    }
  });
});

describe("progress, status and failures", () => {
  test("lastProgress / recentProgress report batch ids, rows, durations, event time and state", async () => {
    const { input, df } = events();
    const counts = df.withWatermark("time", "10 seconds").groupBy(window(col("time"), "10 seconds")).count();
    const q = memoryQuery(counts, "update", uniqueName("progress"));
    try {
      input.addData({ id: "a", time: sec(10) }, { id: "b", time: sec(20) }, { id: "c", time: sec(30) });
      await q.processAllAvailable();
      const first = q.recentProgress.find((p) => p.batchId === 0)!;
      expect(first).toBeDefined();
      expect(first.numInputRows).toBe(3);
      expect(first.sources[0]!.numInputRows).toBe(3);
      expect(first.sources[0]!.description).toMatch(/MemoryStream/);
      expect(first.sink.description).toMatch(/MemorySink/);
      expect(first.sink.numOutputRows).toBe(3);
      expect(first.durationMs.triggerExecution).toBeTypeOf("number");
      expect(first.durationMs.addBatch).toBeTypeOf("number");
      expect(first.eventTime).toEqual({
        min: "1970-01-01T00:00:10.000Z", max: "1970-01-01T00:00:30.000Z", avg: "1970-01-01T00:00:20.000Z", watermark: "1970-01-01T00:00:00.000Z",
      });
      expect(first.stateOperators[0]).toMatchObject({ numRowsTotal: 3, numRowsUpdated: 3, numRowsRemoved: 0, numRowsDroppedByWatermark: 0 });
      // The watermark moved to 30 − 10 = 20 s: a no-data batch evicts the window [10, 20).
      const last = q.lastProgress;
      expect(last.batchId).toBe(1);
      expect(last.numInputRows).toBe(0);
      expect(last.eventTime.watermark).toBe("1970-01-01T00:00:20.000Z");
      expect(last.stateOperators[0]).toMatchObject({ numRowsTotal: 2, numRowsRemoved: 1 });
      // A row whose window ended at or before the watermark is dropped and counted.
      input.addData({ id: "late", time: sec(5) }, { id: "d", time: sec(30) });
      await q.processAllAvailable();
      const p2 = q.recentProgress.find((p) => p.batchId === 2)!;
      expect(p2.numInputRows).toBe(2);
      expect(p2.stateOperators[0]).toMatchObject({ numRowsDroppedByWatermark: 1, numRowsUpdated: 1, numRowsTotal: 2 });
      expect(q.recentProgress.map((p) => p.batchId)).toEqual([0, 1, 2]);
      expect(JSON.parse(q.lastProgress.json)).toMatchObject({ id: q.id, batchId: 2 });
    } finally {
      await q.stop();
    }
  });

  test("status while waiting and after stop", async () => {
    const { input, df } = events();
    const q = memoryQuery(df, "append", uniqueName("status"));
    input.addData({ id: "a", time: sec(1) });
    await q.processAllAvailable();
    await vi.waitFor(() => expect(q.status.isTriggerActive).toBe(false));
    expect(q.status.isDataAvailable).toBe(false);
    expect(q.status.message).toBe("Waiting for data to arrive");
    await q.stop();
    expect(q.status).toMatchObject({ message: "Stopped", isTriggerActive: false });
  });

  test("a failing batch sets exception, rejects awaitTermination and awaitAnyTermination, and is reported to listeners", async () => {
    const terminated: QueryTerminatedEvent[] = [];
    const listener = { onQueryTerminated: (e: QueryTerminatedEvent) => { terminated.push(e); } };
    spark.streams.addListener(listener);
    try {
      const { input, df } = events();
      const q = df.writeStream.foreachBatch((_batch, batchId) => {
        if (batchId === 1) throw new Error("boom in batch 1");
      }).start();
      input.addData({ id: "a", time: sec(1) });
      await q.processAllAvailable();
      expect(q.exception).toBeNull();
      spark.streams.resetTerminated();
      const any = spark.streams.awaitAnyTermination();
      input.addData({ id: "b", time: sec(2) });
      await expect(q.awaitTermination()).rejects.toThrow(/boom in batch 1/);
      await expect(any).rejects.toThrow(/boom in batch 1/);
      expect(q.isActive).toBe(false);
      expect(q.exception).toBeInstanceOf(StreamingQueryException);
      expect(q.exception!.message).toMatch(/boom in batch 1/);
      expect(q.exception!.message).toContain(q.id);
      expect((q.exception!.cause as Error).message).toBe("boom in batch 1");
      await expect(q.processAllAvailable()).rejects.toThrow(/boom/);
      expect(terminated.find((e) => e.id === q.id)?.exception).toMatch(/boom in batch 1/);
    } finally {
      spark.streams.removeListener(listener);
    }
  });
});

describe("triggers and sinks", () => {
  test("trigger once processes what is there and stops", async () => {
    const { input, df } = events();
    const name = uniqueName("once");
    input.addData({ id: "a", time: sec(1) }, { id: "b", time: sec(2) });
    const q = df.writeStream.format("memory").queryName(name).trigger({ once: true }).start();
    await expect(q.awaitTermination()).resolves.toBe(true);
    expect(q.isActive).toBe(false);
    expect(canon(await spark.table(name).collect())).toEqual(canon([{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }]));
    expect(q.recentProgress).toHaveLength(1);
  });

  test("trigger availableNow processes every file/batch available and stops, resuming from the checkpoint", async () => {
    const { input, df } = events();
    const name = uniqueName("availnow");
    const checkpoint = await tempDir();
    input.addData({ id: "a", time: sec(1) });
    input.addData({ id: "b", time: sec(2) });
    const start = (): StreamingQuery => df.writeStream.format("memory").queryName(name).option("checkpointLocation", checkpoint)
      .trigger({ availableNow: true }).start();
    const q = start();
    await q.awaitTermination();
    expect(await spark.table(name).count()).toBe(2);
    input.addData({ id: "c", time: sec(3) });
    const q2 = start();
    await q2.awaitTermination();
    expect(canon(await spark.table(name).collect())).toEqual(canon([
      { id: "a", time: sec(1) }, { id: "b", time: sec(2) }, { id: "c", time: sec(3) },
    ]));
  });

  test("processingTime trigger runs batches on the interval", async () => {
    const { input, df } = events();
    const name = uniqueName("ptime");
    const q = df.writeStream.format("memory").queryName(name).trigger({ processingTime: "100 milliseconds" }).start();
    try {
      input.addData({ id: "a", time: sec(1) });
      await vi.waitFor(async () => expect(await spark.table(name).count()).toBe(1), { timeout: 3000, interval: 20 });
      input.addData({ id: "b", time: sec(2) });
      await vi.waitFor(async () => expect(await spark.table(name).count()).toBe(2), { timeout: 3000, interval: 20 });
      // Spark's ProcessingTimeExecutor starts batches on multiples of the interval (timers may fire a little late).
      // The second batch waits for the next multiple of the interval after the first one started.
      const [p0, p1] = q.recentProgress;
      expect(Math.floor(Date.parse(p1!.timestamp) / 100)).toBeGreaterThan(Math.floor(Date.parse(p0!.timestamp) / 100));
    } finally {
      await q.stop();
    }
    expect(() => df.writeStream.trigger({ processingTime: "soon" })).toThrow();
  });

  test("console sink prints each batch under Spark's banner", async () => {
    const { input, df } = events();
    const counts = df.groupBy("id").count();
    const out = await captureStdout(async () => {
      input.addData({ id: "a", time: sec(1) }, { id: "a", time: sec(2) }, { id: "b", time: sec(3) });
      const q = counts.writeStream.format("console").outputMode("complete").trigger({ availableNow: true }).start();
      await q.awaitTermination();
    });
    const rule = "-------------------------------------------";
    const table = out.slice(out.indexOf(rule));
    expect(table.startsWith(`${rule}\nBatch: 0\n${rule}\n+---+-----+\n| id|count|\n+---+-----+\n`)).toBe(true);
    expect(table).toMatch(/\|  a\|    2\|\n/);
    expect(table).toMatch(/\|  b\|    1\|\n/);
    expect(table.endsWith("+---+-----+\n\n")).toBe(true);
  });

  test("foreachBatch receives each micro-batch as a batch DataFrame with its id", async () => {
    const { input, df } = events();
    const seen: { batchId: number; rows: unknown[]; streaming: boolean }[] = [];
    const q = df.select(col("id")).writeStream.foreachBatch(async (batch, batchId) => {
      seen.push({ batchId, rows: await batch.collect(), streaming: batch.isStreaming });
    }).start();
    try {
      input.addData({ id: "a", time: sec(1) });
      await q.processAllAvailable();
      input.addData({ id: "b", time: sec(2) }, { id: "c", time: sec(3) });
      await q.processAllAvailable();
    } finally {
      await q.stop();
    }
    expect(seen).toEqual([
      { batchId: 0, rows: [{ id: "a" }], streaming: false },
      { batchId: 1, rows: [{ id: "b" }, { id: "c" }], streaming: false },
    ]);
  });
});

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

describe("errors at the right time", () => {
  test("withWatermark: a negative delay is refused at once, before the column is checked", () => {
    const { df } = events();
    expect(() => df.withWatermark("time", "-10 seconds")).toThrow(/negative/);
    expect(() => df.withWatermark("no_such_column", "-10 seconds")).toThrow(/negative/);
  });

  test("withWatermark: a missing or non-timestamp column is refused at once", () => {
    const input = new MemoryStream(spark, "value INT, time TIMESTAMP");
    expect(() => input.toDF().withWatermark("nope", "10 seconds")).toThrow(/nope/);
    expect(() => input.toDF().withWatermark("value", "10 seconds")).toThrow(AnalysisError);
    expect(() => input.toDF().withWatermark("value", "10 seconds")).toThrow(/timestamp/);
  });

  test("invalid output modes are refused at start(), not before", () => {
    const { df } = events();
    const agg = df.groupBy("id").count();
    const w1 = agg.writeStream.format("memory").queryName(uniqueName("bad")).outputMode("append");
    expect(() => w1.start()).toThrow(/Append output mode not supported/);
    const w2 = df.writeStream.format("memory").queryName(uniqueName("bad")).outputMode("complete");
    expect(() => w2.start()).toThrow(/Complete output mode not supported/);
    const w3 = df.orderBy(col("time")).writeStream.format("memory").queryName(uniqueName("bad")).outputMode("update");
    expect(() => w3.start()).toThrow(/Sorting is not supported/);
    expect(() => df.writeStream.outputMode("sideways")).toThrow(AnalysisError);
    expect(spark.streams.active.filter((q) => q.name?.startsWith("bad_"))).toEqual([]);
  });

  test("a second withWatermark on a watermarked stream is refused at start()", () => {
    const input = new MemoryStream(spark, "id STRING, a TIMESTAMP, b TIMESTAMP");
    const twice = input.toDF().withWatermark("a", "10 seconds").withWatermark("b", "5 seconds");
    const w = twice.writeStream.format("memory").queryName(uniqueName("wm2"));
    expect(() => w.start()).toThrow(/[Rr]edefining watermark/);
  });

  test("two streaming aggregations are refused", () => {
    const { df } = events();
    const twice = df.groupBy("id").count().groupBy("count").agg(count("*").as("ids"));
    expect(() => twice.writeStream.format("memory").queryName(uniqueName("agg2")).outputMode("complete").start())
      .toThrow(/[Mm]ultiple streaming aggregations/);
  });

  test("actions on a streaming frame are refused", async () => {
    const { df } = events();
    await expect(df.collect()).rejects.toThrow(/writeStream\.start\(\)/);
    await expect(df.count()).rejects.toThrow(AnalysisError);
    await expect(df.show()).rejects.toThrow(AnalysisError);
  });
});

describe("more Spark rules on streams", () => {
  test("lastProgress is null before the first batch; awaitTermination(timeout) resolves false while running", async () => {
    const { df } = events();
    const q = memoryQuery(df, "append", uniqueName("noprog"));
    try {
      expect(q.lastProgress).toBeNull();
      expect(q.recentProgress).toEqual([]);
      expect(await q.awaitTermination(30)).toBe(false);
    } finally {
      await q.stop();
    }
    expect(await q.awaitTermination(30)).toBe(true);
  });

  test("limit on a stream in append mode is global across batches", async () => {
    const { input, df } = events();
    await testStream(df.select("id").limit(3), "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }])
      .checkNewAnswer([{ id: "a" }, { id: "b" }])
      .addData(input, [{ id: "c", time: sec(3) }, { id: "d", time: sec(4) }])
      .checkNewAnswer([{ id: "c" }])
      .addData(input, [{ id: "e", time: sec(5) }])
      .checkNewAnswer([])
      .run();
  });

  test("distinct aggregations and unsupported stream–static outer joins are refused at start()", () => {
    const { df } = events();
    const distinct = df.groupBy("id").agg(countDistinct("time").as("n"));
    expect(() => distinct.writeStream.format("memory").queryName(uniqueName("distinct")).outputMode("complete").start())
      .toThrow(/Distinct aggregations are not supported/);
    const users = spark.createDataFrame([{ id: "a", country: "FR" }], "id STRING, country STRING");
    const rightOuter = df.join(users, "id", "right_outer");
    expect(() => rightOuter.writeStream.format("memory").queryName(uniqueName("rjoin")).start()).toThrow(AnalysisError);
  });

  test("stream–static left outer join keeps unmatched stream rows", async () => {
    const { input, df } = events();
    const users = spark.createDataFrame([{ id: "a", country: "FR" }], "id STRING, country STRING");
    await testStream(df.join(users, "id", "left_outer").select("id", "country"), "append")
      .addData(input, [{ id: "a", time: sec(1) }, { id: "z", time: sec(1) }])
      .checkNewAnswer([{ id: "a", country: "FR" }, { id: "z", country: null }])
      .run();
  });

  test("socket source on 127.0.0.1 reads lines as a value column", async () => {
    const clients: Socket[] = [];
    const server = createServer((socket) => { clients.push(socket); });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const name = uniqueName("socket");
    const lines = spark.readStream.format("socket").option("host", "127.0.0.1").option("port", port).load();
    expect(lines.columns).toEqual(["value"]);
    const q = lines.writeStream.format("memory").queryName(name).start();
    try {
      await vi.waitFor(() => expect(clients).toHaveLength(1), { timeout: 3000 });
      clients[0]!.write("hello world\nsecond line\n");
      await vi.waitFor(async () => expect(await spark.table(name).count()).toBe(2), { timeout: 3000, interval: 20 });
      expect(canon(await spark.table(name).collect())).toEqual(canon([{ value: "hello world" }, { value: "second line" }]));
    } finally {
      await q.stop();
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("file source: files added while the query runs are picked up once, and not re-read after a restart", async () => {
    const dir = await tempDir();
    const checkpoint = await tempDir();
    const name = uniqueName("files");
    const ddl = "id STRING, time TIMESTAMP";
    const start = (): StreamingQuery => spark.readStream.schema(ddl).json(dir).writeStream.format("memory").queryName(name)
      .option("checkpointLocation", checkpoint).start();
    await writeFile(join(dir, "1.json"), `{"id":"a","time":"1970-01-01T00:00:01Z"}\n`);
    const q = start();
    await q.processAllAvailable();
    await writeFile(join(dir, "2.json"), `{"id":"b","time":"1970-01-01T00:00:02Z"}\n`);
    await q.processAllAvailable();
    expect(canon(await spark.table(name).collect())).toEqual(canon([{ id: "a", time: sec(1) }, { id: "b", time: sec(2) }]));
    await q.stop();
    await writeFile(join(dir, "3.json"), `{"id":"c","time":"1970-01-01T00:00:03Z"}\n`);
    const q2 = start();
    try {
      await q2.processAllAvailable();
      expect(q2.recentProgress.map((p) => p.numInputRows)).toEqual([1]);
      expect(q2.lastProgress.batchId).toBe(2);
    } finally {
      await q2.stop();
    }
  });
});
