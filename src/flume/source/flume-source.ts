import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { Offset, ReadRequest, Source, SourceContext, SourceProvider } from "../../connectors/source.ts";
import { BatchAssembler } from "../../connectors/sources/batch-assembler.ts";
import { readSchemaOf } from "../../connectors/sources/read-schema.ts";
import type { SourceOptions } from "../../connectors/sources/source-options.ts";
import { BinaryType, MapType, StringType, StructType, TimestampType } from "../../types/data-types.ts";
import { AVRO_SOURCE_PROTOCOL, type FlumeEvent, type FlumeStatus } from "../protocol/flume-protocols.ts";
import { AvroRpcServer } from "../rpc/avro-rpc-server.ts";
import { compressionTypeOf, type CompressionType } from "../transport/frame-connection.ts";
import { EventBuffer, type BufferedEvent } from "./event-buffer.ts";

const log = new Logger("rivulet.flume.source");

/** What both Flume sources give: Spark's SparkFlumeEvent as columns, plus the arrival time. */
export const FLUME_SCHEMA = new StructType([
  { name: "headers", dataType: MapType(StringType, StringType), nullable: true },
  { name: "body", dataType: BinaryType, nullable: true },
  { name: "timestamp", dataType: TimestampType, nullable: true },
]);

/** Default most events the push receiver holds before it answers FAILED. */
export const DEFAULT_MAX_BUFFERED_EVENTS = 100_000;

export interface FlumePushOptions {
  readonly host: string;
  readonly port: number;
  readonly compression: CompressionType;
  readonly maxBufferedEvents: number;
}

export function flumePushOptionsOf(options: SourceOptions): FlumePushOptions {
  const host = options.get("host");
  const portText = options.get("port");
  if (host === undefined || portText === undefined) {
    throw new ConnectorError("flume source: options 'host' and 'port' must be specified: the address the Flume avro sink pushes to, e.g. option(\"host\", \"localhost\").option(\"port\", 41414)");
  }
  const port = options.getNumber("port", 0, 0);
  if (!Number.isInteger(port) || port > 65535) throw new ConnectorError(`flume source: option 'port' must be a port number, not '${portText}'`);
  // Flume's compression-type, or Spark's enableDecompression.
  const compression = options.has("compression-type")
    ? compressionTypeOf(options.get("compression-type"), "flume source")
    : options.getBoolean("enableDecompression", false) ? "deflate" : "none";
  const maxBufferedEvents = options.getNumber("maxBufferedEvents", DEFAULT_MAX_BUFFERED_EVENTS, 1);
  return { host, port, compression, maxBufferedEvents };
}

/** `readStream.format("flume")`: a push receiver that a Flume `avro` sink (or rivulet's agent) sends to. */
export function createFlumeSourceProvider(options: SourceOptions): SourceProvider {
  const push = flumePushOptionsOf(options);
  return {
    format: "flume",
    schema: FLUME_SCHEMA,
    details: `${push.host}:${push.port}`,
    supportsBatch: false,
    createSource: (context: SourceContext) => new FlumePushSource(push, context.metadataPath),
  };
}

function offsetOf(offset: Offset | null): number {
  if (offset === null) return 0;
  if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  throw new ConnectorError(`flume source: not a flume source offset: ${JSON.stringify(offset)}`);
}

/**
 * Listens with Flume's AvroSourceProtocol. A batch is answered OK only once it is in the
 * buffer durably (written to the checkpoint's source directory when there is one), and
 * FAILED when the buffer is full, so the sender keeps the events and retries. The offset
 * is the number of events received; committed events are forgotten.
 */
export class FlumePushSource implements Source {
  readonly schema = FLUME_SCHEMA;
  readonly description: string;
  readonly #ready: Promise<{ server: AvroRpcServer; buffer: EventBuffer }>;
  #received = 0;
  #refused = 0;

  constructor(readonly options: FlumePushOptions, readonly metadataPath: string | null) {
    this.description = `FlumeSource[host: ${options.host}, port: ${options.port}]`;
    this.#ready = this.#start();
    this.#ready.catch(() => undefined);
  }

  async #start(): Promise<{ server: AvroRpcServer; buffer: EventBuffer }> {
    const buffer = await EventBuffer.open(this.metadataPath, this.options.maxBufferedEvents);
    if (buffer.size > 0) log.info(`${this.description}: recovered ${buffer.size} buffered events from ${this.metadataPath}`);
    const accept = async (events: readonly FlumeEvent[]): Promise<FlumeStatus> => {
      const ok = await buffer.append(events, Date.now() * 1000);
      if (ok) this.#received += events.length;
      else {
        this.#refused += events.length;
        log.warn(`${this.description}: buffer full (${buffer.size} of ${this.options.maxBufferedEvents} events): answering FAILED to a batch of ${events.length}`);
      }
      return ok ? "OK" : "FAILED";
    };
    const server = await AvroRpcServer.listen({
      host: this.options.host, port: this.options.port, protocol: AVRO_SOURCE_PROTOCOL,
      compression: this.options.compression, name: this.description,
      handlers: {
        append: (req) => accept([(req as { event: FlumeEvent }).event]),
        appendBatch: (req) => accept((req as { events: FlumeEvent[] }).events),
      },
    });
    return { server, buffer };
  }

  /** The port listened on (useful with port 0). */
  async port(): Promise<number> {
    return (await this.#ready).server.port;
  }

  async latestOffset(_start: Offset | null): Promise<Offset | null> {
    const { buffer } = await this.#ready;
    return buffer.end === 0 ? null : buffer.end;
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    const { buffer } = await this.#ready;
    return eventsToBatches(buffer.slice(offsetOf(start), offsetOf(end)), request);
  }

  async commit(end: Offset): Promise<void> {
    const { buffer } = await this.#ready;
    await buffer.commit(offsetOf(end));
  }

  metrics(): Record<string, string> {
    return { eventsReceived: String(this.#received), eventsRefused: String(this.#refused) };
  }

  async stop(): Promise<void> {
    const ready = await this.#ready.catch(() => null);
    await ready?.server.close();
  }
}

/** Events as Arrow batches of FLUME_SCHEMA (or the requested columns of it). */
export function eventsToBatches(events: readonly BufferedEvent[], request?: ReadRequest): RecordBatch[] {
  const schema = readSchemaOf(FLUME_SCHEMA, request?.columns);
  const headers = schema.fieldIndex("headers");
  const body = schema.fieldIndex("body");
  const timestamp = schema.fieldIndex("timestamp");
  const out = new BatchAssembler(schema);
  for (const e of events) {
    if (headers >= 0) out.builders[headers]!.append(new Map(Object.entries(e.headers)));
    if (body >= 0) out.builders[body]!.append(new Uint8Array(e.body.buffer, e.body.byteOffset, e.body.length));
    if (timestamp >= 0) out.builders[timestamp]!.appendNumber(e.arrivalMicros);
    out.rowDone();
  }
  return out.finish();
}
