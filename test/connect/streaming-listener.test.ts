import { afterEach, describe, expect, test } from "vitest";
import { StreamingQueryProgress } from "../../src/execution/progress.ts";
import type { QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, StreamingQueryListener as StreamingQueryListenerLike } from "../../src/execution/query-listener.ts";
import { StreamingQueryListener } from "../../src/api/streaming-query-listener.ts";
import type { ExecutePlanRequest, ReattachExecuteRequest } from "../../src/connect/gen/spark/connect/base_pb.ts";
import { StreamingQueryEventType } from "../../src/connect/gen/spark/connect/commands_pb.ts";
import { RemoteStreamingQueryManager } from "../../src/connect/remote-streaming-query-manager.ts";
import { eventProgress, FakeSparkStreams } from "./fake-streaming-handlers.ts";
import { clientFor, commandsSent, eventually, PATIENT_RETRIES, ServerPool, sleep } from "./streaming-test-kit.ts";

const pool = new ServerPool();
afterEach(() => pool.stopAll());

const ID = "5a4d7f0e-1b2c-4d3e-8f90-a1b2c3d4e5f6";
const RUN_ID = "0f9e8d7c-6b5a-4e3d-9c2b-1a0f9e8d7c6b";

/** A listener writing down what it is told, in order. */
function recorder(): { listener: StreamingQueryListenerLike; seen: string[]; progress: StreamingQueryProgress[] } {
  const seen: string[] = [];
  const progress: StreamingQueryProgress[] = [];
  return {
    seen, progress,
    listener: {
      onQueryStarted: (e) => seen.push(`started ${e.id} ${e.runId} ${e.name ?? "null"} ${e.timestamp}`),
      onQueryProgress: (e) => { progress.push(e.progress); seen.push(`progress ${e.progress.batchId} ${e.progress.numInputRows}`); },
      onQueryIdle: (e) => seen.push(`idle ${e.id} ${e.timestamp}`),
      onQueryTerminated: (e) => seen.push(`terminated ${e.id} ${e.exception ?? "null"} ${e.errorClassOnException ?? "null"}`),
    },
  };
}

const progressEvent = (batchId: number, rows: number) => JSON.stringify({ progress: eventProgress(ID, RUN_ID, batchId, rows) });
const idleEvent = (timestamp: string) => JSON.stringify({ id: ID, runId: RUN_ID, timestamp });
const terminatedEvent = (exception: string | null, errorClass: string | null) => JSON.stringify({ id: ID, runId: RUN_ID, exception, errorClassOnException: errorClass });

