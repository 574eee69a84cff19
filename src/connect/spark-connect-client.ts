import { randomUUID } from "node:crypto";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { RecordBatchReader, type RecordBatch } from "apache-arrow";
import { ConnectorError } from "../common/errors.ts";
import { isUnavailable, type ConnectChannel } from "./channel.ts";
import type {
  AnalyzePlanRequestSchema, AnalyzePlanResponse, ExecutePlanResponse, FetchErrorDetailsResponse, PlanSchema,
} from "./gen/spark/connect/base_pb.ts";
import type { DataType as ProtoDataType } from "./gen/spark/connect/types_pb.ts";
import { detailsOf, remoteError } from "./remote-errors.ts";

type PlanInit = MessageInitShape<typeof PlanSchema>;
type AnalyzeInit = MessageInitShape<typeof AnalyzePlanRequestSchema>["analyze"];

/** What an ExecutePlan returned: the result rows as Arrow batches, their schema, and any command results. */
export interface ExecuteResult {
  readonly operationId: string;
  readonly batches: readonly RecordBatch[];
  readonly schema: ProtoDataType | undefined;
  /** The responses that are neither rows nor progress: SqlCommandResult, WriteStreamOperationStartResult, … */
  readonly results: readonly ExecutePlanResponse["responseType"][];
}

/** The oldest Spark a plan may be sent to: older servers drop fields they do not know, silently. */
const MIN_SPARK_MAJOR = 4;

/**
 * One Spark Connect session's calls (Spark's SparkConnectClient): every request carries
 * the session id, the user context and the client type, and the server-side session id
 * once the server has told it; the server's version is checked before the first plan.
 * Executions are reattachable: a stream cut before its ResultComplete is resumed with
 * ReattachExecute from the last response seen, and released when done.
 */
export class SparkConnectClient {
  #serverSideSessionId: string | undefined;
  #version: Promise<string> | null = null;

  constructor(readonly channel: ConnectChannel) {}

  get sessionId(): string {
    return this.channel.connection.sessionId;
  }

  #base() {
    const c = this.channel.connection;
    return {
      sessionId: c.sessionId,
      userContext: { userId: c.userId ?? "", userName: c.userId ?? "" },
      clientType: c.userAgent,
      ...(this.#serverSideSessionId === undefined ? {} : { clientObservedServerSideSessionId: this.#serverSideSessionId }),
    };
  }

