import { createRequire } from "node:module";
import { RuntimeConfig, setActiveConf } from "../common/config.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { optimize, rulesFor } from "../optimizer/optimizer.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { localRelation } from "../plan/plan-builder.ts";
import type { StructType } from "../types/data-types.ts";
import type { TypedStruct, UntypedSchema } from "../types/schema-builder.ts";
import { DataFrameReader, DataStreamReader } from "../api/data-stream-reader.ts";
import type { Dataset, DataFrame } from "../api/dataset.ts";
import type { Answer, SessionMode } from "../api/session-mode.ts";
import type { RemoteStreamingQueryManager } from "../connect/remote-streaming-query-manager.ts";
import type { RemoteCatalog } from "../connect/remote-catalog.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { runSqlScript, type SqlScriptResult } from "../sql/sql-script.ts";
import type { Catalog } from "./catalog.ts";
import { SystemClock, type Clock } from "../execution/clock.ts";
import type { StreamingQueryManager } from "./streaming-query-manager.ts";
import { uiFromConf } from "../ui/session-ui.ts";
import type { UiServer } from "../ui/ui-server.ts";
import { parseConnectionString, type ConnectionString } from "../connect/connection-string.ts";
import type { RemoteSessionBackend } from "../connect/remote-session-backend.ts";
import { remoteBackend } from "./remote-backend.ts";
import { LocalSessionBackend } from "./local-session-backend.ts";
import type { SessionBackend, SqlArgs } from "./session-backend.ts";
import { UDFRegistration } from "../api/user-defined-function.ts";
import { SPARK_VERSION } from "./spark-version.ts";
import { inferRowsSchema } from "./infer-rows-schema.ts";

let activeSession: Session | null = null;
const APP_NAME_KEY = "spark.app.name";

/** Spark's SparkSession.Builder. */
export class SessionBuilder<M extends SessionMode = "local"> {
  readonly #conf: [string, string][] = [];
  #appName = "rivulet";
  #clock: Clock | null = null;
  #remote: ConnectionString | null = null;

