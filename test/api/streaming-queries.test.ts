import { describe, expect, test, vi } from "vitest";
import {
  AnalysisError, StreamingQueryException, StreamingQueryListener, col, window,
  type QueryProgressEvent, type QueryStartedEvent, type QueryTerminatedEvent, type StreamingQuery,
} from "../../src/index.ts";
import { captureStdout } from "../testing/capture-stdout.ts";
import { canon, sec, streamingQueryFixtures } from "./streaming-query-fixtures.ts";

const { spark, uniqueName, tempDir, events, memoryQuery } = streamingQueryFixtures("streaming-api");

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
