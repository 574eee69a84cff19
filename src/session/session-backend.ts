import type { Dataset, Row } from "../api/dataset.ts";
import type { RuntimeConfig } from "../common/config.ts";
import type { ConnectionString } from "../connect/connection-string.ts";
import type { RemoteCatalog } from "../connect/remote-catalog.ts";
import type { Catalog } from "./catalog.ts";
import type { StructType } from "../types/data-types.ts";
import type { StreamingQueryManager } from "./streaming-query-manager.ts";

/** What `read`/`readStream` collected before `load()`: as the user wrote it. */
export interface SourceRead {
  /** `format(…)` (or the format method called: `json(…)`), null when none was named. */
  readonly format: string | null;
  readonly schema: StructType | null;
  /** The schema as given, when it was given as DDL text (a remote plan sends it unchanged). */
  readonly schemaText: string | null;
  readonly options: Readonly<Record<string, string>>;
  readonly paths: readonly string[];
}

/**
 * The half of a Session that differs between rivulet's two implementations of Spark's
 * API (Spark 4's `classic` and `connect`): where DataFrames come from, how SQL runs and
 * what stopping means. The local backend builds resolved plans that run in this process
 * (`local-session-backend.ts`); the remote one builds Spark Connect Relations that run
 * on a Spark cluster (`connect/remote-session-backend.ts`). The session picks one when
 * it is made; nothing else asks which it has.
 */
/** What only this process can run: a remote session refuses it at the call. */
export type LocalOnlyFeature = "DStreams" | "MemoryStream" | "Flume sources" | "JavaScript user-defined functions (spark.udf, udf())" | "streaming INSERT INTO … FROM STREAM(t)" | "sqlScript (rivulet's statement-by-statement runner; on Spark, `await spark.sql(statement)` each one)";

/** A Dataset of either backend: the Session types it for its mode. */
type AnyDataset<T = any> = Dataset<T, any>;

export interface SessionBackend {
  readonly isRemote: boolean;
  /** The session's `spark.conf` (a remote one sends `spark.*` settings to the server and refuses `rivulet.*`). */
  createConf(): RuntimeConfig;
  /** Throws `[UNSUPPORTED_ON_SPARK_CONNECT]` on a remote session; nothing on a local one. */
  requireLocal(feature: LocalOnlyFeature): void;
  readonly streams: StreamingQueryManager;
  readSource(read: SourceRead, streaming: boolean): AnyDataset;
  /** `table(name)`, `read.table(name)`, `readStream.table(name)`. */
  readTable(name: string, options: Readonly<Record<string, string>>, streaming: boolean | null): AnyDataset<Row>;
  createDataFrame(rows: readonly unknown[], schema: StructType | string): AnyDataset;
  range(start: number, end: number, step: number, numPartitions?: number): AnyDataset<Row>;
  /** `spark.catalog`: the session's own (local), or Spark Connect's Catalog relations (remote). */
  readonly catalog: Catalog | RemoteCatalog;
  /** What `newSession()` connects to: nothing for a local session; for a remote one, the same server under a new session id. */
  newSessionConnection(): ConnectionString | undefined;
  sql(sqlText: string, args?: SqlArgs): AnyDataset<Row> | Promise<AnyDataset<Row>>;
  stop(): Promise<void>;
}

/**
 * `spark.sql(text, args)`'s arguments: an object or Map for the named markers (`:name`), an
 * array for the positional ones (`?`); each a JS value (a literal) or a Column (`array()`,
 * `map()`, `struct()` of literals), as Spark's `args`.
 */
export type SqlArgs = Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown> | readonly unknown[];

/** The arguments as named values or positional values (never both). */
export function sqlArgumentsOf(args: SqlArgs | undefined): { named: ReadonlyMap<string, unknown> | null; positional: readonly unknown[] | null } {
  if (args === undefined) return { named: null, positional: null };
  if (Array.isArray(args)) return { named: null, positional: args };
  if (args instanceof Map) return { named: args as ReadonlyMap<string, unknown>, positional: null };
  return { named: new Map(Object.entries(args)), positional: null };
}
