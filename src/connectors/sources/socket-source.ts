import { createConnection, type Socket } from "node:net";
import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { StringType, StructType, TimestampType } from "../../types/data-types.ts";
import type { Offset, ReadRequest, Source, SourceProvider } from "../source.ts";
import { BatchAssembler } from "./batch-assembler.ts";
import { readSchemaOf } from "./read-schema.ts";
import type { SourceOptions } from "./source-options.ts";

const log = new Logger("rivulet.sources.socket");

/** Spark's socket source: a TCP client reading lines, for testing only (no recovery). */
export function createSocketSourceProvider(options: SourceOptions): SourceProvider {
  const host = options.get("host");
  const portText = options.get("port");
  if (host === undefined || portText === undefined) {
    throw new ConnectorError("socket source: options 'host' and 'port' must be specified, e.g. option(\"host\", \"localhost\").option(\"port\", 9999)");
  }
  const port = options.getNumber("port", 0, 0);
  if (!Number.isInteger(port) || port > 65535) throw new ConnectorError(`socket source: option 'port' must be a port number, not '${portText}'`);
  const includeTimestamp = options.getBoolean("includeTimestamp", false);
  let schema = new StructType([{ name: "value", dataType: StringType, nullable: true }]);
  if (includeTimestamp) schema = schema.add("timestamp", TimestampType);
  return {
    format: "socket",
    schema,
    details: `${host}:${port}`,
    supportsBatch: false,
    createSource: (context) => {
      if (context.bounded) throw new ConnectorError("socket source does not support batch reads; use spark.readStream");
      return new SocketSource(host, port, schema);
    },
  };
}

function offsetOf(offset: Offset | null): number {
  if (offset === null) return 0;
  if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  throw new ConnectorError(`socket source: not a socket source offset: ${JSON.stringify(offset)}`);
}

/**
 * Connects when the query starts and buffers each received line (with its arrival time)
 * until it is committed. The offset is the number of lines received so far.
 *
 * With `reconnectDelayMs` (the DStream socket receiver, as Spark's SocketReceiver) the end of
 * the server's stream or a failed connection is no error: it connects again after that delay
 * (Spark's spark.streaming.receiverRestartDelay, 2 s), until stopped. Without it (Structured
 * Streaming's socket source) a failed connection fails the query and the end of the stream ends
 * the input.
 */
export class SocketSource implements Source {
  readonly description: string;
  #socket: Socket | null = null;
  readonly #connected: Promise<void>;
  #error: ConnectorError | null = null;
  #partial = "";
  /** Lines from offset `#base` on. */
  #lines: string[] = [];
  #arrivals: number[] = [];
  #base = 0;
  #stopped = false;
  #reconnectTimer: NodeJS.Timeout | null = null;

  constructor(readonly host: string, readonly port: number, readonly schema: StructType, readonly reconnectDelayMs: number | null = null) {
    this.description = `TextSocketV2[host: ${host}, port: ${port}]`;
    this.#connected = reconnectDelayMs === null ? new Promise((resolve) => this.#connect(resolve)) : Promise.resolve();
    if (reconnectDelayMs !== null) this.#connect(() => {});
  }

  #connect(settled: () => void): void {
    const { host, port } = this;
    const socket = createConnection({ host, port });
    this.#socket = socket;
    socket.setEncoding("utf8");
    socket.once("connect", () => {
      log.info(`connected to ${host}:${port}`);
      settled();
    });
    socket.on("error", (e) => {
      if (this.reconnectDelayMs === null) this.#error = new ConnectorError(`socket source: cannot read from ${host}:${port}: ${e.message}`, { cause: e });
      else if (!this.#stopped) log.warn(`error receiving from ${host}:${port}: ${e.message}; restarting in ${this.reconnectDelayMs} ms`);
      settled();
    });
    socket.on("data", (chunk: string) => this.#receive(chunk));
    socket.on("end", () => {
      if (this.#partial !== "") this.#push(this.#partial);
      this.#partial = "";
      if (this.reconnectDelayMs !== null && !this.#stopped) log.info(`socket data stream from ${host}:${port} had no more data; restarting in ${this.reconnectDelayMs} ms`);
    });
    if (this.reconnectDelayMs !== null) {
      socket.on("close", () => {
        if (this.#stopped || this.#socket !== socket) return;
        this.#reconnectTimer = setTimeout(() => {
          this.#reconnectTimer = null;
          if (!this.#stopped) this.#connect(() => {});
        }, this.reconnectDelayMs!);
      });
    }
  }

  #receive(chunk: string): void {
    const text = this.#partial + chunk;
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      this.#push(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    this.#partial = text.slice(start);
  }

  #push(line: string): void {
    this.#lines.push(line);
    this.#arrivals.push(Date.now() * 1000);
  }

  async #ready(): Promise<void> {
    await this.#connected;
    if (this.#error !== null) throw this.#error;
  }

  async latestOffset(_start: Offset | null): Promise<Offset | null> {
    await this.#ready();
    const total = this.#base + this.#lines.length;
    return total === 0 ? null : total;
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    await this.#ready();
    const from = offsetOf(start);
    const to = offsetOf(end);
    if (from < this.#base || to > this.#base + this.#lines.length) {
      throw new ConnectorError(
        `socket source: lines ${from}..${to} are not buffered any more (buffered ${this.#base}..${this.#base + this.#lines.length}); the socket source cannot recover after a restart`,
      );
    }
    const outputSchema = readSchemaOf(this.schema, request?.columns);
    const value = outputSchema.fieldIndex("value");
    const timestamp = outputSchema.fieldIndex("timestamp");
    const out = new BatchAssembler(outputSchema);
    for (let i = from - this.#base; i < to - this.#base; i++) {
      if (value >= 0) out.builders[value]!.appendString(this.#lines[i]!);
      if (timestamp >= 0) out.builders[timestamp]!.appendNumber(this.#arrivals[i]!);
      out.rowDone();
    }
    return out.finish();
  }

  async commit(end: Offset): Promise<void> {
    const upTo = offsetOf(end);
    const drop = Math.min(Math.max(0, upTo - this.#base), this.#lines.length);
    this.#lines = this.#lines.slice(drop);
    this.#arrivals = this.#arrivals.slice(drop);
    this.#base += drop;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#socket?.destroy();
  }
}
