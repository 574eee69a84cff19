import type { Table } from "apache-arrow";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { ConfKeys } from "../../common/config.ts";
import { retryPolicyOf, retrySinkWrite, type RetryPolicy } from "../retry.ts";
import type { OutputMode, Sink, SinkContext } from "../sink.ts";
import { tableToBatches } from "../sinks/sink-input.ts";
import { closeRedis, connectRedis, describeRedisError, isRetryable, redisTimeoutOption, withDeadline, type RedisClient } from "./redis-connection.ts";
import { fieldValue } from "./redis-field-value.ts";
import { RedisHashSink, hashKeyColumn } from "./redis-hash-sink.ts";

const log = new Logger("RedisSink");

/** `writeStream.format("redis")`: connects and checks the target key at start(). */
export async function redisSinkFactory(context: SinkContext): Promise<Sink> {
  const options = new Map(Object.entries(context.options).map(([k, v]) => [k.toLowerCase(), v]));
  const stream = options.get("stream")?.trim();
  const keyColumn = options.get("keycolumn")?.trim();
  if (stream && keyColumn) throw new ConnectorError("Redis sink: options 'stream' and 'keyColumn' exclude each other: XADD to a stream, or upsert hashes by key");
  if (!stream && !keyColumn) throw new ConnectorError("Redis sink: option 'stream' (the stream key to XADD to) or 'keyColumn' (the column whose value keys each row's hash) is required");
  const retry = retryPolicyOf(context.options, context.conf.get(ConfKeys.sinkRetryMaxDuration), "Redis sink");
  const timeoutMs = redisTimeoutOption(options.get("timeoutms"), "Redis sink");
  if (keyColumn) {
    const index = hashKeyColumn(context, keyColumn);
    const { client, shown, password } = await connectRedis(options.get("url"), `Redis sink (keyColumn ${keyColumn})`, timeoutMs);
    return new RedisHashSink(client, shown, password, index, options.get("keyprefix") ?? "", context, retry, timeoutMs);
  }
  const { client, shown, password } = await connectRedis(options.get("url"), `Redis sink (stream ${stream})`, timeoutMs);
  const type = await client.type(stream!);
  if (type !== "stream" && type !== "none") {
    await client.destroy();
    throw new ConnectorError(`Redis sink: key '${stream}' on Redis server ${shown} is a ${type}, not a stream`);
  }
  return new RedisStreamSink(client, shown, password, stream!, context, retry, timeoutMs);
}

/**
 * XADDs each row as an entry whose fields are the row's columns (nulls left out), exactly
 * once: a batch's entries and its commit marker `rivulet:commit:<queryId>:<batchId>` go in
 * one MULTI/EXEC guarded by WATCH on the marker, and a batch whose marker exists (it was
 * written before a crash, or by another process) is skipped.
 */
export class RedisStreamSink implements Sink {
  readonly description: string;
  lastBatchRows = 0;

  constructor(
    readonly client: RedisClient, shownUrl: string, readonly password: string | null, readonly stream: string,
    readonly context: SinkContext, readonly retry: RetryPolicy, readonly timeoutMs: number,
  ) {
    this.description = `RedisStreamSink[url=${shownUrl}, stream=${stream}]`;
  }

  async addBatch(batchId: number, data: Table, _outputMode: OutputMode): Promise<void> {
    this.lastBatchRows = 0;
    const entries = this.#entries(data);
    const marker = `rivulet:commit:${this.context.queryId ?? this.context.queryName ?? "query"}:${batchId}`;
    // A re-try checks the marker again, so a batch whose EXEC went through before the error is not written twice.
    const written = await retrySinkWrite(this, log, `writing batch ${batchId}`, this.retry, isRetryable, (e) => describeRedisError(e, this.password),
      () => this.#writeOnce(marker, entries));
    if (!written) log.info(`${this.description}: batch ${batchId} was written before (${marker}); skipped`);
    else this.lastBatchRows = entries.length;
  }

  /**
   * One MULTI/EXEC of the entries and the marker, unless the marker exists; false when it did.
   * The sink's own connection, one batch at a time: nothing else runs between WATCH and EXEC on it.
   */
  async #writeOnce(marker: string, entries: readonly Record<string, string | Buffer>[]): Promise<boolean> {
    await this.client.watch(marker);
    if ((await this.client.exists(marker)) === 1) {
      await this.client.unwatch();
      return false;
    }
    const multi = this.client.multi();
    for (const fields of entries) multi.xAdd(this.stream, "*", fields);
    multi.set(marker, String(entries.length));
    // A chain queued while the connection is down has no deadline of its own. Should it still
    // run after this gives up, it runs before the retry's WATCH on this same connection, whose
    // check of the marker then skips the batch.
    await withDeadline(multi.exec(), this.timeoutMs, `writing ${entries.length} entries`);
    return true;
  }

  async stop(): Promise<void> {
    await closeRedis(this.client, this.timeoutMs);
  }

  /** Each row's non-null columns as fields; a row with none has nothing to write (XADD needs a field). */
  #entries(data: Table): Record<string, string | Buffer>[] {
    const out: Record<string, string | Buffer>[] = [];
    for (const batch of tableToBatches(data, this.context.schema)) {
      const fields = batch.schema.fields;
      for (let i = 0; i < batch.numRows; i++) {
        const entry: Record<string, string | Buffer> = {};
        let any = false;
        for (let k = 0; k < fields.length; k++) {
          const v = valueAt(batch.columns[k]!, i);
          if (v === null || v === undefined) continue;
          entry[fields[k]!.name] = fieldValue(v, fields[k]!.dataType);
          any = true;
        }
        if (any) out.push(entry);
      }
    }
    return out;
  }
}