  #observe(response: { serverSideSessionId: string }): void {
    if (response.serverSideSessionId !== "") this.#serverSideSessionId = response.serverSideSessionId;
  }

  /** The server's Spark version; refuses a server older than 4.0. */
  sparkVersion(): Promise<string> {
    this.#version ??= this.#call(async () => {
      const response = await this.channel.client.analyzePlan({ ...this.#base(), analyze: { case: "sparkVersion", value: {} } });
      this.#observe(response);
      const version = response.result.case === "sparkVersion" ? response.result.value.version : "";
      const major = Number(version.split(".")[0]);
      if (!(major >= MIN_SPARK_MAJOR)) {
        throw new ConnectorError(
          `[UNSUPPORTED_SPARK_VERSION] the Spark Connect server at ${this.channel.target} runs Spark ${version || "(unknown)"}; ` +
          `rivulet needs Spark ${MIN_SPARK_MAJOR}.0 or newer, as older servers drop the plan fields they do not know without an error`,
        );
      }
      return version;
    });
    this.#version.catch(() => { this.#version = null; });
    return this.#version;
  }

  async analyze(analyze: AnalyzeInit): Promise<AnalyzePlanResponse> {
    await this.sparkVersion();
    return this.#call(async () => {
      const response = await this.channel.client.analyzePlan({ ...this.#base(), analyze });
      this.#observe(response);
      return response;
    });
  }

  /** Runs a plan to its end, resuming the stream when it is cut, and returns what it produced. */
  async execute(plan: PlanInit, tags: readonly string[] = []): Promise<ExecuteResult> {
    await this.sparkVersion();
    const operationId = randomUUID();
    const batches: RecordBatch[] = [];
    const results: ExecutePlanResponse["responseType"][] = [];
    let schema: ProtoDataType | undefined;
    let lastResponseId: string | undefined;
    let complete = false;

    const consume = async (stream: AsyncIterable<ExecutePlanResponse>): Promise<void> => {
      for await (const response of stream) {
        this.#observe(response);
        lastResponseId = response.responseId;
        if (response.schema !== undefined) schema = response.schema;
        const r = response.responseType;
        switch (r.case) {
          case "arrowBatch":
            for (const batch of RecordBatchReader.from(r.value.data)) batches.push(batch);
            break;
          case "resultComplete":
            complete = true;
            break;
          case "executionProgress":
          case undefined:
            break;
          default:
            results.push(r);
        }
      }
    };

    try {
      // Until the first response arrives, the whole call is retried (same operation id, as Spark's
      // client); once the server has answered, a cut is resumed by reattaching instead.
      await this.channel.withRetries(async () => {
        try {
          await consume(this.channel.client.executePlan({
            ...this.#base(), operationId, plan, tags: [...tags],
            requestOptions: [{ requestOption: { case: "reattachOptions", value: { reattachable: true } } }],
          }));
        } catch (error) {
          if (lastResponseId === undefined || !isUnavailable(error)) throw error;
        }
      });
      // A cut stream (an error after some responses, or an end without ResultComplete) is reattached.
      while (!complete) {
        await this.channel.withRetries(() => consume(this.channel.client.reattachExecute({
          ...this.#base(), operationId, ...(lastResponseId === undefined ? {} : { lastResponseId }),
        })));
      }
    } catch (error) {
      throw await this.#serverError(error);
    }
    // The server may forget the operation's buffered responses now.
    await this.channel.client.releaseExecute({ ...this.#base(), operationId, release: { case: "releaseAll", value: {} } }).catch(() => undefined);
    return { operationId, batches, schema, results };
  }

  /** `spark.conf.set` of a remote session: Config set (what Spark's client sends for `spark.*` settings). */
  async setConf(pairs: readonly (readonly [string, string])[]): Promise<void> {
    await this.sparkVersion();
    await this.#call(async () => {
      const response = await this.channel.client.config({
        ...this.#base(), operation: { opType: { case: "set", value: { pairs: pairs.map(([key, value]) => ({ key, value })) } } },
      });
      this.#observe(response);
    });
  }

  /** ReleaseSession: the server may free the session's state (spark.stop()). */
  async releaseSession(): Promise<void> {
    if (this.#version === null) return; // never contacted: nothing to release
    await this.#call(() => this.channel.client.releaseSession({ ...this.#base() }));
  }

  /**
   * Runs a long-lived execution (the streaming listener bus) and yields its responses as they
   * arrive, until ResultComplete. As execute(): retried while the server is UNAVAILABLE before
   * it answers, reattached from the last response when the stream is cut after, released at the
   * end. `signal` ends it early (the consumer stopping its iteration does too).
   */
  async *executeStream(plan: PlanInit, options: { tags?: readonly string[]; signal?: AbortSignal } = {}): AsyncGenerator<ExecutePlanResponse, void, undefined> {
    await this.sparkVersion();
    const operationId = randomUUID();
    const policy = this.channel.retryPolicy;
    const callOptions = options.signal === undefined ? {} : { signal: options.signal };
    let lastResponseId: string | undefined;
    let attached = false; // the server has the operation: resume it with ReattachExecute, never start it again
    let complete = false;
    let retries = 0;
    let backoff = policy.initialBackoffMs;
    try {
      while (!complete) {
        const stream = attached
          ? this.channel.client.reattachExecute({ ...this.#base(), operationId, ...(lastResponseId === undefined ? {} : { lastResponseId }) }, callOptions)
          : this.channel.client.executePlan({
            ...this.#base(), operationId, plan, tags: [...(options.tags ?? [])],
            requestOptions: [{ requestOption: { case: "reattachOptions", value: { reattachable: true } } }],
          }, callOptions);
        try {
          for await (const response of stream) {
            attached = true;
            retries = 0;
            backoff = policy.initialBackoffMs;
            this.#observe(response);
            lastResponseId = response.responseId;
            if (response.responseType.case === "resultComplete") {
              complete = true;
              break;
            }
            yield response;
          }
          attached = true; // an ExecutePlan that ended without ResultComplete was accepted
        } catch (error) {
          if (!isUnavailable(error) || options.signal?.aborted) throw error;
          if (retries >= policy.maxRetries) throw this.channel.unavailable(error);
          await new Promise((resolve) => setTimeout(resolve, Math.min(backoff, policy.maxBackoffMs)));
          backoff *= policy.multiplier;
          retries++;
        }
      }
    } catch (error) {
      throw await this.#serverError(error);
    } finally {
      if (attached) void this.channel.client.releaseExecute({ ...this.#base(), operationId, release: { case: "releaseAll", value: {} } }).catch(() => undefined);
    }
  }

  /**
   * The server's full record of a failed call (FetchErrorDetails): error class, parameters and
   * causes that did not fit in the status details. Null when the server no longer has it.
   */
  async fetchErrorDetails(errorId: string): Promise<FetchErrorDetailsResponse | null> {
    try {
      const response = await this.channel.withRetries(() => this.channel.client.fetchErrorDetails({ ...this.#base(), errorId }));
      this.#observe(response);
      return response.rootErrorIdx === undefined ? null : response;
    } catch {
      return null; // the status details stand on their own
    }
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.channel.withRetries(call);
    } catch (error) {
      throw await this.#serverError(error);
    }
  }

  /**
   * A failed call as rivulet's error (Spark's GrpcExceptionConverter): the status details
   * first, completed by the server's full error (FetchErrorDetails) when it kept one, since
   * the details leave out a class and parameters too long for the metadata and cut the message.
   */
  async #serverError(error: unknown): Promise<unknown> {
    if (!(error instanceof ConnectError)) return error;
    const errorId = detailsOf(error).errorId;
    const fetched = errorId === undefined ? null : await this.fetchErrorDetails(errorId);
    return remoteError(error, undefined, fetched);
  }
}
