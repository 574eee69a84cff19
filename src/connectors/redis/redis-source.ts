import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { MapType, StringType, StructType, TimestampType } from "../../types/data-types.ts";
import { loadOrRecordInitialOffset } from "../initial-offset.ts";
import type { Offset, ReadRequest, Source, SourceContext, SourceProvider } from "../source.ts";
import { BatchAssembler } from "../sources/batch-assembler.ts";
import { readSchemaOf } from "../sources/read-schema.ts";
import type { SourceOptions } from "../sources/source-options.ts";
import { Logger } from "../../common/log.ts";
import { DEFAULT_RETRY_POLICY, withRetries } from "../retry.ts";
import { connectRedis, describeRedisError, isRetryable, redisUrl, type RedisClient } from "./redis-connection.ts";
import { BEFORE_FIRST_ENTRY, compareEntryIds, entryTimestampMicros } from "./stream-entry-id.ts";

/** The columns of `readStream.format("redis")`: one row per stream entry. */
export const REDIS_SOURCE_SCHEMA = new StructType([
  { name: "stream", dataType: StringType, nullable: false },
  { name: "id", dataType: StringType, nullable: false },
  { name: "fields", dataType: MapType(StringType, StringType, false), nullable: false },
  { name: "timestamp", dataType: TimestampType, nullable: false },
]);

const log = new Logger("RedisSource");

/** Entries fetched per XRANGE call while reading a batch. */
const PAGE = 5000;

interface RedisSourceOptions {
  readonly url: string;
  readonly streams: readonly string[];
  readonly startingOffsets: "earliest" | "latest";
  readonly maxEntriesPerTrigger: number;
}

interface Entry { readonly stream: string; readonly id: string; readonly fields: Record<string, string> }

