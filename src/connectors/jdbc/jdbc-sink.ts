import { randomUUID } from "node:crypto";
import type { Table } from "apache-arrow";
import type { CompiledQuery } from "kysely";
import { ConnectorError, InternalError, PermanentConnectorError } from "../../common/errors.ts";
import { ConfKeys } from "../../common/config.ts";
import { formatDuration } from "../../common/duration.ts";
import { Logger } from "../../common/log.ts";
import type { StructType } from "../../types/data-types.ts";
import type { OutputMode, Sink, SinkContext, SinkStatusListener } from "../sink.ts";
import { tableToBatches } from "../sinks/sink-input.ts";
import { dialectFor } from "./dialects.ts";
import type { AnyDb, JdbcDialect } from "./jdbc-dialect.ts";
import { jdbcOptions, type JdbcOptions } from "./jdbc-options.ts";
import { redactSecrets } from "./jdbc-url.ts";
import { isAbort, RetriesExhausted, withRetries, type RetryEvent } from "../retry.ts";
import { columnReader, formatTimestampMicros, sinkColumns, type SinkColumn } from "./sink-columns.ts";
import { sinkKeys, type WriteMode } from "./sink-keys.ts";
import { COMMITS_TABLE, ensureCommitsTable, ensureTable } from "./table-setup.ts";
import { deleteKeyNullSafe, nullKeyRefused, splitNullKeys } from "./null-keys.ts";

const log = new Logger("JdbcSink");

export interface JdbcSinkConfig {
  readonly options: JdbcOptions;
  readonly dialect: JdbcDialect;
  /** Commits are recorded per query id, which stays the same across restarts from a checkpoint. */
  readonly queryId: string;
  readonly schema: StructType;
  readonly columns: readonly SinkColumn[];
  readonly writeMode: WriteMode;
  /** Commit records of batches this far behind the newest are dropped. */
  readonly retainBatches: number;
  /** Told when the sink waits for the database and when it got through again. */
  readonly status?: SinkStatusListener;
  /** Aborted when the query stops: a wait for the database ends at once. */
  readonly stopping?: AbortSignal;
}

/**
 * The exactly-once JDBC sink. Each batch is written in one transaction that first
 * claims `(query id, batch id)` in the sink's commit table `_rivulet_commits`: when the
 * claim finds the id already there (a batch re-run after a crash between the sink and
 * the commit log), the batch is skipped; otherwise its rows go in as multi-row INSERTs
 * of `batchsize` rows, upserted by key in update mode, after a DELETE in complete mode.
 * Transient errors (connection refused or lost, server restarting, deadlocks) are retried
 * with capped exponential backoff, each retry on a new pool, for `retryMaxDuration`; the
 * transaction makes a retried batch all-or-nothing. Other errors fail at once.
 */
export class JdbcSink implements Sink {
  readonly description: string;
  readonly config: JdbcSinkConfig;
  #db: AnyDb | null = null;
  #lastBatchRows = 0;
  #retries = 0;
  /** Indexes of key columns the table holds as NOT NULL (set when the table is prepared). */
  #notNullKeys: readonly number[] = [];
  readonly #statements = new Map<string, CompiledQuery>();

  private constructor(config: JdbcSinkConfig) {
    this.config = config;
    this.description = `JdbcSink[${config.options.target.redacted}, ${config.options.table}]`;
  }

