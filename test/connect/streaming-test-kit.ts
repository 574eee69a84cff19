import { toJson } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { ConnectChannel, type RetryPolicy } from "../../src/connect/channel.ts";
import { parseConnectionString } from "../../src/connect/connection-string.ts";
import type { ExecutePlanRequest, SparkConnectService } from "../../src/connect/gen/spark/connect/base_pb.ts";
import {
  StreamingQueryCommandSchema, StreamingQueryListenerBusCommandSchema, StreamingQueryManagerCommandSchema, WriteStreamOperationStartSchema,
} from "../../src/connect/gen/spark/connect/commands_pb.ts";
import { SparkConnectClient } from "../../src/connect/spark-connect-client.ts";
import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";
import { FakeSparkStreams } from "./fake-streaming-handlers.ts";

/** Short retries, so an unreachable server fails a test in well under a second. */
export const FAST_RETRIES: RetryPolicy = { maxRetries: 3, initialBackoffMs: 20, maxBackoffMs: 200, multiplier: 2 };
/** Retries long enough (about 3 s) to outlast a server restarted by a test. */
export const PATIENT_RETRIES: RetryPolicy = { maxRetries: 10, initialBackoffMs: 25, maxBackoffMs: 400, multiplier: 2 };

export interface Served {
  readonly server: FakeSparkConnectServer;
  readonly streams: FakeSparkStreams;
}

/** Fake servers a test file started, stopped after each test. */
export class ServerPool {
  readonly #servers: FakeSparkConnectServer[] = [];

  async serve(streams = new FakeSparkStreams(), extra: Partial<ServiceImpl<typeof SparkConnectService>> = {}, port = 0): Promise<Served> {
    const server = await new FakeSparkConnectServer({ ...streams.handlers(), ...extra }).start(port);
    this.#servers.push(server);
    return { server, streams };
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#servers.splice(0).map((s) => s.stop()));
  }
}

export function clientFor(url: string, retries: RetryPolicy = FAST_RETRIES): SparkConnectClient {
  return new SparkConnectClient(new ConnectChannel(parseConnectionString(url, "1.2.3"), retries));
}

type CommandJson = Record<string, unknown>;

/** The commands the server received, in order, as proto3 JSON (`{ streamingQueryCommand: {...} }`, …). */
export function commandsSent(server: FakeSparkConnectServer): CommandJson[] {
  return server.requests<ExecutePlanRequest>("executePlan").flatMap((request): CommandJson[] => {
    const op = request.plan?.opType;
    if (op?.case !== "command") return [];
    const c = op.value.commandType;
    switch (c.case) {
      case "streamingQueryCommand": return [{ streamingQueryCommand: toJson(StreamingQueryCommandSchema, c.value) }];
      case "streamingQueryManagerCommand": return [{ streamingQueryManagerCommand: toJson(StreamingQueryManagerCommandSchema, c.value) }];
      case "streamingQueryListenerBusCommand": return [{ streamingQueryListenerBusCommand: toJson(StreamingQueryListenerBusCommandSchema, c.value) }];
      case "writeStreamOperationStart": return [{ writeStreamOperationStart: toJson(WriteStreamOperationStartSchema, c.value) }];
      default: return [{ [String(c.case)]: "…" }];
    }
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (a listener saw its events, …), or fails after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("the condition did not hold in time");
    await sleep(10);
  }
}
