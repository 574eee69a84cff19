import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Table } from "apache-arrow";
import type { MsgHdrs } from "@nats-io/transport-node";
import type { PubAck } from "@nats-io/jetstream";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { ConfKeys } from "../../common/config.ts";
import { retryPolicyOf, retrySinkWrite, type RetryPolicy } from "../retry.ts";
import type { OutputMode, Sink, SinkContext } from "../sink.ts";
import { tableToBatches } from "../sinks/sink-input.ts";
import { connectJetStream, describeError, isTransient, natsAuthOf, natsTimeoutOption, parseServers, type JetStreamConnection, type NatsAuth } from "./nats-connection.ts";
import { natsSinkColumns, type NatsSinkColumns } from "./nats-sink-columns.ts";

const log = new Logger("NatsSink");
/** Publishes awaited together: enough to keep the connection busy, few enough to bound memory. */
const PUBLISH_WINDOW = 256;
const encoder = new TextEncoder();

/** `writeStream.format("nats")`: connects and checks the subject at start(), so that a wrong server or subject fails it. */
export async function natsSinkFactory(context: SinkContext): Promise<Sink> {
  const options = new Map(Object.entries(context.options).map(([k, v]) => [k.toLowerCase(), v]));
  const servers = parseServers(options.get("servers"), "NATS sink");
  const subject = options.get("subject")?.trim() || undefined;
  const columns = natsSinkColumns(context.schema, subject);
  const retry = retryPolicyOf(context.options, context.conf.get(ConfKeys.sinkRetryMaxDuration), "NATS sink");
  const auth = natsAuthOf((k) => options.get(k.toLowerCase()), "NATS sink");
  const conn = await connectJetStream(servers, "NATS sink", natsTimeoutOption(options.get("timeoutms"), "NATS sink"), auth);
  const sink = new NatsSink(conn, servers, columns, subject, context, retry, auth);
  try {
    if (subject !== undefined) await sink.streamOf(subject);
  } catch (error) {
    await conn.close().catch(() => {});
    throw error;
  }
  return sink;
}

/**
 * Publishes each row as a JetStream message, exactly once: every message carries
 * `Nats-Msg-Id: <queryId>-<batchId>-<row>`, so JetStream drops the copies a re-run batch
 * (after a crash or a retried publish) sends again within the stream's duplicate window;
 * a batch the sink finished is also noted in the checkpoint and skipped when re-run,
 * whenever that happens.
 */
export class NatsSink implements Sink {
  readonly description: string;
  lastBatchRows = 0;
  /** The stream that captures each subject seen so far. */
  readonly #streams = new Map<string, string>();
  readonly #retry: RetryPolicy;
  readonly #marker: string | null;

  constructor(
    readonly conn: JetStreamConnection, readonly servers: readonly string[], readonly columns: NatsSinkColumns,
    readonly subject: string | undefined, readonly context: SinkContext, retry: RetryPolicy, readonly auth: NatsAuth = {},
  ) {
    this.#retry = retry;
    this.description = `NatsSink[servers=${conn.shownServers}${subject === undefined ? "" : `, subject=${subject}`}]`;
    this.#marker = context.metadataPath === null ? null : join(context.metadataPath, "nats", "lastPublishedBatch");
  }