  /** Connects, then creates (or checks) the commit table and the target table. */
  static async open(config: JdbcSinkConfig): Promise<JdbcSink> {
    const sink = new JdbcSink(config);
    try {
      await sink.#run("connecting and preparing the table", async (db) => {
        await ensureCommitsTable(db, config.dialect);
        const setup = await ensureTable(db, config.dialect, config.options.table, config.columns, config.options.createTableOptions, config.options.createTableColumnTypes);
        sink.#notNullKeys = config.columns.flatMap((c, k) => (c.isKey && setup.notNullKeys.has(c.name.toLowerCase()) ? [k] : []));
        log.info(`${sink.description}: table ${setup.outcome}`);
      });
    } catch (error) {
      await sink.stop();
      throw error;
    }
    return sink;
  }

  get lastBatchRows(): number {
    return this.#lastBatchRows;
  }

  metrics(): Record<string, string> {
    return { retries: String(this.#retries) };
  }

  async addBatch(batchId: number, data: Table, _outputMode: OutputMode): Promise<void> {
    const { dialect, options, columns, writeMode, queryId } = this.config;
    const rows = this.#rows(data, batchId);
    const chunkSize = Math.max(1, Math.min(options.batchSize, Math.floor(dialect.maxParameters / Math.max(1, columns.length))));
    const applied = await this.#run(`writing batch ${batchId}`, (db) => db.transaction().execute(async (trx) => {
      const claim = await dialect.insertIgnore(trx.insertInto(COMMITS_TABLE).values({
        query_id: queryId, batch_id: batchId, table_name: options.table, committed_at: formatTimestampMicros(Date.now() * 1000),
      })).executeTakeFirst();
      if (Number(claim.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
      if (writeMode === "replace") await trx.deleteFrom(options.table).execute();
      const keyIndexes = writeMode === "upsert" ? columns.flatMap((c, k) => (c.isKey ? [k] : [])) : [];
      const { keyed, nullKeyed } = splitNullKeys(rows, keyIndexes);
      for (let start = 0; start < keyed.length; start += chunkSize) {
        const chunk = keyed.slice(start, start + chunkSize);
        await trx.executeQuery({ ...this.#insertStatement(trx, chunk.length, keyIndexes.length > 0), parameters: chunk.flat() });
      }
      for (const row of nullKeyed) {
        await deleteKeyNullSafe(trx, dialect, options.table, columns, keyIndexes, row);
        await trx.executeQuery({ ...this.#insertStatement(trx, 1, false), parameters: row });
      }
      if (batchId > 0 && batchId % 100 === 0) {
        await trx.deleteFrom(COMMITS_TABLE).where("query_id", "=", queryId).where("batch_id", "<", batchId - this.config.retainBatches).execute();
      }
      return true;
    }));
    if (!applied) log.info(`${this.description}: batch ${batchId} of query ${queryId} was already written; skipped`);
    this.#lastBatchRows = applied ? rows.length : 0;
  }

  async stop(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    await db?.destroy().catch((e: unknown) => log.warn(`${this.description}: closing: ${this.#redact(e)}`));
  }

  /** A batch's rows, each the values the driver binds in table-column order. */
  #rows(data: Table, batchId: number): unknown[][] {
    const { columns, dialect, schema } = this.config;
    const out: unknown[][] = [];
    const doubles = columns.flatMap((c, k) => (c.type.kind === "double" || c.type.kind === "float" ? [k] : []));
    for (const batch of tableToBatches(data, schema)) {
      if (batch.numRows === 0) continue;
      const readers = columns.map((c) => columnReader(batch, c, dialect));
      for (let i = 0; i < batch.numRows; i++) {
        const row = new Array<unknown>(columns.length);
        for (let k = 0; k < columns.length; k++) row[k] = readers[k]!(i);
        for (const k of this.#notNullKeys) if (row[k] === null) throw nullKeyRefused(this.description, batchId, this.config.options.table, columns[k]!.name);
        for (const k of doubles) if (typeof row[k] === "number" && dialect.cannotStoreDouble(row[k])) this.#refuseDouble(batchId, columns[k]!, row[k], row, out.length);
        out.push(row);
      }
    }
    return out;
  }

  /** A double the database has no value for: the batch fails naming it (as Spark's setDouble fails on it), nothing is written. */
  #refuseDouble(batchId: number, column: SinkColumn, value: number, row: readonly unknown[], index: number): never {
    const { columns, dialect, options } = this.config;
    const keys = columns.flatMap((c, k) => (c.isKey ? [`${c.name}=${String(row[k])}`] : []));
    const which = `row ${index} of the batch${keys.length > 0 ? ` (${keys.join(", ")})` : ""}`;
    const db = dialect.name === "mysql" ? "MySQL/MariaDB has no NaN or Infinity" : "SQLite stores NaN as NULL";
    throw new PermanentConnectorError(`${this.description}: writing batch ${batchId}: column ${column.name} (${column.type.kind}) of ${which} is ${String(value)}, which table ${options.table} cannot hold (${db}); filter or replace such values before the sink`);
  }

  /**
   * The INSERT (or upsert) of `count` rows, built with Kysely once per row count and
   * reused with each chunk's parameters: building thousands of value nodes per chunk
   * would cost more than the database round trip.
   */
  #insertStatement(db: AnyDb, count: number, upsert: boolean): CompiledQuery {
    const cacheKey = `${count}${upsert ? " upsert" : ""}`;
    const cached = this.#statements.get(cacheKey);
    if (cached !== undefined) return cached;
    const { dialect, options, columns } = this.config;
    const placeholder = Object.fromEntries(columns.map((c) => [c.name, 0]));
    const insert = db.insertInto(options.table).values(Array.from({ length: count }, () => placeholder));
    const keys = columns.filter((c) => c.isKey).map((c) => c.name);
    const values = columns.filter((c) => !c.isKey).map((c) => c.name);
    const compiled = (upsert ? dialect.upsert(insert, keys, values) : insert).compile();
    if (compiled.parameters.length !== count * columns.length) {
      throw new InternalError(`JDBC sink: the INSERT of ${count} rows has ${compiled.parameters.length} parameters, expected ${count * columns.length}`);
    }
    this.#statements.set(cacheKey, compiled);
    return compiled;
  }

  async #connection(): Promise<AnyDb> {
    this.#db ??= await this.config.dialect.connect(this.config.options.target);
    return this.#db;
  }

  /**
   * Runs `work` with retries on transient errors (each retry on a new pool), telling the
   * status listener while it waits; other errors become a ConnectorError at once.
   */
  async #run<T>(what: string, work: (db: AnyDb) => Promise<T>): Promise<T> {
    const { dialect, options, status } = this.config;
    let waited = false;
    try {
      const result = await withRetries(
        options.retry,
        (e) => dialect.classify(e) === "transient",
        async () => work(await this.#connection()),
        async (event) => {
          waited = true;
          this.#retries++;
          await this.#onRetry(what, event);
        },
        this.config.stopping,
      );
      if (waited) {
        log.info(`${this.description}: ${what} succeeded after the database came back`);
        status?.recovered(this.description);
      }
      return result;
    } catch (error) {
      if (isAbort(error)) throw error;
      throw this.#error(what, error);
    }
  }

  async #onRetry(what: string, { error, retry, delayMs }: RetryEvent): Promise<void> {
    const detail = `${what} failed: ${this.#redact(error)}`;
    const budget = this.config.options.retry.maxDurationMs;
    const until = Number.isFinite(budget) ? `retryMaxDuration ${formatDuration(budget * 1000)}` : "retrying forever";
    log.warn(`${this.description}: ${detail}; retry ${retry} in ${delayMs} ms (${until})`);
    this.config.status?.waiting({ sink: this.description, error: detail, retry, nextInMs: delayMs });
    await this.stop();
  }

  #redact(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return redactSecrets(message, [this.config.options.target.password]);
  }

  #error(what: string, thrown: unknown): PermanentConnectorError {
    const { target, table } = this.config.options;
    const exhausted = thrown instanceof RetriesExhausted ? thrown : null;
    const error = exhausted?.lastError ?? thrown;
    const detail = this.#redact(error);
    const where = `JDBC sink ${target.redacted} (table ${table})`;
    if (error instanceof ConnectorError) return new PermanentConnectorError(`${where}: ${detail}`, { cause: error });
    switch (this.config.dialect.classify(error)) {
      case "access-denied":
        return new PermanentConnectorError(`${where}: access denied for user '${target.user ?? ""}': check the user and password (${detail})`, { cause: error });
      case "unknown-database":
        return new PermanentConnectorError(`${where}: database '${target.database}' does not exist (${detail})`, { cause: error });
      case "transient": {
        const tries = exhausted?.attempts ?? 1;
        const budget = exhausted !== null && exhausted.budgetSpent
          ? ` over ${formatDuration(Math.round(exhausted.elapsedMs) * 1000)} (retryMaxDuration ${formatDuration(this.config.options.retry.maxDurationMs * 1000)})`
          : " (retryMaxDuration 0: no retry)";
        return new PermanentConnectorError(`${where}: ${what} failed after ${tries} attempt${tries === 1 ? "" : "s"}${budget}; the database is unreachable or lost the connection: ${detail}`, { cause: error });
      }
      case "other":
        return new PermanentConnectorError(`${where}: ${what} failed: ${detail}`, { cause: error });
    }
  }
}

