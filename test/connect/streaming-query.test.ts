import { afterEach, describe, expect, test, vi } from "vitest";
import { AnalysisError, ExecutionError, StreamingQueryException } from "../../src/common/errors.ts";
import type { StreamingQuery } from "../../src/api/streaming-query.ts";
import { StreamingQueryProgress } from "../../src/execution/progress.ts";
import { RemoteStreamingQuery, type StreamingQueryHandle } from "../../src/connect/remote-streaming-query.ts";
import { jacksonProgress, sparkError, streamFailed } from "./fake-streaming-handlers.ts";
import { clientFor, commandsSent, eventually, PATIENT_RETRIES, ServerPool, sleep } from "./streaming-test-kit.ts";

const pool = new ServerPool();
afterEach(() => pool.stopAll());

const ID = "5a4d7f0e-1b2c-4d3e-8f90-a1b2c3d4e5f6";
const RUN_ID = "0f9e8d7c-6b5a-4e3d-9c2b-1a0f9e8d7c6b";
const queryId = { id: ID, runId: RUN_ID };
const START = {
  format: "delta", outputMode: "update", queryName: "counts",
  options: { checkpointLocation: "s3a://bucket/ckpt/counts" },
  sinkDestination: { case: "tableName" as const, value: "action_counts" },
  input: { relType: { case: "read" as const, value: { isStreaming: true, readType: { case: "namedTable" as const, value: { unparsedIdentifier: "logs", options: {} } } } } },
};

async function started(options: { awaitSliceMs?: number } = {}) {
  const { server, streams } = await pool.serve();
  streams.nextIds = queryId;
  const client = clientFor(server.url);
  const query = await RemoteStreamingQuery.start(client, START, undefined, options);
  return { server, streams, client, query, fake: streams.queries.get(ID)! };
}

