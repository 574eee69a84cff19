import type { MessageInitShape } from "@bufbuild/protobuf";
import { ExecutionError, StreamingQueryException } from "../common/errors.ts";
import type { StreamingQueryProgress, StreamingQueryStatus } from "../execution/progress.ts";
import type { QueryStartedEvent } from "../execution/query-listener.ts";
import type {
  StreamingQueryCommandSchema, StreamingQueryCommandResult, WriteStreamOperationStartSchema,
} from "./gen/spark/connect/commands_pb.ts";
import { executeCommandFor, type QueryInstance } from "./remote-command.ts";
import { progressFromSparkJson, queryStartedFromSparkJson } from "./spark-progress-json.ts";
import type { SparkConnectClient } from "./spark-connect-client.ts";

export type Awaitable<T> = T | Promise<T>;

/**
 * What a streaming query handle offers on both backends (Spark's StreamingQuery): the local
 * StreamingQuery answers from this process, a RemoteStreamingQuery asks the server, so what
 * needs the server is a promise there. `await query.status` works on both.
 */
export interface StreamingQueryHandle {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly isActive: Awaitable<boolean>;
  readonly exception: Awaitable<StreamingQueryException | null>;
  readonly status: Awaitable<StreamingQueryStatus>;
  readonly lastProgress: Awaitable<StreamingQueryProgress | null>;
  readonly recentProgress: Awaitable<StreamingQueryProgress[]>;
  awaitTermination(timeoutMs?: number): Promise<boolean>;
  processAllAvailable(): Promise<void>;
  stop(): Promise<void>;
  explain(extended?: boolean): Awaitable<void>;
}

/** Spark Connect's status adds whether the query is active (StatusResult.is_active). */
export interface RemoteStreamingQueryStatus extends StreamingQueryStatus {
  readonly isActive: boolean;
}

export type WriteStreamOperationStartInit = MessageInitShape<typeof WriteStreamOperationStartSchema>;
type QueryCommand = NonNullable<MessageInitShape<typeof StreamingQueryCommandSchema>["command"]>;

/** Where a query's start event goes: the session's listener bus, before start() returns (Spark's contract). */
export interface QueryStartedSink {
  postQueryStarted(event: QueryStartedEvent): void;
}

export interface RemoteStreamingQueryOptions {
  /**
   * The longest single wait awaitTermination() asks the server for (10 s, as the server's own
   * slices): a longer wait is a series of them, so each call stays short, a server that is
   * briefly UNAVAILABLE is retried between them, and a query the server lost is noticed.
   */
  readonly awaitSliceMs?: number;
}

export const DEFAULT_AWAIT_SLICE_MS = 10_000;

/**
 * A streaming query running on a Spark Connect server (Spark's RemoteStreamingQuery): id, run
 * id and name are known at start; every other member is one StreamingQueryCommand naming the
 * query by `{id, run_id}`.
 */
export class RemoteStreamingQuery implements StreamingQueryHandle {
  readonly #client: SparkConnectClient;
  readonly #awaitSliceMs: number;

  /** @internal Queries are started by `writeStream…start()` or found by `spark.streams`. */
  constructor(client: SparkConnectClient, readonly id: string, readonly runId: string, readonly name: string | null, options: RemoteStreamingQueryOptions = {}) {
    this.#client = client;
    this.#awaitSliceMs = options.awaitSliceMs ?? DEFAULT_AWAIT_SLICE_MS;
  }

  /**
   * @internal
   * Starts a query (Command.write_stream_operation_start) and returns its handle. When the
   * session has listeners the server sends the query's start event with the result; it is
   * delivered to `listeners` before this resolves, as Spark's onQueryStarted contract says.
   */
  static async start(
    client: SparkConnectClient, start: WriteStreamOperationStartInit,
    listeners?: QueryStartedSink, options: RemoteStreamingQueryOptions = {},
  ): Promise<RemoteStreamingQuery> {
    const result = await executeCommandFor(client, { case: "writeStreamOperationStart", value: start }, "writeStreamOperationStartResult");
    const queryId = result.queryId;
    if (queryId === undefined || queryId.id === "" || queryId.runId === "") {
      throw new ExecutionError(`the Spark Connect server at ${client.channel.target} started a streaming query without telling its id and run id`);
    }
    const query = new RemoteStreamingQuery(client, queryId.id, queryId.runId, result.name === "" ? null : result.name, options);
    if (result.queryStartedEventJson !== undefined && listeners !== undefined) {
      listeners.postQueryStarted(queryStartedFromSparkJson(result.queryStartedEventJson));
    }
    return query;
  }

