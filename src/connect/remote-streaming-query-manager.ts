import type { MessageInitShape } from "@bufbuild/protobuf";
import type { StreamingQueryListener } from "../execution/query-listener.ts";
import type {
  StreamingQueryManagerCommandSchema, StreamingQueryManagerCommandResult, StreamingQueryManagerCommandResult_StreamingQueryInstance,
} from "./gen/spark/connect/commands_pb.ts";
import { executeCommandFor } from "./remote-command.ts";
import { RemoteStreamingQueryListenerBus } from "./remote-listener-bus.ts";
import {
  awaitInSlices, DEFAULT_AWAIT_SLICE_MS, RemoteStreamingQuery, type Awaitable, type RemoteStreamingQueryOptions, type StreamingQueryHandle, type WriteStreamOperationStartInit,
} from "./remote-streaming-query.ts";
import type { SparkConnectClient } from "./spark-connect-client.ts";

type ManagerCommand = NonNullable<MessageInitShape<typeof StreamingQueryManagerCommandSchema>["command"]>;


/** `spark.streams` on both backends (Spark's StreamingQueryManager); promises where the remote one asks the server. */
export interface StreamingQueryManagerHandle {
  readonly active: Awaitable<StreamingQueryHandle[]>;
  get(id: string): Awaitable<StreamingQueryHandle | null>;
  awaitAnyTermination(timeoutMs?: number): Promise<boolean>;
  resetTerminated(): Awaitable<void>;
  addListener(listener: StreamingQueryListener): Awaitable<void>;
  removeListener(listener: StreamingQueryListener): Awaitable<void>;
}

/**
 * `spark.streams` of a remote session (Spark's Connect StreamingQueryManager): the queries
 * are the server's, asked for with StreamingQueryManagerCommand; listeners run here, fed by
 * the server's event stream (RemoteStreamingQueryListenerBus).
 */
export class RemoteStreamingQueryManager implements StreamingQueryManagerHandle {
  readonly #client: SparkConnectClient;
  readonly #options: RemoteStreamingQueryOptions;
  readonly #bus: RemoteStreamingQueryListenerBus;

  /** @internal A remote session makes it. */
  constructor(client: SparkConnectClient, options: RemoteStreamingQueryOptions = {}) {
    this.#client = client;
    this.#options = options;
    this.#bus = new RemoteStreamingQueryListenerBus(client);
  }

  /** Starts a query whose start event reaches this session's listeners before the promise resolves. */
  /** @internal */
  startQuery(start: WriteStreamOperationStartInit): Promise<RemoteStreamingQuery> {
    return RemoteStreamingQuery.start(this.#client, start, this.#bus, this.#options);
  }

  /** The queries active on the server in this session. */
  get active(): Promise<RemoteStreamingQuery[]> {
    return this.#command({ case: "active", value: true }).then((r) =>
      r.resultType.case === "active" ? r.resultType.value.activeQueries.map((q) => this.#query(q)) : []);
  }

  /** The active query with this id, or null. */
  async get(id: string): Promise<RemoteStreamingQuery | null> {
    const r = await this.#command({ case: "getQuery", value: id });
    return r.resultType.case === "query" ? this.#query(r.resultType.value) : null;
  }

  /**
   * Waits until any query of the session terminates (since the last resetTerminated()):
   * true, or the StreamingQueryException of a query that failed. With `timeoutMs` (positive),
   * false when none terminated by then. Asked in slices, as RemoteStreamingQuery.awaitTermination.
   */
  awaitAnyTermination(timeoutMs?: number): Promise<boolean> {
    return awaitInSlices(timeoutMs, this.#options.awaitSliceMs ?? DEFAULT_AWAIT_SLICE_MS, async (slice) => {
      const r = await this.#command({ case: "awaitAnyTermination", value: { timeoutMs: BigInt(slice) } });
      return r.resultType.case === "awaitAnyTermination" && r.resultType.value.terminated;
    });
  }

  /** Forgets past terminations, so awaitAnyTermination() waits for a new one. */
  async resetTerminated(): Promise<void> {
    await this.#command({ case: "resetTerminated", value: true });
  }

  /** Adds a listener; the first one opens the server's event stream (rejects if the server refuses it). */
  addListener(listener: StreamingQueryListener): Promise<void> {
    return this.#bus.add(listener);
  }

  /** Removes a listener; the last one closes the event stream after the events already sent are delivered. */
  removeListener(listener: StreamingQueryListener): Promise<void> {
    return this.#bus.remove(listener);
  }

  /** The listeners added and not removed. */
  listListeners(): StreamingQueryListener[] {
    return [...this.#bus.listeners];
  }

  /** Removes every listener (when the session stops). */
  close(): Promise<void> {
    return this.#bus.close();
  }

  #command(command: ManagerCommand): Promise<StreamingQueryManagerCommandResult> {
    return executeCommandFor(this.#client, { case: "streamingQueryManagerCommand", value: { command } }, "streamingQueryManagerCommandResult");
  }

  #query(q: StreamingQueryManagerCommandResult_StreamingQueryInstance): RemoteStreamingQuery {
    return new RemoteStreamingQuery(this.#client, q.id?.id ?? "", q.id?.runId ?? "", q.name ?? null, this.#options);
  }
}
