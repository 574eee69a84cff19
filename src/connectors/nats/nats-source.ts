import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { BinaryType, LongType, MapType, StringType, StructType, TimestampType } from "../../types/data-types.ts";
import type { Offset, ReadRequest, Source, SourceContext, SourceProvider } from "../source.ts";
import { BatchAssembler } from "../sources/batch-assembler.ts";
import { readSchemaOf } from "../sources/read-schema.ts";
import type { SourceOptions } from "../sources/source-options.ts";
import { Logger } from "../../common/log.ts";
import { retryOptionsOf, retryPolicyOf, withRetries, type RetryPolicy } from "../retry.ts";
import { connectJetStream, describeError, isTransient, natsAuthOf, natsTimeoutOption, parseServers, type NatsAuth, redactedServers, streamInfo, type JetStreamConnection } from "./nats-connection.ts";
import { readMessages, type StreamMessage } from "./nats-message-reader.ts";
import { loadOrRecordInitialOffset } from "../initial-offset.ts";
import { nextSequenceOf, offsetOf, parseStartingOffsets, type StartingOffsets } from "./nats-offsets.ts";
import { SubjectFilter } from "./subject-filter.ts";
import { offsetsBehindLatest } from "../offsets-behind-latest.ts";

const log = new Logger("NatsSource");

/** The columns of `readStream.format("nats")`, after Spark's Kafka source (topic→subject, offset→sequence). */
export const NATS_SOURCE_SCHEMA = new StructType([
  { name: "subject", dataType: StringType, nullable: false },
  { name: "value", dataType: BinaryType, nullable: true },
  { name: "sequence", dataType: LongType, nullable: false },
  { name: "timestamp", dataType: TimestampType, nullable: false },
  { name: "headers", dataType: MapType(StringType, StringType), nullable: true },
]);

interface NatsSourceOptions {
  readonly servers: readonly string[];
  readonly stream: string;
  readonly filter: SubjectFilter;
  readonly starting: StartingOffsets;
  readonly maxMessagesPerTrigger: number;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly auth: NatsAuth;
}