describe("a streaming query on a Spark Connect server", () => {
  test("the local and the remote query share one handle type", () => {
    const local: StreamingQueryHandle = null as unknown as StreamingQuery;
    const remote: StreamingQueryHandle = null as unknown as RemoteStreamingQuery;
    expect([local, remote]).toEqual([null, null]);
  });

  test("start() sends write_stream_operation_start and knows the id, run id and name the server gave", async () => {
    const { server, query } = await started();
    expect(commandsSent(server)).toEqual([{
      writeStreamOperationStart: {
        input: { read: { isStreaming: true, namedTable: { unparsedIdentifier: "logs" } } },
        format: "delta", options: { checkpointLocation: "s3a://bucket/ckpt/counts" }, outputMode: "update", queryName: "counts", tableName: "action_counts",
      },
    }]);
    expect([query.id, query.runId, query.name]).toEqual([ID, RUN_ID, "counts"]);
    expect(String(query)).toBe(`RemoteStreamingQuery[id=${ID}, runId=${RUN_ID}, name=counts]`);
  });

  test("a query started without a name has a null name (the server sends an empty one)", async () => {
    const { server } = await pool.serve();
    const query = await RemoteStreamingQuery.start(clientFor(server.url), { ...START, queryName: "" });
    expect(query.name).toBeNull();
  });

  test("status and isActive: StreamingQueryCommand status naming the query by id and run id", async () => {
    const { server, query, fake } = await started();
    fake.status = { statusMessage: "Processing new data", isDataAvailable: true, isTriggerActive: true };
    expect(await query.status).toEqual({ message: "Processing new data", isDataAvailable: true, isTriggerActive: true, isActive: true });
    fake.terminate();
    expect(await query.isActive).toBe(false);
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryCommand: { queryId, status: true } },
      { streamingQueryCommand: { queryId, status: true } },
    ]);
  });

  test("lastProgress and recentProgress: Spark's progress JSON read into rivulet's StreamingQueryProgress", async () => {
    const { server, query, fake } = await started();
    expect(await query.lastProgress).toBeNull();
    expect(await query.recentProgress).toEqual([]);
    fake.progress.push(jacksonProgress(ID, RUN_ID, 0, 10), jacksonProgress(ID, RUN_ID, 1, 24));
    const last = (await query.lastProgress)!;
    expect(last).toBeInstanceOf(StreamingQueryProgress);
    expect(last.batchId).toBe(1);
    expect(last.numInputRows).toBe(24);
    expect(last.name).toBe("counts");
    expect(last.durationMs.triggerExecution).toBe(120);
    expect(last.eventTime.watermark).toBe("2026-12-06T06:49:59.000Z");
    expect(last.sources[0]).toMatchObject({ description: "FileStreamSource[s3a://bucket/logs]", startOffset: { logOffset: 0 }, endOffset: { logOffset: 1 }, latestOffset: null, numInputRows: 24 });
    expect(last.sources[0]!.inputRowsPerSecond).toBeNaN(); // Jackson's "NaN"
    expect(last.processedRowsPerSecond).toBeCloseTo(200);
    expect(last.stateOperators[0]).toMatchObject({ operatorName: "stateStoreSave", numRowsTotal: 4, numRowsDroppedByWatermark: 1, customMetrics: { loadedMapCacheHitCount: 3 } });
    expect(last.sink).toEqual({ description: "DeltaSink[s3a://bucket/tables/action_counts]", numOutputRows: -1, metrics: {} });
    expect((await query.recentProgress).map((p) => [p.batchId, p.numInputRows])).toEqual([[0, 10], [1, 24]]);
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryCommand: { queryId, lastProgress: true } },
      { streamingQueryCommand: { queryId, recentProgress: true } },
      { streamingQueryCommand: { queryId, lastProgress: true } },
      { streamingQueryCommand: { queryId, recentProgress: true } },
    ]);
  });

  test("processAllAvailable, explain and stop", async () => {
    const { server, query, fake } = await started();
    await query.processAllAvailable();
    expect(await query.explainString()).toBe("== Physical Plan ==\nWriteToDataSourceV2 MicroBatchWrite");
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      await query.explain(true);
      expect(write).toHaveBeenCalledWith("== Parsed Logical Plan ==\nWriteToMicroBatchDataSource\n\n== Physical Plan ==\nWriteToDataSourceV2 MicroBatchWrite\n");
    } finally {
      write.mockRestore();
    }
    await query.stop();
    expect(fake.active).toBe(false);
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryCommand: { queryId, processAllAvailable: true } },
      { streamingQueryCommand: { queryId, explain: {} } },
      { streamingQueryCommand: { queryId, explain: { extended: true } } },
      { streamingQueryCommand: { queryId, stop: true } },
    ]);
  });

  test("exception: null while the query runs; the failed query's StreamingQueryException with Spark's class, state and parameters", async () => {
    const { server, query, fake } = await started();
    expect(await query.exception).toBeNull();
    fake.terminate(streamFailed(ID, RUN_ID, "[DIVIDE_BY_ZERO] Division by zero."));
    const exception = (await query.exception)!;
    expect(exception).toBeInstanceOf(StreamingQueryException);
    expect(exception.message).toBe(`[STREAM_FAILED] Query [id = ${ID}, runId = ${RUN_ID}] terminated with exception: [DIVIDE_BY_ZERO] Division by zero. SQLSTATE: XXKST`);
    expect([exception.queryId, exception.runId]).toEqual([ID, RUN_ID]);
    expect((exception as StreamingQueryException & { sparkError: unknown }).sparkError).toMatchObject({
      errorClass: "STREAM_FAILED", sqlState: "XXKST", messageParameters: { id: ID, runId: RUN_ID, message: "[DIVIDE_BY_ZERO] Division by zero." },
    });
    // As Spark's Scala client: `exception: false`, which the server answers by throwing the query's exception.
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryCommand: { queryId, exception: false } },
      { streamingQueryCommand: { queryId, exception: false } },
    ]);
  });

  test("exception from a server that answers with an ExceptionResult (message and class only) is read too", async () => {
    const { streams, query, fake } = await started();
    streams.legacyExceptionResult = true;
    fake.terminate(streamFailed(ID, RUN_ID, "[DIVIDE_BY_ZERO] Division by zero."));
    const exception = (await query.exception)!;
    expect(exception).toBeInstanceOf(StreamingQueryException);
    expect(exception.message).toBe(`[STREAM_FAILED] Query [id = ${ID}, runId = ${RUN_ID}] terminated with exception: [DIVIDE_BY_ZERO] Division by zero. SQLSTATE: XXKST`);
    expect((exception as StreamingQueryException & { sparkError: unknown }).sparkError).toMatchObject({ errorClass: "STREAM_FAILED" });
  });

  test("awaitTermination(timeoutMs): false while the query runs, true once it stopped", async () => {
    const { server, query, fake } = await started();
    const before = Date.now();
    expect(await query.awaitTermination(80)).toBe(false);
    expect(Date.now() - before).toBeGreaterThanOrEqual(75);
    setTimeout(() => fake.terminate(), 50);
    expect(await query.awaitTermination(5000)).toBe(true);
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryCommand: { queryId, awaitTermination: { timeoutMs: "80" } } },
      { streamingQueryCommand: { queryId, awaitTermination: { timeoutMs: "5000" } } },
    ]);
  });

  test("awaitTermination() without a timeout asks in slices until the query stops", async () => {
    const { server, query, fake } = await started({ awaitSliceMs: 60 });
    const terminated = query.awaitTermination();
    await eventually(() => commandsSent(server).length >= 3); // a first slice ran out, a second is waiting
    fake.terminate();
    expect(await terminated).toBe(true);
    const waits = commandsSent(server).slice(1);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    for (const w of waits) expect(w).toEqual({ streamingQueryCommand: { queryId, awaitTermination: { timeoutMs: "60" } } });
  });

  test("awaitTermination rejects with the StreamingQueryException of a query that failed", async () => {
    const { query, fake } = await started({ awaitSliceMs: 60 });
    setTimeout(() => fake.terminate(streamFailed(ID, RUN_ID, "java.io.IOException: No space left on device")), 100);
    const error = await query.awaitTermination().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamingQueryException);
    expect((error as StreamingQueryException).queryId).toBe(ID);
    expect((error as Error).message).toContain("terminated with exception: java.io.IOException: No space left on device");
    await expect(query.awaitTermination(1000)).rejects.toThrow(StreamingQueryException);
    await expect(query.processAllAvailable()).rejects.toThrow(StreamingQueryException);
  });

  test("a timeout that is not positive is refused at the call, as Spark's clients do", async () => {
    const { server, query } = await started();
    await expect(query.awaitTermination(0)).rejects.toThrow("[VALUE_NOT_POSITIVE] Value for `timeoutMs` must be positive, got '0'.");
    await expect(query.awaitTermination(-5)).rejects.toThrow(ExecutionError);
    expect(commandsSent(server)).toHaveLength(1);
  });
});

