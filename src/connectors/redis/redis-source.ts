import type { RecordBatch } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { MapType, StringType, StructType, TimestampType } from "../../types/data-types.ts";
import { loadOrRecordInitialOffset } from "../initial-offset.ts";
import type { Offset, ReadRequest, Source, SourceContext, SourceProvider } from "../source.ts";
import { BatchAssembler } from "../sources/batch-assembler.ts";
import { readSchemaOf } from "../sources/read-schema.ts";
import type { SourceOptions } from "../sources/source-options.ts";
import { Logger } from "../../common/log.ts";
import { retryOptionsOf, retryPolicyOf, withRetries, type RetryPolicy } from "../retry.ts";
import { closeRedis, connectRedis, describeRedisError, isRetryable, redisTimeoutOption, redisUrl, type RedisClient } from "./redis-connection.ts";
import { BEFORE_FIRST_ENTRY, compareEntryIds, entryTimestampMicros } from "./stream-entry-id.ts";
import { StreamRanks, type StreamEnd } from "./stream-ranks.ts";
import { offsetsBehindLatest } from "../offsets-behind-latest.ts";

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
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

/** An entry as XRANGE answers it: its fields as a flat list of names and values. */
interface Entry { readonly stream: string; readonly id: string; readonly fields: readonly string[] }

