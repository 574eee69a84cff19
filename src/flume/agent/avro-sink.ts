import { Logger } from "../../common/log.ts";
import { ConnectorError } from "../../common/errors.ts";
import { AVRO_SOURCE_PROTOCOL, type FlumeEvent } from "../protocol/flume-protocols.ts";
import { AvroRpcClient } from "../rpc/avro-rpc-client.ts";
import { compressionTypeOf, type CompressionType } from "../transport/frame-connection.ts";
import type { ComponentParams } from "./agent-config.ts";
import type { Channel } from "./channel.ts";
import { sleep, type AgentComponent } from "./component.ts";

const log = new Logger("rivulet.flume.avro-sink");

/** Flume's avro sink options (names and defaults as Flume's). */
export interface AvroSinkOptions {
  readonly hostname: string;
  readonly port: number;
  readonly batchSize: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly compression: CompressionType;
  readonly compressionLevel: number;
  /** Flume's reset-connection-interval (s): reconnect this often, e.g. behind a load balancer; 0 never. */
  readonly resetConnectionIntervalS: number;
  /** Longest wait between retries after a failure (ms). */
  readonly maxBackoffMs: number;
}

export function avroSinkOptionsOf(params: ComponentParams): AvroSinkOptions {
  return {
    hostname: params.required("hostname"),
    port: params.int("port", -1, 1),
    batchSize: params.int("batch-size", 100, 1),
    connectTimeoutMs: params.int("connect-timeout", 20_000, 1),
    requestTimeoutMs: params.int("request-timeout", 20_000, 1),
    compression: compressionTypeOf(params.get("compression-type"), params.where),
    compressionLevel: params.int("compression-level", 6, 0),
    resetConnectionIntervalS: params.int("reset-connection-interval", 0, 0),
    maxBackoffMs: params.int("maxBackoff", 5_000, 1),
  };
}

/**
 * Flume's avro sink: takes up to batch-size events in a channel transaction, sends them
 * with appendBatch, and commits only on OK. FAILED, an error or a timeout rolls the
 * transaction back (the events stay in the channel, in order), drops the connection and
 * retries after a growing back-off: at-least-once delivery.
 */
export class AvroSink implements AgentComponent {
  #client: AvroRpcClient | null = null;
  #connectedAt = 0;
  #stopped = false;
  #running: Promise<void> | null = null;
  eventsSent = 0;
  failures = 0;

  constructor(readonly name: string, readonly options: AvroSinkOptions, readonly channel: Channel) {
    if (options.port < 1 || options.port > 65535) throw new ConnectorError(`avro sink ${name}: port is required (1..65535)`);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
    this.#client?.close();
    this.#client = null;
  }

  async #run(): Promise<void> {
    let backoff = 0;
    while (!this.#stopped) {
      const tx = this.channel.transaction();
      const events: FlumeEvent[] = [];
      for (let e = tx.take(); e !== null; e = events.length < this.options.batchSize ? tx.take() : null) events.push(e);
      if (events.length === 0) {
        await tx.commit();
        await this.channel.waitForEvents(500);
        continue;
      }
      try {
        const client = await this.#connection();
        const status = await client.request("appendBatch", { events });
        if (status !== "OK") throw new ConnectorError(`${this.options.hostname}:${this.options.port} answered ${String(status)}`);
        await tx.commit();
        this.eventsSent += events.length;
        backoff = 0;
      } catch (error) {
        await tx.rollback();
        this.failures++;
        this.#client?.close();
        this.#client = null;
        backoff = Math.min(Math.max(250, backoff * 2), this.options.maxBackoffMs);
        log.warn(`avro sink ${this.name}: failed to send ${events.length} events to ${this.options.hostname}:${this.options.port}, rolled back, retrying in ${backoff} ms: ${(error as Error).message}`);
        await sleep(backoff);
      }
    }
  }

  async #connection(): Promise<AvroRpcClient> {
    const reset = this.options.resetConnectionIntervalS * 1000;
    if (this.#client !== null && (this.#client.closed || (reset > 0 && Date.now() - this.#connectedAt > reset))) {
      this.#client.close();
      this.#client = null;
    }
    if (this.#client === null) {
      this.#client = await AvroRpcClient.connect({
        host: this.options.hostname, port: this.options.port, protocol: AVRO_SOURCE_PROTOCOL,
        connectTimeoutMs: this.options.connectTimeoutMs, requestTimeoutMs: this.options.requestTimeoutMs,
        compression: this.options.compression, compressionLevel: this.options.compressionLevel,
      });
      this.#connectedAt = Date.now();
      log.info(`avro sink ${this.name}: connected to ${this.options.hostname}:${this.options.port}`);
    }
    return this.#client;
  }
}