describe("streaming query listeners of a remote session", () => {
  test("the first listener opens the server's event stream; events reach every listener in the order sent", async () => {
    const { server, streams } = await pool.serve();
    const manager = new RemoteStreamingQueryManager(clientFor(server.url));
    const a = recorder();
    const b = recorder();
    await manager.addListener(a.listener);
    expect(streams.listenerBusRegistered).toBe(true);
    await manager.addListener(b.listener); // no second stream
    expect(commandsSent(server)).toEqual([{ streamingQueryListenerBusCommand: { addListenerBusListener: true } }]);
    const [open] = server.requests<ExecutePlanRequest>("executePlan");
    expect(open!.requestOptions[0]!.requestOption).toMatchObject({ case: "reattachOptions", value: { reattachable: true } });

    // onQueryStarted comes with start(), before it resolves (Spark's contract for the callback).
    streams.nextIds = { id: ID, runId: RUN_ID };
    const query = await manager.startQuery({ format: "memory", queryName: "counts" });
    expect(a.seen).toEqual([`started ${ID} ${RUN_ID} counts 2026-12-06T07:00:00.000Z`]);

    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(1, 10));
    streams.postEvent(StreamingQueryEventType.QUERY_IDLE_EVENT, idleEvent("2026-12-06T07:00:05.000Z"));
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(2, 7));
    streams.postEvent(StreamingQueryEventType.QUERY_TERMINATED_EVENT, terminatedEvent("org.apache.spark.SparkArithmeticException: [DIVIDE_BY_ZERO] Division by zero.", "DIVIDE_BY_ZERO"));
    await eventually(() => a.seen.length === 5 && b.seen.length === 5);
    expect(a.seen.slice(1)).toEqual([
      "progress 1 10",
      `idle ${ID} 2026-12-06T07:00:05.000Z`,
      "progress 2 7",
      `terminated ${ID} org.apache.spark.SparkArithmeticException: [DIVIDE_BY_ZERO] Division by zero. DIVIDE_BY_ZERO`,
    ]);
    expect(b.seen).toEqual(a.seen);
    const first = a.progress[0]!;
    expect(first).toBeInstanceOf(StreamingQueryProgress);
    expect([first.id, first.runId, first.name, first.batchDuration]).toEqual([ID, RUN_ID, "counts", 120]);
    expect(first.sources[0]).toMatchObject({ description: "RateStreamV2[rowsPerSecond=10]", startOffset: 0, endOffset: 1, numInputRows: 10 });
    expect(first.sources[0]!.inputRowsPerSecond).toBeNaN(); // left out of progress.json
    expect(first.sink).toEqual({ description: "MemorySink", numOutputRows: 10, metrics: {} });
    expect(query.name).toBe("counts");
  });

  test("a subclass of StreamingQueryListener gets the events, with itself as this; idle falls to its no-op", async () => {
    const { server, streams } = await pool.serve();
    const manager = new RemoteStreamingQueryManager(clientFor(server.url));
    class Recorder extends StreamingQueryListener {
      readonly seen: string[] = [];
      override onQueryStarted(e: QueryStartedEvent): void { this.seen.push(`started ${e.id}`); }
      override onQueryProgress(e: QueryProgressEvent): void { this.seen.push(`progress ${e.progress.batchId}`); }
      override onQueryTerminated(e: QueryTerminatedEvent): void { this.seen.push(`terminated ${e.exception ?? "null"}`); }
    }
    const listener = new Recorder();
    await manager.addListener(listener);
    streams.nextIds = { id: ID, runId: RUN_ID };
    await manager.startQuery({ format: "memory", queryName: "counts" });
    streams.postEvent(StreamingQueryEventType.QUERY_IDLE_EVENT, idleEvent("2026-12-06T07:00:05.000Z"));
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(1, 10));
    streams.postEvent(StreamingQueryEventType.QUERY_TERMINATED_EVENT, terminatedEvent(null, null));
    await eventually(() => listener.seen.length === 3);
    expect(listener.seen).toEqual([`started ${ID}`, "progress 1", "terminated null"]);
    expect(manager.listListeners()).toEqual([listener]);
  });

  test("removing the last listener closes the stream after delivering what was sent; later events reach nobody", async () => {
    const { server, streams } = await pool.serve();
    const manager = new RemoteStreamingQueryManager(clientFor(server.url));
    const a = recorder();
    const b = recorder();
    await manager.addListener(a.listener);
    await manager.addListener(b.listener);
    await manager.removeListener(a.listener);
    expect(streams.listenerBusRegistered).toBe(true); // b still listens
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(1, 3));
    await manager.removeListener(b.listener);
    expect(b.seen).toEqual(["progress 1 3"]);
    expect(a.seen).toEqual([]);
    expect(streams.listenerBusRegistered).toBe(false);
    expect(manager.listListeners()).toEqual([]);
    expect(commandsSent(server)).toEqual([
      { streamingQueryListenerBusCommand: { addListenerBusListener: true } },
      { streamingQueryListenerBusCommand: { removeListenerBusListener: true } },
    ]);
    // The long-running execution was released once the server completed it.
    await eventually(() => server.requests("releaseExecute").length >= 1);
    // Without listeners, the server sends no start event and nothing is delivered.
    const started = await manager.startQuery({ format: "memory", queryName: "" });
    expect(started.name).toBeNull();
    expect([...a.seen, ...b.seen]).toEqual(["progress 1 3"]);
  });

  test("a listener that throws is logged; the others still get every event", async () => {
    const { server, streams } = await pool.serve();
    const manager = new RemoteStreamingQueryManager(clientFor(server.url));
    const good = recorder();
    await manager.addListener({ onQueryProgress: () => { throw new Error("listener bug"); } });
    await manager.addListener(good.listener);
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(1, 1));
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(2, 2));
    await eventually(() => good.seen.length === 2);
    expect(good.seen).toEqual(["progress 1 1", "progress 2 2"]);
  });

  test("the event stream survives the server going away: reattached from the last event, nothing lost or repeated", async () => {
    const { server, streams } = await pool.serve();
    const port = server.port;
    const manager = new RemoteStreamingQueryManager(clientFor(server.url, PATIENT_RETRIES));
    const a = recorder();
    await manager.addListener(a.listener);
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(1, 1));
    await eventually(() => a.seen.length === 1);
    await server.stop();
    // Events the server produced while the client could not reach it.
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(2, 2));
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(3, 3));
    await sleep(200);
    const back = (await pool.serve(streams, {}, port)).server;
    streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(4, 4));
    await eventually(() => a.seen.length === 4);
    expect(a.seen).toEqual(["progress 1 1", "progress 2 2", "progress 3 3", "progress 4 4"]);
    const [reattach] = back.requests<ReattachExecuteRequest>("reattachExecute");
    const [open] = server.requests<ExecutePlanRequest>("executePlan");
    expect(reattach).toMatchObject({ operationId: open!.operationId });
    expect(reattach!.lastResponseId).toBeDefined();
    await manager.removeListener(a.listener);
    expect(streams.listenerBusRegistered).toBe(false);
  });

  test("a stream the server ends without ResultComplete (its maximum stream duration) is reattached, event after event", async () => {
    const { server, streams } = await pool.serve();
    streams.maxResponsesPerStream = 1;
    const manager = new RemoteStreamingQueryManager(clientFor(server.url));
    const a = recorder();
    await manager.addListener(a.listener);
    for (let batch = 1; batch <= 5; batch++) streams.postEvent(StreamingQueryEventType.QUERY_PROGRESS_EVENT, progressEvent(batch, batch * 10));
    await eventually(() => a.seen.length === 5);
    expect(a.seen).toEqual(["progress 1 10", "progress 2 20", "progress 3 30", "progress 4 40", "progress 5 50"]);
    const reattaches = server.requests<ReattachExecuteRequest>("reattachExecute");
    expect(reattaches.length).toBeGreaterThanOrEqual(5);
    // Each reattach resumes after the response the client saw last.
    const ids = reattaches.map((r) => r.lastResponseId);
    expect(new Set(ids).size).toBe(ids.length);
    await manager.removeListener(a.listener);
    expect(streams.listenerBusRegistered).toBe(false);
  });

  test("a server that lost the stream (restarted): the listeners are dropped, as Spark's bus does, and can be added again", async () => {
    const { server } = await pool.serve();
    const port = server.port;
    const manager = new RemoteStreamingQueryManager(clientFor(server.url, PATIENT_RETRIES));
    const a = recorder();
    await manager.addListener(a.listener);
    await server.stop();
    const restarted = new FakeSparkStreams();
    await pool.serve(restarted, {}, port); // a new server: it knows nothing of the operation
    await eventually(() => manager.listListeners().length === 0);
    await manager.addListener(a.listener);
    expect(restarted.listenerBusRegistered).toBe(true);
    restarted.postEvent(StreamingQueryEventType.QUERY_IDLE_EVENT, idleEvent("2026-12-06T07:10:00.000Z"));
    await eventually(() => a.seen.length === 1);
    expect(a.seen).toEqual([`idle ${ID} 2026-12-06T07:10:00.000Z`]);
  });
});
