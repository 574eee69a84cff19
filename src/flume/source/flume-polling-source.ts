import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { Offset, ReadRequest, Source, SourceContext, SourceProvider } from "../../connectors/source.ts";
import type { SourceOptions } from "../../connectors/sources/source-options.ts";
import { SPARK_FLUME_PROTOCOL, type EventBatch } from "../protocol/flume-protocols.ts";
import { AvroRpcClient } from "../rpc/avro-rpc-client.ts";
import { EventBuffer } from "./event-buffer.ts";
import { DEFAULT_MAX_BUFFERED_EVENTS, eventsToBatches, FLUME_SCHEMA } from "./flume-source.ts";

const log = new Logger("rivulet.flume.polling");

export interface SinkAddress {
  readonly host: string;
  readonly port: number;
}

export interface FlumePollingOptions {
  readonly addresses: readonly SinkAddress[];
  /** Spark's maxBatchSize: events asked for per getEventBatch (default 1000). */
  readonly maxBatchSize: number;
  readonly maxBufferedEvents: number;
  /** Wait after an empty or failed poll (ms). */
  readonly pollIntervalMs: number;
  readonly requestTimeoutMs: number;
}

/** "host:port,host:port" (option `addresses`) or options host and port. */
export function pollingOptionsOf(options: SourceOptions): FlumePollingOptions {
  const list = options.get("addresses");
  let addresses: SinkAddress[];
  if (list !== undefined) {
    addresses = list.split(",").map((a) => a.trim()).filter((a) => a !== "").map((a) => {
      const i = a.lastIndexOf(":");
      const port = Number(a.slice(i + 1));
      if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new ConnectorError(`flume-polling source: '${a}' in option 'addresses' is not host:port`);
      return { host: a.slice(0, i), port };
    });
  } else {
    const host = options.get("host");
    if (host === undefined || !options.has("port")) {
      throw new ConnectorError("flume-polling source: give option 'addresses' (host:port,…) or options 'host' and 'port' of the agent's Spark sink");
    }
    addresses = [{ host, port: options.getNumber("port", 0, 1) }];
  }
  if (addresses.length === 0) throw new ConnectorError("flume-polling source: option 'addresses' names no sink");
  return {
    addresses,
    maxBatchSize: options.getNumber("maxBatchSize", 1000, 1),
    maxBufferedEvents: options.getNumber("maxBufferedEvents", DEFAULT_MAX_BUFFERED_EVENTS, 1),
    pollIntervalMs: options.getNumber("pollInterval", 100, 1),
    requestTimeoutMs: options.getNumber("requestTimeout", 20_000, 1),
  };
}

/** `readStream.format("flume-polling")`: pulls from Spark sinks in rivulet (or Flume) agents. */
export function createFlumePollingSourceProvider(options: SourceOptions): SourceProvider {
  const polling = pollingOptionsOf(options);
  return {
    format: "flume-polling",
    schema: FLUME_SCHEMA,
    details: polling.addresses.map((a) => `${a.host}:${a.port}`).join(","),
    supportsBatch: false,
    createSource: (context: SourceContext) => new FlumePollingSource(polling, context.metadataPath),
  };
}

function offsetOf(offset: Offset | null): number {
  if (offset === null) return 0;
  if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  throw new ConnectorError(`flume-polling source: not a flume-polling offset: ${JSON.stringify(offset)}`);
}

/**
 * Spark's FlumePollingInputDStream as a source: one poller per sink asks for a batch,
 * stores it durably in the buffer, then acks (the sink commits its transaction); when the
 * buffer is full it nacks (the sink rolls back, the events stay in the agent's channel).
 */
export class FlumePollingSource implements Source {
  readonly schema = FLUME_SCHEMA;
  readonly description: string;
  readonly #buffer: Promise<EventBuffer>;
  #stopped = false;
  readonly #pollers: Promise<void>[] = [];
  #received = 0;

  constructor(readonly options: FlumePollingOptions, metadataPath: string | null) {
    this.description = `FlumePollingSource[${options.addresses.map((a) => `${a.host}:${a.port}`).join(",")}]`;
    this.#buffer = EventBuffer.open(metadataPath, options.maxBufferedEvents);
    this.#buffer.catch(() => undefined);
    for (const a of options.addresses) this.#pollers.push(this.#poll(a));
  }

  async #poll(address: SinkAddress): Promise<void> {
    const buffer = await this.#buffer.catch(() => null);
    if (buffer === null) return;
    let client: AvroRpcClient | null = null;
    const where = `${address.host}:${address.port}`;
    while (!this.#stopped) {
      try {
        client ??= await AvroRpcClient.connect({ ...address, protocol: SPARK_FLUME_PROTOCOL, compression: "none", requestTimeoutMs: this.options.requestTimeoutMs, connectTimeoutMs: this.options.requestTimeoutMs });
        const room = Math.min(this.options.maxBatchSize, this.options.maxBufferedEvents - buffer.size);
        if (room <= 0) { await sleep(this.options.pollIntervalMs); continue; }
        const batch = (await client.request("getEventBatch", { n: room })) as EventBatch;
        if (batch.errorMsg !== "") {
          log.debug(`${this.description}: ${where}: ${batch.errorMsg}`);
          await sleep(this.options.pollIntervalMs);
          continue;
        }
        const stored = this.#stopped ? false : await buffer.append(batch.events, Date.now() * 1000);
        await client.request(stored ? "ack" : "nack", { sequenceNumber: batch.sequenceNumber });
        if (stored) this.#received += batch.events.length;
      } catch (error) {
        if (this.#stopped) break;
        log.warn(`${this.description}: polling ${where} failed, retrying: ${(error as Error).message}`);
        client?.close();
        client = null;
        await sleep(Math.max(this.options.pollIntervalMs, 500));
      }
    }
    client?.close();
  }

  async latestOffset(_start: Offset | null): Promise<Offset | null> {
    const buffer = await this.#buffer;
    return buffer.end === 0 ? null : buffer.end;
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    return eventsToBatches((await this.#buffer).slice(offsetOf(start), offsetOf(end)), request);
  }

  async commit(end: Offset): Promise<void> {
    await (await this.#buffer).commit(offsetOf(end));
  }

  metrics(): Record<string, string> {
    return { eventsReceived: String(this.#received) };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#pollers);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
