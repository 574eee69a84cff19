import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../../src/connect/gen/google/rpc/error_info_pb.ts";
import type { ExecutePlanRequest, ReattachExecuteRequest, SparkConnectService } from "../../src/connect/gen/spark/connect/base_pb.ts";
import { StreamingQueryEventType, type StreamingQueryCommand, type StreamingQueryManagerCommand } from "../../src/connect/gen/spark/connect/commands_pb.ts";

type Impl = Partial<ServiceImpl<typeof SparkConnectService>>;
type Response = Record<string, unknown> & { responseId: string };

/** A server-side error as Spark's ErrorUtils sends it: INTERNAL with an ErrorInfo naming the exception's classes. */
export function sparkError(message: string, details: {
  classes: string[]; errorClass?: string; sqlState?: string; messageParameters?: Record<string, string>; errorId?: string;
}): ConnectError {
  const metadata: Record<string, string> = { classes: JSON.stringify(details.classes) };
  if (details.sqlState !== undefined) metadata.sqlState = details.sqlState;
  if (details.errorClass !== undefined) {
    metadata.errorClass = details.errorClass;
    metadata.messageParameters = JSON.stringify(details.messageParameters ?? {});
  }
  if (details.errorId !== undefined) metadata.errorId = details.errorId;
  const info = create(ErrorInfoSchema, { reason: details.classes[0]!, domain: "org.apache.spark", metadata });
  return new ConnectError(message, Code.Internal, undefined, [{ desc: ErrorInfoSchema, value: info }]);
}

const STREAMING_QUERY_EXCEPTION = ["org.apache.spark.sql.streaming.StreamingQueryException", "java.lang.Exception", "java.lang.Throwable"];
const ILLEGAL_ARGUMENT = ["java.lang.IllegalArgumentException", "java.lang.RuntimeException", "java.lang.Exception", "java.lang.Throwable"];

/** Spark's StreamingQueryException for a query whose batch failed with `cause` (STREAM_FAILED, SQLSTATE XXKST). */
export function streamFailed(id: string, runId: string, cause: string, errorId?: string): ConnectError {
  return sparkError(`[STREAM_FAILED] Query [id = ${id}, runId = ${runId}] terminated with exception: ${cause} SQLSTATE: XXKST`, {
    classes: STREAMING_QUERY_EXCEPTION, errorClass: "STREAM_FAILED", sqlState: "XXKST",
    messageParameters: { id, runId, message: cause }, ...(errorId === undefined ? {} : { errorId }),
  });
}

/** One query as the server holds it (SparkConnectStreamingQueryCache). */
export class FakeQuery {
  status = { statusMessage: "Waiting for data to arrive", isDataAvailable: false, isTriggerActive: false };
  active = true;
  /** Progress as the server sends it for lastProgress/recentProgress: Jackson's StreamingQueryProgress.jsonString. */
  readonly progress: string[] = [];
  failure: ConnectError | null = null;
  explain = "== Physical Plan ==\nWriteToDataSourceV2 MicroBatchWrite";
  readonly #terminated: Promise<void>;
  #markTerminated!: () => void;

  constructor(readonly id: string, readonly runId: string, readonly name: string | null, readonly onTerminated: (q: FakeQuery) => void) {
    this.#terminated = new Promise((resolve) => { this.#markTerminated = resolve; });
  }

  get terminated(): Promise<void> {
    return this.#terminated;
  }

  terminate(failure: ConnectError | null = null): void {
    if (!this.active) return;
    this.active = false;
    this.failure = failure;
    this.status = { statusMessage: "Stopped", isDataAvailable: false, isTriggerActive: false };
    this.#markTerminated();
    this.onTerminated(this);
  }
}

interface ListenerStream {
  readonly operationId: string;
  readonly responses: Response[];
  ended: boolean;
  wake: () => void;
  changed: Promise<void>;
}

/**
 * The streaming part of a Spark Connect server, answering as SparkConnectPlanner and the
 * listener bus handler do: WriteStreamOperationStart starts a query (and returns its start
 * event when a listener bus is registered), StreamingQueryCommand and
 * StreamingQueryManagerCommand answer from the queries here, and the listener bus is one
 * long-running, reattachable execution streaming the events a test posts. Its state outlives
 * a FakeSparkConnectServer, so a server stopped and started again on the same port finds it.
 */