  get status(): Promise<RemoteStreamingQueryStatus> {
    return this.#command({ case: "status", value: true }).then((r) => {
      const s = r.resultType.case === "status" ? r.resultType.value : undefined;
      return { message: s?.statusMessage ?? "", isDataAvailable: s?.isDataAvailable ?? false, isTriggerActive: s?.isTriggerActive ?? false, isActive: s?.isActive ?? false };
    });
  }

  get isActive(): Promise<boolean> {
    return this.status.then((s) => s.isActive);
  }

  /** The latest progress report, null before the first trigger. */
  get lastProgress(): Promise<StreamingQueryProgress | null> {
    return this.#progress({ case: "lastProgress", value: true }).then((all) => all.at(-1) ?? null);
  }

  get recentProgress(): Promise<StreamingQueryProgress[]> {
    return this.#progress({ case: "recentProgress", value: true });
  }

  /**
   * The exception that stopped the query, null while it runs or when it stopped cleanly. As
   * Spark's Scala client, asks with `exception: false`, to which the server answers a failed
   * query by throwing its StreamingQueryException (class, SQL state and parameters intact);
   * an older server's ExceptionResult (message and class only) is read too.
   */
  get exception(): Promise<StreamingQueryException | null> {
    return this.#command({ case: "exception", value: false }).then(
      (r) => (r.resultType.case === "exception" ? this.#exceptionFrom(r.resultType.value) : null),
      (error: unknown) => {
        if (error instanceof StreamingQueryException) return error;
        throw error;
      },
    );
  }

  /**
   * Waits until the query stops: resolves to true, or rejects with its StreamingQueryException
   * when it failed. With `timeoutMs` (positive), resolves to false if it is still running then.
   */
  awaitTermination(timeoutMs?: number): Promise<boolean> {
    return awaitInSlices(timeoutMs, this.#awaitSliceMs, async (slice) => {
      const r = await this.#command({ case: "awaitTermination", value: { timeoutMs: BigInt(slice) } });
      return r.resultType.case === "awaitTermination" && r.resultType.value.terminated;
    });
  }

  /** Waits until the server has processed all data available in the sources now (for tests). */
  async processAllAvailable(): Promise<void> {
    await this.#command({ case: "processAllAvailable", value: true });
  }

  async stop(): Promise<void> {
    await this.#command({ case: "stop", value: true });
  }

  /** Prints the server's plans of the query (logical and physical with `extended`). */
  async explain(extended = false): Promise<void> {
    process.stdout.write(`${await this.explainString(extended)}\n`);
  }

  async explainString(extended = false): Promise<string> {
    const r = await this.#command({ case: "explain", value: { extended } });
    return r.resultType.case === "explain" ? r.resultType.value.result : "";
  }

  toString(): string {
    return `RemoteStreamingQuery[id=${this.id}, runId=${this.runId}, name=${this.name ?? ""}]`;
  }

  get #instance(): QueryInstance {
    return { id: this.id, runId: this.runId };
  }

  #command(command: QueryCommand): Promise<StreamingQueryCommandResult> {
    return executeCommandFor(this.#client, {
      case: "streamingQueryCommand", value: { queryId: this.#instance, command },
    }, "streamingQueryCommandResult", this.#instance);
  }

  async #progress(command: QueryCommand): Promise<StreamingQueryProgress[]> {
    const r = await this.#command(command);
    const json = r.resultType.case === "recentProgress" ? r.resultType.value.recentProgressJson : [];
    return json.map((j) => progressFromSparkJson(j));
  }

  /** An ExceptionResult: `exception_message` is the Java exception's toString (`<class>: <message>`). */
  #exceptionFrom(result: { exceptionMessage?: string; errorClass?: string; stackTrace?: string }): StreamingQueryException | null {
    if (result.exceptionMessage === undefined) return null;
    const text = result.exceptionMessage;
    const separator = text.indexOf(": ");
    const message = separator >= 0 && /^[\w.$]+$/.test(text.slice(0, separator)) ? text.slice(separator + 2) : text;
    const errorClass = result.errorClass ?? null;
    const withClass = errorClass !== null && !message.startsWith(`[${errorClass}]`) ? `[${errorClass}] ${message}` : message;
    return Object.assign(new StreamingQueryException(withClass, this.id, this.runId), {
      sparkError: { errorClass, sqlState: null, messageParameters: {}, classes: ["org.apache.spark.sql.streaming.StreamingQueryException"] },
    });
  }
}

/**
 * A wait of `timeoutMs` (forever without one) asked of the server in slices of at most
 * `sliceMs`: `ask(slice)` says whether what is awaited happened within the slice.
 */
export async function awaitInSlices(timeoutMs: number | undefined, sliceMs: number, ask: (sliceMs: number) => Promise<boolean>): Promise<boolean> {
  if (timeoutMs !== undefined) checkPositive(timeoutMs, "timeoutMs");
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  for (;;) {
    if (await ask(Math.max(1, Math.ceil(Math.min(sliceMs, deadline - Date.now()))))) return true;
    if (Date.now() >= deadline) return false;
  }
}

/** Spark's clients refuse a timeout that is not positive ([VALUE_NOT_POSITIVE]). */
export function checkPositive(value: number, name: string): void {
  if (!(typeof value === "number" && value > 0 && Number.isFinite(value))) {
    throw new ExecutionError(`[VALUE_NOT_POSITIVE] Value for \`${name}\` must be positive, got '${value}'.`);
  }
}