  /** Spark's `appName`: the same as `config("spark.app.name", name)`. */
  appName(name: string): this { this.#appName = name; return this; }
  /**
   * Runs the session's DataFrames, SQL and streaming queries on a Spark cluster through
   * Spark Connect: `remote("sc://host:15002/;use_ssl=true;token=…")`. A malformed URL
   * fails here; nobody is contacted until the first call that needs the server. Without
   * remote(), `SPARK_REMOTE` in the environment does the same (as Spark's clients).
   */
  remote(url: string): SessionBuilder<"remote"> {
    this.#remote = parseConnectionString(url, rivuletVersion());
    return this as SessionBuilder<any>;
  }
  /** Accepted for Spark compatibility; rivulet always runs in this process ("local[*]"). */
  master(_master: string): this { return this; }
  config(key: string, value: string | number | boolean): this {
    if (key === APP_NAME_KEY) this.#appName = String(value);
    else this.#conf.push([key, String(value)]);
    return this;
  }
  /** The clock every trigger of the session runs on (a ManualClock in tests). */
  withClock(clock: Clock): this { this.#clock = clock; return this; }

  /** The active session (with this builder's settings applied), or a new one. */
  getOrCreate(): Session<M> {
    return this.#getOrCreate() as Session<any>;
  }

  #getOrCreate(): Session<SessionMode> {
    const remote = this.#remote ?? remoteFromEnvironment();
    if (remote !== null) return this.#remoteSession(remote);
    // A session with its own clock is never shared: its time belongs to the test that made it.
    if (this.#clock !== null) {
      const session = new Session({ appName: this.#appName, clock: this.#clock });
      for (const [k, v] of this.#conf) session.conf.set(k, v);
      session.conf.keepAsInitial();
      session.startUi();
      return session;
    }
    const created = activeSession === null || activeSession.stopped || activeSession.remoteUrl !== null;
    const session = created ? new Session({ appName: this.#appName }) : activeSession!;
    activeSession = session;
    for (const [k, v] of this.#conf) session.conf.set(k, v);
    // RESET goes back to the settings a session was built with, not to those of a later builder.
    if (created) session.conf.keepAsInitial();
    session.startUi();
    return session;
  }

  /** A remote session is shared while it runs, as Spark Connect's default session is, for the same URL. */
  #remoteSession(remote: ConnectionString): Session<SessionMode> {
    if (activeSession === null || activeSession.stopped || activeSession.remoteUrl !== remote.redacted) {
      activeSession = new Session({ appName: this.#appName, remote });
    }
    for (const [k, v] of this.#conf) activeSession.conf.set(k, v);
    return activeSession;
  }
}

function remoteFromEnvironment(): ConnectionString | null {
  const url = process.env.SPARK_REMOTE;
  return url === undefined || url === "" ? null : parseConnectionString(url, rivuletVersion());
}

/** This package's version: the default user agent of a remote session is `rivulet/<version>`. */
function rivuletVersion(): string {
  try {
    // The package's own manifest by its name (exported as "./package.json"): the same from src/ and dist/.
    return (createRequire(import.meta.url)("rivulet/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * The entry point (Spark's SparkSession): readers, SQL, the catalog and running queries.
 * `M` is `"remote"` for a session from `remote(url)` (a RemoteSession): its DataFrames
 * are typed so that what needs the server is awaited.
 */
export class Session<M extends SessionMode = "local"> {
  readonly conf: RuntimeConfig;
  readonly appName: string;
  /** @internal Where DataFrames come from and run: this process, or a Spark cluster (`remote(url)`). */
  readonly backend: SessionBackend;
  /** Time for triggers and watermark idleness; wall-clock time unless the builder was given a clock. */
  readonly clock: Clock;
  #stopped = false;
  #ui: UiServer | null = null;

  constructor(options: { appName?: string; clock?: Clock; remote?: ConnectionString } = {}) {
    this.appName = options.appName ?? "rivulet";
    this.clock = options.clock ?? new SystemClock();
    this.backend = options.remote === undefined ? new LocalSessionBackend(this.#untyped) : remoteBackend(this.#untyped, options.remote);
    this.conf = this.backend.createConf();
    // Spark's SparkConf entries, which `spark.conf.get` shows beside the SQL settings.
    this.conf.setSessionValue(APP_NAME_KEY, this.appName);
    if (!this.backend.isRemote) this.conf.setSessionValue("spark.master", "local[*]");
  }

  /** Spark's `spark.version`: the Spark release whose semantics the engine follows (see spark-version.ts). */
  get version(): string {
    return SPARK_VERSION;
  }

  /** Tables and views (Spark's `spark.catalog`); on a remote session the server's, asked with Catalog relations. */
  get catalog(): M extends "remote" ? RemoteCatalog : Catalog {
    return this.backend.catalog as any;
  }

  /** Registers JavaScript functions that SQL calls by name (Spark's `spark.udf`); local sessions only. */
  get udf(): UDFRegistration {
    return new UDFRegistration(() => this.backend.requireLocal("JavaScript user-defined functions (spark.udf, udf())"));
  }

  /** The running queries of this session (on a remote session: the cluster's, asked over Spark Connect). */
  get streams(): M extends "remote" ? RemoteStreamingQueryManager : StreamingQueryManager {
    return this.backend.streams as any;
  }

  /** The Spark Connect URL of a remote session, token hidden (`token=***`); null for a local session. */
  get remoteUrl(): string | null {
    return this.backend.isRemote ? (this.backend as RemoteSessionBackend).connection.redacted : null;
  }

  /**
   * Spark's `newSession()`: a session with its own configuration, temp views and streams
   * (Spark shares the SparkContext; rivulet has none to share), on the same clock. A
   * remote session's is a new session on the same Spark Connect server (a new session id).
   */
  newSession(): Session<M> {
    const remote = this.backend.newSessionConnection();
    return new Session({ appName: this.appName, clock: this.clock, ...(remote === undefined ? {} : { remote }) });
  }

  /** This session as the backends and the engine see it: they serve both modes alike. */
  get #untyped(): Session {
    return this as Session<any>;
  }

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  static getActiveSession(): Session | null {
    return activeSession;
  }

  /** Forgets the active session (it keeps running): the next `getOrCreate()` makes a new one, as Spark's. */
  static clearActiveSession(): void {
    activeSession = null;
  }

  /** The web UI, when `rivulet.ui.port` was set on the builder; `await spark.ui.ready` gives its URL. */
  get ui(): UiServer | null {
    return this.#ui;
  }

  /** Starts the web UI if the configuration asks for one (`rivulet.ui.port`) and it is not running yet. */
  startUi(): UiServer | null {
    if (this.#ui === null && !this.#stopped && !this.backend.isRemote) this.#ui = uiFromConf(this.#untyped);
    return this.#ui;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Bounded reads: `spark.read.json(dir)`. */
  get read(): DataFrameReader<M> {
    return new DataFrameReader(this);
  }

  /** Unbounded reads: `spark.readStream.json(dir)`. */
  get readStream(): DataStreamReader<M> {
    return new DataStreamReader(this);
  }

  /**
   * Runs SQL (Spark's `spark.sql`): a query gives its DataFrame (a streaming one when it
   * reads a stream); DDL, SET, SHOW TABLES, DESCRIBE and EXPLAIN give small result
   * DataFrames; `INSERT INTO sink SELECT … FROM STREAM(t)` starts a streaming query (see
   * `spark.streams.active`). Several statements separated by `;` run in order and the
   * last one's DataFrame is returned.
   *
   * On a remote session it returns a `Promise<DataFrame>`: the text goes to Spark as a
   * SqlCommand, which Spark parses (and, for DDL, runs). Awaiting the result works on
   * both.
   *
   * `args` binds parameter markers, as Spark 3.4+'s `spark.sql(sqlText, args)`: an object or
   * Map for `:name` markers, an array for `?` markers in the order written; values are JS
   * values (literals) or Columns (`array(lit(1), lit(2))`). A marker stands for a value only.
   */
  sql(sqlText: string, args?: SqlArgs): Answer<M, DataFrame<M>> {
    setActiveConf(this.conf);
    return this.backend.sql(sqlText, args) as Answer<M, DataFrame<M>>;
  }

  /**
   * Runs a SQL script: every statement in order, awaiting batch `INSERT INTO` writes.
   * Returns each statement's DataFrame and the streaming queries its INSERTs started.
   */
  sqlScript(sqlText: string): Promise<SqlScriptResult> {
    // The statements are split and planned by rivulet's parser: a Spark cluster would not see them.
    this.backend.requireLocal("sqlScript (rivulet's statement-by-statement runner; on Spark, `await spark.sql(statement)` each one)");
    setActiveConf(this.conf);
    return runSqlScript(this.#untyped, sqlText);
  }

  /** A temp view or memory-sink table by name. */
  table(name: string): DataFrame<M> {
    return this.backend.readTable(name, {}, null);
  }

  /**
   * A DataFrame over rows given as plain objects or arrays; a typed Dataset when `schema` is
   * a TypedStruct (`types.struct`). Without a schema, or with column names only
   * (`createDataFrame([[1, "a"]], ["id", "name"])`), the types are inferred from the values
   * as PySpark does (infer-rows-schema.ts).
   */
  createDataFrame<T>(rows: readonly NoInfer<T>[], schema: TypedStruct<T>): Dataset<T, M>;
  createDataFrame(rows: readonly unknown[], schema?: UntypedSchema | string | readonly string[]): DataFrame<M>;
  createDataFrame(rows: readonly unknown[], schema?: StructType | string | readonly string[]): Dataset<any, M> {
    if (schema === undefined || Array.isArray(schema)) {
      const inferred = inferRowsSchema(rows, schema as readonly string[] | undefined);
      return this.backend.createDataFrame(inferred.rows, inferred.schema);
    }
    return this.backend.createDataFrame(rows, schema as StructType | string);
  }

  /**
   * A DataFrame of one BIGINT column `id`: `range(end)` is 0 … end − 1; `range(start, end,
   * step)` as Spark's. `numPartitions` is accepted for Spark's signature and has no effect.
   */
  range(startOrEnd: number, end?: number, step = 1, numPartitions?: number): DataFrame<M> {
    return end === undefined ? this.backend.range(0, startOrEnd, 1) : this.backend.range(startOrEnd, end, step, numPartitions);
  }

  /** @internal */
  createDataFrameFromBatches(schema: StructType, batches: readonly ColumnBatch[]): DataFrame {
    return new LocalDataset(this.#untyped, localRelation("LocalRelation", schema, () => batches));
  }

  /** @internal The optimized form of a plan, as queries and actions run it. */
  optimizePlan(plan: LogicalPlan): LogicalPlan {
    return optimize(plan, rulesFor(this.conf)).plan;
  }

  /** Stops every running query of this session; a remote session is released on the server (ReleaseSession). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    await this.backend.stop();
    this.#stopped = true;
    await this.#ui?.close();
    this.#ui = null;
    if (activeSession === this) activeSession = null;
  }

  close(): Promise<void> {
    return this.stop();
  }
}

/** What `Session.builder().remote(url).getOrCreate()` returns: a session whose DataFrames run on Spark (Spark Connect). */
export type RemoteSession = Session<"remote">;