export class FakeSparkStreams {
  readonly queries = new Map<string, FakeQuery>();
  /** What the next WriteStreamOperationStart fails with, if set (an AnalysisException, …). */
  startFailure: ConnectError | null = null;
  /**
   * Ends each listener-bus stream after this many responses without ResultComplete, as Spark
   * ends a reattachable stream after `spark.connect.execute.reattachable.senderMaxStreamDuration`
   * (2 minutes) or `…senderMaxStreamSize`: the client is to reattach.
   */
  maxResponsesPerStream: number | null = null;
  /** Answer `exception` as servers before Spark 4 did: an ExceptionResult whatever the flag. */
  legacyExceptionResult = false;
  /** What the next start names its query: tests that need to know the ids set them. */
  nextIds: { id: string; runId: string } | null = null;
  #lastTerminated: FakeQuery | null = null;
  #terminationWaiters: (() => void)[] = [];
  #bus: ListenerStream | null = null;
  /** Every bus execution by operation id: an ended one still answers reattaches until released, as Spark's. */
  readonly #busOperations = new Map<string, ListenerStream>();
  #responseCounter = 0;

  /** Posts a listener event on the bus as SparkConnectListenerBusListener.send does (one event a response). */
  postEvent(eventType: StreamingQueryEventType, eventJson: string): void {
    const bus = this.#bus;
    if (bus === null) throw new Error("no listener bus is registered");
    this.#append(bus, { streamingQueryListenerEventsResult: { events: [{ eventJson, eventType }] } });
  }

  get listenerBusRegistered(): boolean {
    return this.#bus !== null;
  }

  handlers(): Impl {
    const self = this;
    return {
      async *executePlan(request, context) {
        yield* self.#execute(request, context) as AsyncIterable<never>;
      },
      async *reattachExecute(request, context) {
        yield* self.#reattach(request, context) as AsyncIterable<never>;
      },
    };
  }

