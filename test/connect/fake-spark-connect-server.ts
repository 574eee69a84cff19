import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import type { ServiceImpl } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { SparkConnectService } from "../../src/connect/gen/spark/connect/base_pb.ts";

/** One call the fake server received: the RPC, its headers and its request message. */
export interface RecordedCall {
  readonly method: string;
  readonly headers: Headers;
  readonly request: unknown;
}

type Impl = Partial<ServiceImpl<typeof SparkConnectService>>;

/**
 * A Spark Connect server for tests: gRPC over HTTP/2 on 127.0.0.1, SparkConnectService
 * from the same generated code as the client. It records every call, answers with the
 * handlers a test gives (Spark's answers, written from the .proto and Spark's documented
 * behaviour), and reports the version it is told to (4.0.0 by default).
 */
export class FakeSparkConnectServer {
  readonly calls: RecordedCall[] = [];
  sparkVersion = "4.0.0";
  #server: Http2Server | null = null;
  readonly #sessions = new Set<ServerHttp2Session>();

  constructor(readonly handlers: Impl = {}) {}

  get port(): number {
    return (this.#server!.address() as AddressInfo).port;
  }

  get url(): string {
    return `sc://127.0.0.1:${this.port}`;
  }

  /** The recorded requests of one RPC, in arrival order. */
  requests<T = any>(method: string): T[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request as T);
  }

  async start(port = 0): Promise<this> {
    const record = (method: string, request: unknown, headers: Headers): void => { this.calls.push({ method, request, headers }); };
    const handlers = this.handlers;
    const impl: Impl = {
      analyzePlan: async (request, context) => {
        record("analyzePlan", request, context.requestHeader);
        if (request.analyze.case === "sparkVersion" && handlers.analyzePlan === undefined) {
          return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session", result: { case: "sparkVersion", value: { version: this.sparkVersion } } };
        }
        if (handlers.analyzePlan === undefined) throw new Error("the test gave no analyzePlan handler");
        return handlers.analyzePlan(request, context) as never;
      },
      executePlan: async function* (request, context) {
        record("executePlan", request, context.requestHeader);
        if (handlers.executePlan === undefined) throw new Error("the test gave no executePlan handler");
        yield* handlers.executePlan(request, context) as AsyncIterable<never>;
      },
      config: async (request, context) => {
        record("config", request, context.requestHeader);
        if (handlers.config === undefined) return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session", pairs: [], warnings: [] };
        return handlers.config(request, context) as never;
      },
      releaseSession: async (request, context) => {
        record("releaseSession", request, context.requestHeader);
        return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session" };
      },
      releaseExecute: async (request, context) => {
        record("releaseExecute", request, context.requestHeader);
        return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session", operationId: request.operationId };
      },
      reattachExecute: async function* (request, context) {
        record("reattachExecute", request, context.requestHeader);
        if (handlers.reattachExecute === undefined) throw new Error("the test gave no reattachExecute handler");
        yield* handlers.reattachExecute(request, context) as AsyncIterable<never>;
      },
      fetchErrorDetails: async (request, context) => {
        record("fetchErrorDetails", request, context.requestHeader);
        if (handlers.fetchErrorDetails === undefined) return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session", errors: [] };
        return handlers.fetchErrorDetails(request, context) as never;
      },
      interrupt: async (request, context) => {
        record("interrupt", request, context.requestHeader);
        return { sessionId: request.sessionId, serverSideSessionId: "fake-server-session", interruptedIds: [] };
      },
    };
    const server = createServer(connectNodeAdapter({ routes: (router) => router.service(SparkConnectService, impl), grpc: true, connect: false, grpcWeb: false }));
    server.on("session", (session) => {
      this.#sessions.add(session);
      session.once("close", () => this.#sessions.delete(session));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (server === null) return;
    this.#server = null;
    // Clients keep their HTTP/2 session open; the server goes away as a stopped Spark does, with them.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.#sessions) session.destroy();
    await closed;
  }
}
