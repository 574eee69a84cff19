import { Code, ConnectError, createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { ConnectorError } from "../common/errors.ts";
import type { ConnectionString } from "./connection-string.ts";
import { SparkConnectService } from "./gen/spark/connect/base_pb.ts";

/**
 * Spark's client retry policy (pyspark's DefaultPolicy): UNAVAILABLE is retried with an
 * exponential backoff (50 ms × 4ⁿ, at most 60 s a wait, 15 times: about ten minutes in
 * all), so a server restarting behind a load balancer is waited for, not failed on.
 */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly multiplier: number;
}

export const SPARK_RETRY_POLICY: RetryPolicy = Object.freeze({ maxRetries: 15, initialBackoffMs: 50, maxBackoffMs: 60_000, multiplier: 4 });

/** The gRPC channel to one Spark Connect server: headers on every call, retries, Spark's words when it is not there. */
export class ConnectChannel {
  readonly client: Client<typeof SparkConnectService>;
  readonly #target: string;

  constructor(readonly connection: ConnectionString, readonly retryPolicy: RetryPolicy = SPARK_RETRY_POLICY) {
    this.#target = `${connection.host.includes(":") ? `[${connection.host}]` : connection.host}:${connection.port}`;
    const headers: Interceptor = (next) => (request) => {
      request.header.set("user-agent", connection.userAgent);
      if (connection.token !== null) request.header.set("authorization", `Bearer ${connection.token}`);
      for (const [key, value] of Object.entries(connection.metadata)) request.header.set(key, value);
      return next(request);
    };
    const options = {
      baseUrl: `${connection.useSsl ? "https" : "http"}://${this.#target}`,
      interceptors: [headers],
      readMaxBytes: connection.maxMessageSize,
      writeMaxBytes: connection.maxMessageSize,
    };
    this.client = createClient(SparkConnectService, lazyGrpcTransport(options));
  }

  /** `host:port`, as errors name the server. */
  get target(): string {
    return this.#target;
  }

  /**
   * Runs `call` (one RPC, or a stream up to its first response), retrying while the
   * server is UNAVAILABLE; when retries run out, a ConnectorError saying where it looked.
   */
  async withRetries<T>(call: () => Promise<T>): Promise<T> {
    const policy = this.retryPolicy;
    let backoff = policy.initialBackoffMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isUnavailable(error)) throw error;
        if (attempt >= policy.maxRetries) throw this.unavailable(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(backoff, policy.maxBackoffMs)));
        backoff *= policy.multiplier;
      }
    }
  }

  unavailable(error: unknown): ConnectorError {
    const reason = error instanceof ConnectError ? error.rawMessage : String(error);
    return new ConnectorError(
      `[CONNECT_UNAVAILABLE] cannot reach the Spark Connect server at ${this.#target} (${reason}): is it running ($SPARK_HOME/sbin/start-connect-server.sh)?`,
      { cause: error },
    );
  }
}

/**
 * gRPC over HTTP/2 (connect-node), loaded at the first call: `import "rivulet"` and a
 * remote session that never calls do not pay for the HTTP/2 stack.
 */
function lazyGrpcTransport(options: Parameters<typeof import("@connectrpc/connect-node").createGrpcTransport>[0]): Transport {
  let transport: Promise<Transport> | null = null;
  const load = (): Promise<Transport> => (transport ??= import("@connectrpc/connect-node").then((m) => m.createGrpcTransport(options)));
  return {
    unary: async (...args) => (await load()).unary(...args),
    stream: async (...args) => (await load()).stream(...args),
  };
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof ConnectError && (error.code === Code.Unavailable || isConnectionLost(error));
}

/** How Node's HTTP/2 reports a connection that closed under its streams. */
const LOST_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE", "ERR_HTTP2_GOAWAY_SESSION", "ERR_HTTP2_INVALID_SESSION", "ERR_HTTP2_SESSION_ERROR", "ERR_HTTP2_STREAM_CANCEL"]);

/**
 * The server's connection went away under a call (a restart, a proxy, a network cut), which
 * gRPC's own clients report as UNAVAILABLE and connect-node as the way HTTP/2 ended the stream
 * (CANCEL, REFUSED_STREAM, a reset socket). Only errors of the transport count, never a status
 * the server sent.
 */
export function isConnectionLost(error: ConnectError): boolean {
  if (error.isWireError) return false;
  if (/^http\/2 stream closed with error code (CANCEL|REFUSED_STREAM)\b/.test(error.rawMessage)) return true;
  if (/^Stream closed with error code NGHTTP2_(REFUSED_STREAM|CANCEL)$/.test(error.rawMessage)) return true;
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && LOST_CONNECTION_CODES.has(code)) return true;
  }
  return false;
}