export function createRedisSourceProvider(options: SourceOptions): SourceProvider {
  const where = "Redis source";
  const { shown } = redisUrl(options.get("url"), where);
  const streams = (options.get("stream") ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (streams.length === 0) throw new ConnectorError(`${where}: option 'stream' is required (one or more stream keys, comma-separated)`);
  const starting = (options.get("startingOffsets") ?? "latest").trim().toLowerCase();
  if (starting !== "earliest" && starting !== "latest") {
    throw new ConnectorError(`${where}: option 'startingOffsets' must be earliest or latest, not '${options.get("startingOffsets")}'`);
  }
  const parsed: RedisSourceOptions = {
    url: options.get("url")!, streams, startingOffsets: starting,
    maxEntriesPerTrigger: Math.floor(options.getNumber("maxEntriesPerTrigger", Infinity, 1)),
  };
  return {
    format: "redis",
    schema: REDIS_SOURCE_SCHEMA,
    details: `url=${shown}, stream=${streams.join(",")}`,
    supportsBatch: false,
    createSource: (context) => new RedisStreamSource(parsed, shown, context),
  };
}

/**
 * Redis streams as an unbounded table. The offset is the id of the last entry read from
 * each stream key (`{"orders": "1700000000000-0"}`); a batch reads (start, end] of each
 * with XRANGE and an exclusive start, so a re-run reads exactly the same entries.
 */
export class RedisStreamSource implements Source {
  readonly schema = REDIS_SOURCE_SCHEMA;
  readonly description: string;
  #client: RedisClient | null = null;
  #password: string | null = null;
  #initial: Promise<Offset> | null = null;
  #readAhead: { start: string; end: string; entries: Entry[] } | null = null;

  constructor(readonly options: RedisSourceOptions, readonly shownUrl: string, readonly context: SourceContext) {
    this.description = `RedisStreams[url=${shownUrl}, stream=${options.streams.join(",")}]`;
  }

  /** Connects and checks that every key is a stream (or absent: the first XADD makes it). */
  async open(): Promise<void> {
    const { client, password } = await connectRedis(this.options.url, `Redis source (stream ${this.options.streams.join(",")})`);
    this.#client = client;
    this.#password = password;
    for (const key of this.options.streams) {
      const type = await client.type(key);
      if (type !== "stream" && type !== "none") {
        throw new ConnectorError(`Redis source: key '${key}' on Redis server ${this.shownUrl} is a ${type}, not a stream`);
      }
    }
  }

  async latestOffset(start: Offset | null): Promise<Offset | null> {
    const from = this.#idsOf(start ?? (await this.#initialOffset()));
    const end: Record<string, string> = {};
    let budget = this.options.maxEntriesPerTrigger;
    const ahead: Entry[] = [];
    for (const key of this.options.streams) {
      const last = await this.#lastId(key);
      end[key] = last !== null && compareEntryIds(last, from[key]!) > 0 ? last : from[key]!;
      if (!Number.isFinite(budget) || end[key] === from[key]) continue;
      // A limited batch ends after the entries the budget allows, taken from the streams in order.
      const entries = budget > 0 ? await this.#range(key, from[key]!, end[key]!, budget) : [];
      end[key] = entries.length > 0 ? entries[entries.length - 1]!.id : from[key]!;
      budget -= entries.length;
      ahead.push(...entries);
    }
    if (this.options.streams.every((k) => end[k] === from[k])) return start;
    if (Number.isFinite(this.options.maxEntriesPerTrigger)) this.#readAhead = { start: JSON.stringify(from), end: JSON.stringify(end), entries: ahead };
    return end;
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    const from = this.#idsOf(start ?? (await this.#initialOffset()));
    const to = this.#idsOf(end);
    const ahead = this.#readAhead;
    this.#readAhead = null;
    let entries: Entry[];
    if (ahead !== null && ahead.start === JSON.stringify(from) && ahead.end === JSON.stringify(to)) {
      entries = ahead.entries;
    } else {
      entries = [];
      for (const key of this.options.streams) entries.push(...(await this.#range(key, from[key]!, to[key]!, Infinity)));
    }
    return toBatches(entries, readSchemaOf(this.schema, request?.columns));
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client !== null) await client.close().catch(() => client.destroy());
  }

  #initialOffset(): Promise<Offset> {
    this.#initial ??= loadOrRecordInitialOffset(this.context.metadataPath, async () => {
      const offset: Record<string, string> = {};
      for (const key of this.options.streams) {
        offset[key] = this.options.startingOffsets === "earliest" ? BEFORE_FIRST_ENTRY : (await this.#lastId(key)) ?? BEFORE_FIRST_ENTRY;
      }
      return offset;
    });
    return this.#initial;
  }

  #idsOf(offset: Offset): Record<string, string> {
    const ids = offset !== null && typeof offset === "object" && !Array.isArray(offset) ? offset : {};
    const out: Record<string, string> = {};
    for (const key of this.options.streams) {
      const id = ids[key];
      // A stream added to the option since the checkpoint was written is read from its start.
      out[key] = typeof id === "string" ? id : BEFORE_FIRST_ENTRY;
    }
    return out;
  }

  async #lastId(key: string): Promise<string | null> {
    const last = await this.#call(() => this.#connection().xRevRange(key, "+", "-", { COUNT: 1 }), `reading the last entry of '${key}'`);
    return last[0]?.id ?? null;
  }

  /** Entries of `key` after `after` up to `until` (inclusive), at most `limit`. */
  async #range(key: string, after: string, until: string, limit: number): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor = after;
    while (out.length < limit && compareEntryIds(cursor, until) < 0) {
      const count = Math.min(PAGE, limit - out.length);
      const page = await this.#call(() => this.#connection().xRange(key, `(${cursor}`, until, { COUNT: count }), `reading '${key}' after ${cursor}`);
      for (const e of page) out.push({ stream: key, id: e.id, fields: e.message as Record<string, string> });
      if (page.length < count) break;
      cursor = page[page.length - 1]!.id;
    }
    return out;
  }

  /** A command, tried again while a server that went away comes back (the JDBC sink's backoff policy). */
  async #call<T>(command: () => Promise<T>, what: string): Promise<T> {
    try {
      return await withRetries(DEFAULT_RETRY_POLICY, isRetryable, command, ({ error, retry, delayMs }) => {
        log.warn(`${this.description}: ${what} failed (${describeRedisError(error, this.#password)}); retry ${retry} in ${delayMs} ms`);
      });
    } catch (error) {
      throw new ConnectorError(`${this.description}: ${what} failed: ${describeRedisError(error, this.#password)}`, { cause: error });
    }
  }

  #connection(): RedisClient {
    if (this.#client === null) throw new ConnectorError(`${this.description}: used before open()`);
    return this.#client;
  }
}

function toBatches(entries: readonly Entry[], schema: StructType): RecordBatch[] {
  const out = new BatchAssembler(schema);
  const [stream, id, fields, timestamp] = ["stream", "id", "fields", "timestamp"].map((n) => schema.fieldIndex(n)) as [number, number, number, number];
  for (const e of entries) {
    if (stream >= 0) out.builders[stream]!.appendString(e.stream);
    if (id >= 0) out.builders[id]!.appendString(e.id);
    if (fields >= 0) out.builders[fields]!.append(new Map(Object.entries(e.fields)));
    if (timestamp >= 0) out.builders[timestamp]!.appendNumber(entryTimestampMicros(e.id));
    out.rowDone();
  }
  return out.finish();
}