  async *#execute(request: ExecutePlanRequest, context: HandlerContext): AsyncGenerator<Record<string, unknown>> {
    const plan = request.plan?.opType;
    if (plan?.case !== "command") throw new Error("the fake streaming server runs commands only");
    const command = plan.value.commandType;
    const answer = (responseType: { case: string; value: unknown }) => ({
      sessionId: request.sessionId, serverSideSessionId: "fake-server-session", operationId: request.operationId,
      responseId: `r${++this.#responseCounter}`, responseType,
    });
    switch (command.case) {
      case "writeStreamOperationStart": {
        if (this.startFailure !== null) {
          const failure = this.startFailure;
          this.startFailure = null;
          throw failure;
        }
        const ids = this.nextIds ?? { id: randomUUID(), runId: randomUUID() };
        this.nextIds = null;
        const name = command.value.queryName === "" ? null : command.value.queryName;
        const query = new FakeQuery(ids.id, ids.runId, name, (q) => this.#onTerminated(q));
        this.queries.set(query.id, query);
        const timestamp = "2026-12-06T07:00:00.000Z";
        yield answer({
          case: "writeStreamOperationStartResult",
          value: {
            queryId: { id: query.id, runId: query.runId }, name: name ?? "",
            ...(this.#bus === null ? {} : { queryStartedEventJson: JSON.stringify({ id: query.id, runId: query.runId, name, timestamp }) }),
          },
        });
        break;
      }
      case "streamingQueryCommand":
        yield answer({ case: "streamingQueryCommandResult", value: await this.#queryCommand(command.value) });
        break;
      case "streamingQueryManagerCommand":
        yield answer({ case: "streamingQueryManagerCommandResult", value: await this.#managerCommand(command.value) });
        break;
      case "streamingQueryListenerBusCommand":
        if (command.value.command.case === "addListenerBusListener") {
          if (this.#bus !== null) break; // "Redundant server side listener added. Exiting."
          const bus = this.#newBus(request.operationId ?? "");
          this.#append(bus, { streamingQueryListenerEventsResult: { events: [], listenerBusListenerAdded: true } });
          yield* this.#follow(bus, 0, context);
          return;
        }
        if (command.value.command.case === "removeListenerBusListener" && this.#bus !== null) {
          const bus = this.#bus;
          this.#bus = null;
          bus.ended = true; // cleanUp(): the long-running stream sends its ResultComplete
          bus.wake();
        }
        break;
      default:
        throw new Error(`the fake streaming server does not run ${String(command.case)}`);
    }
    yield answer({ case: "resultComplete", value: {} });
  }

  async *#reattach(request: ReattachExecuteRequest, context: HandlerContext): AsyncGenerator<Record<string, unknown>> {
    const bus = this.#busOperations.get(request.operationId);
    if (bus === undefined) {
      throw sparkError(`[INVALID_HANDLE.OPERATION_NOT_FOUND] The handle ${request.operationId} is invalid. Operation not found. SQLSTATE: HY000`, {
        classes: ["org.apache.spark.SparkSQLException", "org.apache.spark.sql.connect.common.InvalidPlanInput"], errorClass: "INVALID_HANDLE.OPERATION_NOT_FOUND", sqlState: "HY000", messageParameters: { handle: request.operationId },
      });
    }
    const from = request.lastResponseId === undefined ? 0 : bus.responses.findIndex((r) => r.responseId === request.lastResponseId) + 1;
    yield* this.#follow(bus, from, context);
  }

  /** Streams the bus's responses from `from`, waiting for new ones, until the bus ends. */
  async *#follow(bus: ListenerStream, from: number, context: HandlerContext): AsyncGenerator<Record<string, unknown>> {
    let next = from;
    let sent = 0;
    for (;;) {
      while (next < bus.responses.length) {
        if (this.maxResponsesPerStream !== null && sent >= this.maxResponsesPerStream) return;
        yield bus.responses[next++]!;
        sent++;
      }
      if (bus.ended) break;
      const aborted = new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
      await Promise.race([bus.changed, aborted]);
      if (context.signal.aborted) return;
    }
    yield { sessionId: "", serverSideSessionId: "fake-server-session", operationId: bus.operationId, responseId: `r${++this.#responseCounter}`, responseType: { case: "resultComplete", value: {} } };
  }

  #newBus(operationId: string): ListenerStream {
    const bus: ListenerStream = { operationId, responses: [], ended: false, wake: () => undefined, changed: Promise.resolve() };
    const arm = (): void => { bus.changed = new Promise((resolve) => { bus.wake = () => { arm(); resolve(); }; }); };
    arm();
    this.#bus = bus;
    this.#busOperations.set(operationId, bus);
    return bus;
  }

  #append(bus: ListenerStream, result: { streamingQueryListenerEventsResult: unknown }): void {
    bus.responses.push({
      sessionId: "", serverSideSessionId: "fake-server-session", operationId: bus.operationId, responseId: `r${++this.#responseCounter}`,
      responseType: { case: "streamingQueryListenerEventsResult", value: result.streamingQueryListenerEventsResult },
    });
    bus.wake();
  }

  #find(id: string, runId: string): FakeQuery {
    const query = this.queries.get(id);
    if (query === undefined) throw sparkError(`Streaming query ${id} is not found`, { classes: ILLEGAL_ARGUMENT });
    if (query.runId !== runId) {
      throw sparkError(`Run id mismatch for query id ${id}. Run id in the request ${runId} does not match one on the server ${query.runId}. The query might have restarted.`, { classes: ILLEGAL_ARGUMENT });
    }
    return query;
  }

  async #queryCommand(command: StreamingQueryCommand): Promise<Record<string, unknown>> {
    const query = this.#find(command.queryId?.id ?? "", command.queryId?.runId ?? "");
    const base = { queryId: { id: query.id, runId: query.runId } };
    const c = command.command;
    switch (c.case) {
      case "status":
        return { ...base, resultType: { case: "status", value: { ...query.status, isActive: query.active } } };
      case "lastProgress":
      case "recentProgress":
        return { ...base, resultType: { case: "recentProgress", value: { recentProgressJson: c.case === "lastProgress" ? query.progress.slice(-1) : [...query.progress] } } };
      case "stop":
        query.terminate();
        return base;
      case "processAllAvailable":
        if (query.failure !== null) throw query.failure;
        return base;
      case "explain":
        return { ...base, resultType: { case: "explain", value: { result: c.value.extended ? `== Parsed Logical Plan ==\nWriteToMicroBatchDataSource\n\n${query.explain}` : query.explain } } };
      case "exception":
        // Spark 4: asked with `false`, the server throws the query's StreamingQueryException itself.
        if (query.failure !== null && !c.value && !this.legacyExceptionResult) throw query.failure;
        return query.failure === null ? base : { ...base, resultType: { case: "exception", value: { exceptionMessage: `org.apache.spark.sql.streaming.StreamingQueryException: ${query.failure.rawMessage}`, errorClass: "STREAM_FAILED" } } };
      case "awaitTermination": {
        const timeout = c.value.timeoutMs === undefined ? undefined : Number(c.value.timeoutMs);
        const terminated = await waitFor(query.terminated, timeout);
        if (terminated && query.failure !== null) throw query.failure;
        return { ...base, resultType: { case: "awaitTermination", value: { terminated } } };
      }
      default:
        throw sparkError("Missing command in StreamingQueryCommand", { classes: ILLEGAL_ARGUMENT });
    }
  }