describe("server errors of streaming queries", () => {
  test("a start the server refuses: AnalysisException → AnalysisError with Spark's class, state and parameters", async () => {
    const { server, streams } = await pool.serve();
    streams.startFailure = sparkError("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `acton` cannot be resolved. Did you mean one of the following? [`action`, `time`]. SQLSTATE: 42703", {
      classes: ["org.apache.spark.sql.AnalysisException", "java.lang.Exception", "java.lang.Throwable"],
      errorClass: "UNRESOLVED_COLUMN.WITH_SUGGESTION", sqlState: "42703", messageParameters: { objectName: "`acton`", proposal: "`action`, `time`" },
    });
    const error = await RemoteStreamingQuery.start(clientFor(server.url), START).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as Error).message).toMatch(/^\[UNRESOLVED_COLUMN\.WITH_SUGGESTION\] A column, variable, or function parameter with name `acton` cannot be resolved/);
    expect((error as AnalysisError & { sparkError: unknown }).sparkError).toMatchObject({
      errorClass: "UNRESOLVED_COLUMN.WITH_SUGGESTION", sqlState: "42703", messageParameters: { objectName: "`acton`", proposal: "`action`, `time`" },
    });
  });

  test("a query the server does not know (or restarted under another run id) → ExecutionError with the server's words", async () => {
    const { server, query } = await started();
    const unknown = new RemoteStreamingQuery(clientFor(server.url), "00000000-0000-4000-8000-000000000000", RUN_ID, null);
    const notFound = await unknown.status.catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(ExecutionError);
    expect((notFound as Error).message).toBe("Streaming query 00000000-0000-4000-8000-000000000000 is not found");
    const restarted = new RemoteStreamingQuery(clientFor(server.url), query.id, "11111111-1111-4111-8111-111111111111", null);
    const error = await restarted.stop().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect(error).not.toBeInstanceOf(StreamingQueryException);
    expect((error as Error).message).toContain(`Run id mismatch for query id ${ID}`);
  });

  test("what the status details lack is fetched with FetchErrorDetails (class and parameters too long for the metadata)", async () => {
    const errorId = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    const { server, streams } = await pool.serve(undefined, {
      fetchErrorDetails: async (request) => ({
        sessionId: request.sessionId, serverSideSessionId: "fake-server-session", rootErrorIdx: 0,
        errors: [
          {
            errorTypeHierarchy: ["org.apache.spark.sql.streaming.StreamingQueryException", "java.lang.Exception", "java.lang.Throwable"],
            message: `[STREAM_FAILED] Query [id = ${ID}, runId = ${RUN_ID}] terminated with exception: ${"x".repeat(2000)} SQLSTATE: XXKST`,
            causeIdx: 1,
            sparkThrowable: { errorClass: "STREAM_FAILED", sqlState: "XXKST", messageParameters: { id: ID, runId: RUN_ID, message: "x".repeat(2000) } },
          },
          { errorTypeHierarchy: ["java.lang.RuntimeException"], message: "x".repeat(2000) },
        ],
      }),
    });
    streams.nextIds = queryId;
    const query = await RemoteStreamingQuery.start(clientFor(server.url), START);
    // ErrorInfo without errorClass/messageParameters (too long) and a cut message, but with the errorId.
    streams.queries.get(ID)!.terminate(sparkError(`[STREAM_FAILED] Query [id = ${ID}, runId = ${RUN_ID}] terminated with exception: xxxx…`, {
      classes: ["org.apache.spark.sql.streaming.StreamingQueryException", "java.lang.Exception", "java.lang.Throwable"], sqlState: "XXKST", errorId,
    }));
    const error = await query.awaitTermination(1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamingQueryException);
    expect((error as Error).message).toHaveLength(`[STREAM_FAILED] Query [id = ${ID}, runId = ${RUN_ID}] terminated with exception: `.length + 2000 + " SQLSTATE: XXKST".length);
    expect((error as StreamingQueryException & { sparkError: unknown }).sparkError).toMatchObject({
      errorClass: "STREAM_FAILED", sqlState: "XXKST", messageParameters: { id: ID, runId: RUN_ID }, errorId,
    });
    expect(server.requests("fetchErrorDetails")).toEqual([expect.objectContaining({ errorId })]);
  });
});

