import type { Table } from "apache-arrow";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { RetryPolicy } from "../retry.ts";
import { retrySinkWrite } from "../retry.ts";
import type { OutputMode, Sink, SinkContext } from "../sink.ts";
import { tableToBatches } from "../sinks/sink-input.ts";
import { closeRedis, describeRedisError, isRetryable, withDeadline, type RedisClient } from "./redis-connection.ts";
import { fieldValue } from "./redis-field-value.ts";

const log = new Logger("RedisHashSink");

/** Where the hash sink finds each row's key: the `keyColumn` (by name, case-insensitive) and an optional `keyPrefix`. */
export function hashKeyColumn(context: SinkContext, keyColumn: string): number {
  const index = context.schema.fields.findIndex((f) => f.name.toLowerCase() === keyColumn.toLowerCase());
  if (index < 0) {
    throw new ConnectorError(`Redis sink: keyColumn '${keyColumn}' is not a column of the result (columns: ${context.schema.fields.map((f) => f.name).join(", ")})`);
  }
  return index;
}

/**
 * `option("keyColumn", k)`: each row upserted as the hash `<keyPrefix><k's value>` whose
 * fields are the other columns (string forms as the stream sink writes them, a null left
 * out), replacing what the key held — the cache a result is kept in, every output mode. A
 * batch's hashes and its commit marker `rivulet:commit:<queryId>:<batchId>` go in one
 * MULTI/EXEC guarded by WATCH on the marker; a batch whose marker exists is skipped.
 */
export class RedisHashSink implements Sink {
  readonly description: string;
  lastBatchRows = 0;

  constructor(
    readonly client: RedisClient, shownUrl: string, readonly password: string | null, readonly keyColumn: number,
    readonly keyPrefix: string, readonly context: SinkContext, readonly retry: RetryPolicy, readonly timeoutMs: number,
  ) {
    this.description = `RedisHashSink[url=${shownUrl}, keyColumn=${context.schema.fields[keyColumn]!.name}${keyPrefix === "" ? "" : `, keyPrefix=${keyPrefix}`}]`;
  }

  async addBatch(batchId: number, data: Table, _outputMode: OutputMode): Promise<void> {
    this.lastBatchRows = 0;
    const hashes = this.#hashes(data);
    const marker = `rivulet:commit:${this.context.queryId ?? this.context.queryName ?? "query"}:${batchId}`;
    const written = await retrySinkWrite(this, log, `writing batch ${batchId}`, this.retry, isRetryable, (e) => describeRedisError(e, this.password),
      () => this.#writeOnce(marker, hashes));
    if (!written) log.info(`${this.description}: batch ${batchId} was written before (${marker}); skipped`);
    else this.lastBatchRows = hashes.size;
  }

  async #writeOnce(marker: string, hashes: ReadonlyMap<string, Record<string, string | Buffer>>): Promise<boolean> {
    await this.client.watch(marker);
    if ((await this.client.exists(marker)) === 1) {
      await this.client.unwatch();
      return false;
    }
    const multi = this.client.multi();
    for (const [key, fields] of hashes) {
      multi.del(key);
      if (Object.keys(fields).length > 0) multi.hSet(key, fields);
    }
    multi.set(marker, String(hashes.size));
    await withDeadline(multi.exec(), this.timeoutMs, `writing ${hashes.size} hashes`);
    return true;
  }

  async stop(): Promise<void> {
    await closeRedis(this.client, this.timeoutMs);
  }

  /** Each row's hash by key; a later row of the same key in the batch replaces an earlier one. A null key is an error. */
  #hashes(data: Table): Map<string, Record<string, string | Buffer>> {
    const out = new Map<string, Record<string, string | Buffer>>();
    for (const batch of tableToBatches(data, this.context.schema)) {
      const fields = batch.schema.fields;
      const keyType = fields[this.keyColumn]!.dataType;
      for (let i = 0; i < batch.numRows; i++) {
        const k = valueAt(batch.columns[this.keyColumn]!, i);
        if (k === null || k === undefined) throw new ConnectorError(`${this.description}: a row has a null ${fields[this.keyColumn]!.name}; a hash needs a key`);
        const hash: Record<string, string | Buffer> = {};
        for (let c = 0; c < fields.length; c++) {
          if (c === this.keyColumn) continue;
          const v = valueAt(batch.columns[c]!, i);
          if (v !== null && v !== undefined) hash[fields[c]!.name] = fieldValue(v, fields[c]!.dataType);
        }
        out.set(`${this.keyPrefix}${fieldValue(k, keyType).toString()}`, hash);
      }
    }
    return out;
  }
}