  async #managerCommand(command: StreamingQueryManagerCommand): Promise<Record<string, unknown>> {
    const instance = (q: FakeQuery) => ({ id: { id: q.id, runId: q.runId }, ...(q.name === null ? {} : { name: q.name }) });
    const c = command.command;
    switch (c.case) {
      case "active":
        return { resultType: { case: "active", value: { activeQueries: [...this.queries.values()].filter((q) => q.active).map(instance) } } };
      case "getQuery": {
        const q = this.queries.get(c.value);
        return q === undefined || !q.active ? {} : { resultType: { case: "query", value: instance(q) } };
      }
      case "awaitAnyTermination": {
        const timeout = c.value.timeoutMs === undefined ? undefined : Number(c.value.timeoutMs);
        if (this.#lastTerminated === null) {
          const terminated = await waitFor(new Promise<void>((resolve) => this.#terminationWaiters.push(resolve)), timeout);
          if (!terminated) return { resultType: { case: "awaitAnyTermination", value: { terminated: false } } };
        }
        if (this.#lastTerminated?.failure) throw this.#lastTerminated.failure;
        return { resultType: { case: "awaitAnyTermination", value: { terminated: true } } };
      }
      case "resetTerminated":
        this.#lastTerminated = null;
        return { resultType: { case: "resetTerminated", value: true } };
      default:
        throw sparkError("Missing command in StreamingQueryManagerCommand", { classes: ILLEGAL_ARGUMENT });
    }
  }

  #onTerminated(query: FakeQuery): void {
    this.#lastTerminated = query;
    for (const w of this.#terminationWaiters.splice(0)) w();
  }
}

/** Whether `done` settles within `timeoutMs` (forever without one). */
async function waitFor(done: Promise<void>, timeoutMs: number | undefined): Promise<boolean> {
  if (timeoutMs === undefined) {
    await done;
    return true;
  }
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([done.then(() => true), new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); })]);
  clearTimeout(timer);
  return result;
}

/** A progress report as Jackson writes StreamingQueryProgress (lastProgress/recentProgress): offsets as JSON text, no totals. */
export function jacksonProgress(id: string, runId: string, batchId: number, numInputRows: number): string {
  return JSON.stringify({
    id, runId, name: "counts", timestamp: `2026-12-06T07:00:0${batchId}.000Z`, batchId, batchDuration: 120,
    durationMs: { addBatch: 80, getBatch: 3, latestOffset: 2, queryPlanning: 10, triggerExecution: 120, walCommit: 12 },
    eventTime: { avg: "2026-12-06T06:59:30.000Z", max: "2026-12-06T06:59:59.000Z", min: "2026-12-06T06:59:00.000Z", watermark: "2026-12-06T06:49:59.000Z" },
    stateOperators: [{
      operatorName: "stateStoreSave", numRowsTotal: 4, numRowsUpdated: 2, allUpdatesTimeMs: 5, numRowsRemoved: 0, allRemovalsTimeMs: 0,
      commitTimeMs: 7, memoryUsedBytes: 1024, numRowsDroppedByWatermark: 1, numShufflePartitions: 200, numStateStoreInstances: 200,
      customMetrics: { loadedMapCacheHitCount: 3 },
    }],
    sources: [{
      description: "FileStreamSource[s3a://bucket/logs]", startOffset: batchId === 0 ? null : `{"logOffset":${batchId - 1}}`, endOffset: `{"logOffset":${batchId}}`,
      latestOffset: null, numInputRows, inputRowsPerSecond: "NaN", processedRowsPerSecond: numInputRows / 0.12, metrics: {},
    }],
    sink: { description: "DeltaSink[s3a://bucket/tables/action_counts]", numOutputRows: -1, metrics: {} },
    observedMetrics: {},
  });
}

/** The same report as `progress.json` writes it (listener events): offsets as JSON, NaN rates and empty maps left out. */
export function eventProgress(id: string, runId: string, batchId: number, numInputRows: number): Record<string, unknown> {
  return {
    id, runId, name: "counts", timestamp: `2026-12-06T07:00:0${batchId}.000Z`, batchId, batchDuration: 120, numInputRows,
    processedRowsPerSecond: numInputRows / 0.12,
    durationMs: { triggerExecution: 120 },
    stateOperators: [],
    sources: [{ description: "RateStreamV2[rowsPerSecond=10]", startOffset: batchId - 1, endOffset: batchId, latestOffset: batchId, numInputRows, processedRowsPerSecond: numInputRows / 0.12 }],
    sink: { description: "MemorySink", numOutputRows: numInputRows },
  };
}