describe("a Spark Connect server that goes away and comes back", () => {
  test("a query's calls are retried while the server is UNAVAILABLE and answered when it is back", async () => {
    const { server, streams, query } = await startedPatiently();
    const port = server.port;
    await server.stop();
    const status = query.status;
    await sleep(200);
    await pool.serve(streams, {}, port); // the same server state behind the same address (a restart of the proxy, a network cut)
    expect(await status).toMatchObject({ isActive: true, message: "Waiting for data to arrive" });
  });

  test("awaitTermination() keeps waiting across the outage, slice by slice", async () => {
    const { server, streams, query } = await startedPatiently({ awaitSliceMs: 80 });
    const port = server.port;
    const terminated = query.awaitTermination();
    await sleep(120);
    await server.stop();
    await sleep(150);
    await pool.serve(streams, {}, port);
    setTimeout(() => streams.queries.get(ID)!.terminate(), 100);
    expect(await terminated).toBe(true);
  });
});

async function startedPatiently(options: { awaitSliceMs?: number } = {}) {
  const { server, streams } = await pool.serve();
  streams.nextIds = queryId;
  const client = clientFor(server.url, PATIENT_RETRIES);
  const query = await RemoteStreamingQuery.start(client, START, undefined, options);
  return { server, streams, query };
}