  async addBatch(batchId: number, data: Table, _outputMode: OutputMode): Promise<void> {
    this.lastBatchRows = 0;
    if (batchId <= (await this.#lastPublished())) {
      log.info(`${this.description}: batch ${batchId} was published before; skipped`);
      return;
    }
    const batches = tableToBatches(data, this.context.schema);
    const messages: { subject: string; data: Uint8Array; headers: MsgHdrs | undefined }[] = [];
    for (const batch of batches) {
      for (let i = 0; i < batch.numRows; i++) messages.push(this.#messageAt(batch.columns, i));
    }
    for (const subject of new Set(messages.map((m) => m.subject))) await this.streamOf(subject);
    const idPrefix = `${this.context.queryId ?? this.context.queryName ?? "query"}-${batchId}-`;
    await retrySinkWrite(this, log, `publishing batch ${batchId}`, this.#retry, isTransient, (e) => describeError(e, this.servers, this.auth),
      () => this.#publishAll(messages, idPrefix));
    await this.#notePublished(batchId);
    this.lastBatchRows = messages.length;
  }

  /** The stream capturing `subject` (an error naming it when none does); warns once about a short duplicate window. */
  async streamOf(subject: string): Promise<string> {
    const known = this.#streams.get(subject);
    if (known !== undefined) return known;
    let stream: string;
    try {
      stream = await this.conn.jsm.streams.find(subject);
    } catch (error) {
      if (/no stream matches subject/i.test((error as Error).message)) {
        throw new ConnectorError(`NATS sink: no JetStream stream captures subject '${subject}' on NATS server ${this.conn.shownServers}; create a stream with that subject first`, { cause: error });
      }
      throw new ConnectorError(`NATS sink: looking up the stream of subject '${subject}' on ${this.conn.shownServers} failed: ${describeError(error, this.servers, this.auth)}`, { cause: error });
    }
    if (![...this.#streams.values()].includes(stream)) await this.#checkDuplicateWindow(stream);
    this.#streams.set(subject, stream);
    return stream;
  }

  async stop(): Promise<void> {
    await this.conn.close().catch(() => {});
  }

  /**
   * A batch re-sent after its duplicate window has passed is stored twice: the window must
   * cover a trigger interval plus the time publishing is retried.
   */
  async #checkDuplicateWindow(stream: string): Promise<void> {
    const windowMs = (await this.conn.jsm.streams.info(stream)).config.duplicate_window / 1_000_000;
    const retryMs = this.#retry.maxDurationMs;
    const neededMs = (this.context.triggerIntervalMs ?? 0) + retryMs;
    if (windowMs < neededMs) {
      log.warn(`${this.description}: stream '${stream}' keeps message ids for ${windowMs} ms (duplicate_window), less than the trigger interval plus publish retries (${neededMs} ms): a batch re-sent later than that would be stored twice`);
    }
  }

  #messageAt(columns: readonly Vec[], i: number): { subject: string; data: Uint8Array; headers: MsgHdrs | undefined } {
    const subject = this.subject ?? (valueAt(columns[this.columns.subject]!, i) as string | null);
    if (subject === null || subject === "") throw new ConnectorError(`${this.description}: a row has a null or empty subject`);
    const value = valueAt(columns[this.columns.value]!, i) as string | Uint8Array | null;
    const data = value === null ? new Uint8Array(0) : typeof value === "string" ? encoder.encode(value) : value;
    let headers: MsgHdrs | undefined;
    if (this.columns.headers >= 0) {
      const map = valueAt(columns[this.columns.headers]!, i) as Map<string, string | null> | null;
      if (map !== null && map.size > 0) {
        headers = this.conn.headers();
        for (const [k, v] of map) if (v !== null) headers.append(k, v);
      }
    }
    return { subject, data, headers };
  }

  async #publishAll(messages: readonly { subject: string; data: Uint8Array; headers: MsgHdrs | undefined }[], idPrefix: string): Promise<void> {
    let inFlight: Promise<PubAck>[] = [];
    for (let row = 0; row < messages.length; row++) {
      const m = messages[row]!;
      inFlight.push(this.conn.js.publish(m.subject, m.data, { msgID: `${idPrefix}${row}`, ...(m.headers === undefined ? {} : { headers: m.headers }) }));
      if (inFlight.length >= PUBLISH_WINDOW) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
  }

  async #lastPublished(): Promise<number> {
    if (this.#marker === null) return -1;
    try {
      return Number((await readFile(this.#marker, "utf8")).trim());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return -1;
      throw error;
    }
  }

  async #notePublished(batchId: number): Promise<void> {
    if (this.#marker === null) return;
    await mkdir(join(this.#marker, ".."), { recursive: true });
    await writeFileAtomic(this.#marker, `${batchId}\n`);
  }
}