/**
 * `writeStream.format("jdbc")`: checks the options, the output mode and the result's key
 * now (errors at start()); connects and prepares the table when the query starts.
 */
export function jdbcSinkFactory(context: SinkContext): Promise<JdbcSink> {
  const options = jdbcOptions(context.options, "JDBC sink", context.conf.get(ConfKeys.sinkRetryMaxDuration));
  const { writeMode, keyColumns } = sinkKeys(context.outputMode, context.resultKey, options.table);
  const columns = sinkColumns(context.schema, keyColumns);
  const seen = new Set<string>();
  for (const c of columns) {
    const lower = c.name.toLowerCase();
    if (seen.has(lower)) throw new ConnectorError(`JDBC sink ${options.target.redacted}: two result columns map to table column '${c.name}'; rename one with alias()`);
    seen.add(lower);
  }
  let queryId = context.queryId;
  if (queryId === undefined) {
    queryId = randomUUID();
    log.warn(`JDBC sink ${options.target.redacted}: no query id given; batches are recorded under ${queryId}`);
  }
  const opened = JdbcSink.open({
    options, dialect: dialectFor(options.target.dialect), queryId, schema: context.schema, columns, writeMode,
    retainBatches: context.conf.getNumber(ConfKeys.minBatchesToRetain), status: context.status, stopping: context.stopping,
  });
  // The executor awaits this when the query starts; never an unhandled rejection before that.
  opened.catch(() => {});
  return opened;
}