export function createNatsSourceProvider(options: SourceOptions): SourceProvider {
  const where = "NATS source";
  const servers = parseServers(options.get("servers"), where);
  const stream = options.get("stream")?.trim();
  if (!stream) throw new ConnectorError(`${where}: option 'stream' is required (the JetStream stream to read)`);
  const subjects = (options.get("subjects") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const parsed: NatsSourceOptions = {
    servers,
    stream,
    filter: new SubjectFilter(subjects),
    starting: parseStartingOffsets(options.get("startingOffsets"), stream, where),
    maxMessagesPerTrigger: Math.floor(options.getNumber("maxMessagesPerTrigger", Infinity, 1)),
    timeoutMs: natsTimeoutOption(options.get("timeoutMs"), where),
    auth: natsAuthOf((k) => options.get(k), where),
    retry: retryPolicyOf(retryOptionsOf(options), undefined, where),
  };
  return {
    format: "nats",
    schema: NATS_SOURCE_SCHEMA,
    details: `servers=${redactedServers(servers)}, stream=${stream}${subjects.length > 0 ? `, subjects=${subjects.join(",")}` : ""}`,
    supportsBatch: false,
    createSource: (context) => new NatsSource(parsed, context),
  };
}

/**
 * A JetStream stream as an unbounded table (Spark's KafkaMicroBatchStream, one stream in
 * place of a topic's partitions). Offsets are the next sequence to read; a batch's range
 * is fixed in the offset log before it is read, and any re-read of that range returns the
 * same messages because sequences never move.
 */
export class NatsSource implements Source {
  readonly schema = NATS_SOURCE_SCHEMA;
  readonly description: string;
  #conn: JetStreamConnection | null = null;
  #initial: Promise<Offset> | null = null;
  /** Messages latestOffset read to find a limited batch's end, kept for the getBatch of that range. */
  #readAhead: { start: number; end: number; messages: StreamMessage[] } | null = null;
  /** The sequence after the stream's last message when latestOffset last looked; null before. */
  #streamEnd: number | null = null;

  constructor(readonly options: NatsSourceOptions, readonly context: SourceContext) {
    this.description = `NatsV2[servers=${redactedServers(options.servers)}, stream=${options.stream}]`;
  }

  /** Connects and checks the stream, so that a wrong server or stream fails start(). */
  async open(): Promise<void> {
    const where = `NATS source (stream '${this.options.stream}')`;
    this.#conn = await connectJetStream(this.options.servers, where, this.options.timeoutMs, this.options.auth);
    await streamInfo(this.#conn, this.options.stream, "NATS source", this.options.servers);
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const next = await this.#nextToRead(start);
    const last = (await this.#info()).state.last_seq;
    this.#streamEnd = last + 1;
    if (next > last) return start;
    let end = last + 1;
    if (Number.isFinite(this.options.maxMessagesPerTrigger)) {
      const messages = await this.#read(next, end, this.options.maxMessagesPerTrigger);
      if (messages.length === this.options.maxMessagesPerTrigger) end = messages[messages.length - 1]!.sequence + 1;
      this.#readAhead = { start: next, end, messages };
    }
    return offsetOf(this.options.stream, end);
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    const from = await this.#nextToRead(start);
    const to = nextSequenceOf(end, this.options.stream, this.description);
    const ahead = this.#readAhead;
    this.#readAhead = null;
    const messages = ahead !== null && ahead.start === from && ahead.end === to ? ahead.messages : await this.#read(from, to);
    return toBatches(messages, readSchemaOf(this.schema, request?.columns));
  }

  /** The stream's end (its last sequence + 1) and how far the batch just run is behind it, as Spark's Kafka source reports it. */
  metrics(latestConsumed: Offset | null = null): Record<string, string> {
    if (this.#streamEnd === null || latestConsumed === null) return { stream: this.options.stream };
    return { stream: this.options.stream, ...offsetsBehindLatest([this.#streamEnd - nextSequenceOf(latestConsumed, this.options.stream, this.description)]) };
  }

  reportLatestOffset(): Offset | null {
    return this.#streamEnd === null ? null : offsetOf(this.options.stream, this.#streamEnd);
  }

  async stop(): Promise<void> {
    await this.#conn?.close().catch(() => {});
    this.#conn = null;
  }

  /** Where the batch after `start` begins: `start` itself, or the offset the query began at. */
  async #nextToRead(start: Offset | null): Promise<number> {
    const offset = start ?? (await this.#initialOffset());
    return nextSequenceOf(offset, this.options.stream, this.description);
  }

  #initialOffset(): Promise<Offset> {
    this.#initial ??= loadOrRecordInitialOffset(this.context.metadataPath, async () => {
      const { starting, stream } = this.options;
      if (starting.kind === "sequence") return offsetOf(stream, starting.next);
      const state = (await this.#info()).state;
      return offsetOf(stream, starting.kind === "earliest" ? Math.max(1, state.first_seq) : state.last_seq + 1);
    });
    return this.#initial;
  }

  #info() {
    return this.#withRetries("reading the stream's state", () => streamInfo(this.#connection(), this.options.stream, this.description, this.options.servers));
  }

  async #read(start: number, end: number, limit?: number): Promise<StreamMessage[]> {
    try {
      return await this.#withRetries(`reading sequences ${start} to ${end - 1}`, () => readMessages(this.#connection(), this.options.stream, this.options.filter, start, end, limit));
    } catch (error) {
      throw new ConnectorError(`${this.description}: reading sequences ${start} to ${end - 1} failed: ${describeError(error, this.options.servers, this.options.auth)}`, { cause: error });
    }
  }

  /** A server that went away is waited for while the client reconnects (the JDBC sink's backoff policy). */
  #withRetries<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const transient = (error: unknown) => isTransient(error) || isTransient((error as Error)?.cause);
    return withRetries(this.options.retry, transient, attempt, ({ error, retry, delayMs }) => {
      log.warn(`${this.description}: ${what} failed (${describeError(error, this.options.servers, this.options.auth)}); retry ${retry} in ${delayMs} ms`);
    });
  }

  #connection(): JetStreamConnection {
    if (this.#conn === null) throw new ConnectorError(`${this.description}: used before open()`);
    return this.#conn;
  }
}

function toBatches(messages: readonly StreamMessage[], schema: StructType): RecordBatch[] {
  const out = new BatchAssembler(schema);
  const column = (name: string): number => schema.fieldIndex(name);
  const [subject, value, sequence, timestamp, headers] = ["subject", "value", "sequence", "timestamp", "headers"].map(column) as [number, number, number, number, number];
  for (const m of messages) {
    if (subject >= 0) out.builders[subject]!.appendString(m.subject);
    if (value >= 0) out.builders[value]!.append(m.data);
    if (sequence >= 0) out.builders[sequence]!.appendNumber(m.sequence);
    if (timestamp >= 0) out.builders[timestamp]!.appendNumber(m.timestampMicros);
    if (headers >= 0) out.builders[headers]!.append(m.headers);
    out.rowDone();
  }
  return out.finish();
}