/** XRANGE's raw reply: `[id, [field, value, …]]` per entry (read without node-redis's object per entry). */
type RawEntries = ReadonlyArray<readonly [string, readonly string[]]>;

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
    timeoutMs: redisTimeoutOption(options.get("timeoutMs"), where),
    retry: retryPolicyOf(retryOptionsOf(options), undefined, where),
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
  /** Each stream's end when latestOffset last looked, and the ranks of the positions read (lag metrics). */
  readonly #ends = new Map<string, StreamEnd>();
  readonly #ranks = new StreamRanks();

  constructor(readonly options: RedisSourceOptions, readonly shownUrl: string, readonly context: SourceContext) {
    this.description = `RedisStreams[url=${shownUrl}, stream=${options.streams.join(",")}]`;
  }

  /** Connects and checks that every key is a stream (or absent: the first XADD makes it). */
  async open(): Promise<void> {
    const { client, password } = await connectRedis(this.options.url, `Redis source (stream ${this.options.streams.join(",")})`, this.options.timeoutMs);
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
      const last = (await this.#streamEnd(key)).lastId;
      await this.#rank(key, from[key]!);
      end[key] = last !== null && compareEntryIds(last, from[key]!) > 0 ? last : from[key]!;
      if (!Number.isFinite(budget) || end[key] === from[key]) continue;
      // A limited batch ends after the entries the budget allows, taken from the streams in order.
      const entries = budget > 0 ? await this.#range(key, from[key]!, end[key]!, budget) : [];
      end[key] = entries.length > 0 ? entries[entries.length - 1]!.id : from[key]!;
      this.#ranks.advance(key, from[key]!, end[key]!, entries.length);
      budget -= entries.length;
      for (const e of entries) ahead.push(e);
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
      for (const key of this.options.streams) {
        const read = await this.#range(key, from[key]!, to[key]!, Infinity);
        this.#ranks.advance(key, from[key]!, to[key]!, read.length);
        for (const e of read) entries.push(e);
      }
    }
    return toBatches(entries, readSchemaOf(this.schema, request?.columns));
  }

  /** Each stream's end, and the entries behind it after the batch just run, as Spark's Kafka source reports offsets behind latest. */
  metrics(latestConsumed: Offset | null = null): Record<string, string> {
    if (latestConsumed === null) return {};
    const consumed = this.#idsOf(latestConsumed);
    const behind: number[] = [];
    for (const key of this.options.streams) {
      const end = this.#ends.get(key);
      const n = end === undefined ? null : this.#ranks.behind(key, consumed[key]!, end);
      if (n !== null) behind.push(n);
    }
    return behind.length === this.options.streams.length ? offsetsBehindLatest(behind) : {};
  }

  reportLatestOffset(): Offset | null {
    if (this.#ends.size < this.options.streams.length) return null;
    return Object.fromEntries(this.options.streams.map((key) => [key, this.#ends.get(key)!.lastId ?? BEFORE_FIRST_ENTRY]));
  }

  async stop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client !== null) await closeRedis(client, this.options.timeoutMs);
  }

  #initialOffset(): Promise<Offset> {
    this.#initial ??= loadOrRecordInitialOffset(this.context.metadataPath, async () => {
      const offset: Record<string, string> = {};
      for (const key of this.options.streams) {
        offset[key] = this.options.startingOffsets === "earliest" ? BEFORE_FIRST_ENTRY : (await this.#streamEnd(key)).lastId ?? BEFORE_FIRST_ENTRY;
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

  /** The stream's last entry and counts (XINFO STREAM; a missing key is an empty stream), kept for lag metrics. */
  async #streamEnd(key: string): Promise<StreamEnd> {
    const info = await this.#call(async () => {
      try {
        return await this.#connection().xInfoStream(key);
      } catch (error) {
        if (/no such key/i.test((error as Error).message)) return null;
        throw error;
      }
    }, `reading the end of '${key}'`);
    const record = info as Record<string, unknown> | null;
    const lastId = (record?.["last-entry"] as { id: string } | null | undefined)?.id ?? null;
    const added = record?.["entries-added"];
    const end: StreamEnd = {
      lastId,
      length: Number(record?.length ?? 0),
      entriesAdded: record === null ? 0 : added === undefined || added === null ? null : Number(added),
      lastIsNewest: lastId !== null && record?.["last-generated-id"] === lastId,
    };
    this.#ends.set(key, end);
    this.#ranks.noteEnd(key, end, BEFORE_FIRST_ENTRY);
    return end;
  }

  /**
   * Ranks `id` (for the lag metrics) when nothing this run read ranks it: after a restart the
   * checkpoint's position is ranked once by counting the entries after it.
   */
  async #rank(key: string, id: string): Promise<void> {
    const end = this.#ends.get(key);
    if (end?.entriesAdded == null || this.#ranks.rankOf(key, id) !== undefined || end.lastId === null || compareEntryIds(id, end.lastId) >= 0) return;
    let after = 0;
    for (let cursor = id; ;) {
      const page = await this.#call(() => this.#connection().xRange(key, `(${cursor}`, end.lastId!, { COUNT: PAGE }), `counting the entries of '${key}' after ${cursor}`);
      after += page.length;
      if (page.length < PAGE) break;
      cursor = page[page.length - 1]!.id;
    }
    this.#ranks.note(key, id, end.entriesAdded - after);
  }

  /** Entries of `key` after `after` up to `until` (inclusive), at most `limit`. */
  async #range(key: string, after: string, until: string, limit: number): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor = after;
    while (out.length < limit && compareEntryIds(cursor, until) < 0) {
      const count = Math.min(PAGE, limit - out.length);
      const page = await this.#call(
        () => this.#connection().sendCommand(["XRANGE", key, `(${cursor}`, until, "COUNT", String(count)]) as Promise<RawEntries>,
        `reading '${key}' after ${cursor}`,
      );
      for (const [id, fields] of page) out.push({ stream: key, id, fields });
      if (page.length < count) break;
      cursor = page[page.length - 1]![0];
    }
    return out;
  }

  /** A command, tried again while a server that went away comes back (the JDBC sink's backoff policy). */
  async #call<T>(command: () => Promise<T>, what: string): Promise<T> {
    try {
      return await withRetries(this.options.retry, isRetryable, command, ({ error, retry, delayMs }) => {
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
    if (fields >= 0) out.builders[fields]!.append(fieldMap(e.fields));
    if (timestamp >= 0) out.builders[timestamp]!.appendNumber(entryTimestampMicros(e.id));
    out.rowDone();
  }
  return out.finish();
}

/** Field names to values; a name given twice keeps its last value, as the stream's readers see it. */
function fieldMap(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let k = 0; k + 1 < flat.length; k += 2) map.set(flat[k]!, flat[k + 1]!);
  return map;
}
