import { ConfKeys, RuntimeConfig, setActiveConf } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { rowsToBatch } from "../columnar/values.ts";
import { optimize, rulesFor } from "../optimizer/optimizer.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { range, localRelation } from "../plan/plan-builder.ts";
import { parseSchema } from "../types/ddl.ts";
import type { StructType } from "../types/data-types.ts";
import type { TypedStruct, UntypedSchema } from "../types/schema-builder.ts";
import { DataFrameReader, DataStreamReader } from "../api/data-stream-reader.ts";
import { Dataset, type DataFrame } from "../api/dataset.ts";
import { runSql, runSqlScript, type SqlScriptResult } from "../sql/sql-script.ts";
import { didYouMean } from "../common/suggest.ts";
import { Catalog } from "./catalog.ts";
import { SystemClock, type Clock } from "../execution/clock.ts";
import { StreamingQueryManager } from "./streaming-query-manager.ts";
import { uiFromConf } from "../ui/session-ui.ts";
import type { UiServer } from "../ui/ui-server.ts";

let activeSession: Session | null = null;

/** Spark's SparkSession.Builder. */
export class SessionBuilder {
  readonly #conf: [string, string][] = [];
  #appName = "rivulet";
  #clock: Clock | null = null;

  appName(name: string): this { this.#appName = name; return this; }
  /** Accepted for Spark compatibility; rivulet always runs in this process ("local[*]"). */
  master(_master: string): this { return this; }
  config(key: string, value: string | number | boolean): this { this.#conf.push([key, String(value)]); return this; }
  /** The clock every trigger of the session runs on (a ManualClock in tests). */
  withClock(clock: Clock): this { this.#clock = clock; return this; }

  /** The active session (with this builder's settings applied), or a new one. */
  getOrCreate(): Session {
    // A session with its own clock is never shared: its time belongs to the test that made it.
    if (this.#clock !== null) {
      const session = new Session({ appName: this.#appName, clock: this.#clock });
      for (const [k, v] of this.#conf) session.conf.set(k, v);
      session.startUi();
      return session;
    }
    if (activeSession === null || activeSession.stopped) activeSession = new Session({ appName: this.#appName });
    for (const [k, v] of this.#conf) activeSession.conf.set(k, v);
    activeSession.startUi();
    return activeSession;
  }
}

/** The entry point (Spark's SparkSession): readers, SQL, the catalog and running queries. */
export class Session {
  readonly conf = new RuntimeConfig();
  readonly catalog = new Catalog(() => this.conf.get(ConfKeys.sessionTimeZone) ?? "UTC");
  readonly streams = new StreamingQueryManager();
  readonly appName: string;
  /** Time for triggers and watermark idleness; wall-clock time unless the builder was given a clock. */
  readonly clock: Clock;
  #stopped = false;
  #ui: UiServer | null = null;

  constructor(options: { appName?: string; clock?: Clock } = {}) {
    this.appName = options.appName ?? "rivulet";
    this.clock = options.clock ?? new SystemClock();
  }

  /**
   * Spark's `newSession()`: a session with its own configuration, temp views and streams
   * (Spark shares the SparkContext; rivulet has none to share), on the same clock.
   */
  newSession(): Session {
    return new Session({ appName: this.appName, clock: this.clock });
  }

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  static getActiveSession(): Session | null {
    return activeSession;
  }

  /** The web UI, when `rivulet.ui.port` was set on the builder; `await spark.ui.ready` gives its URL. */
  get ui(): UiServer | null {
    return this.#ui;
  }

  /** Starts the web UI if the configuration asks for one (`rivulet.ui.port`) and it is not running yet. */
  startUi(): UiServer | null {
    if (this.#ui === null && !this.#stopped) this.#ui = uiFromConf(this);
    return this.#ui;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Bounded reads: `spark.read.json(dir)`. */
  get read(): DataFrameReader {
    return new DataFrameReader(this);
  }

  /** Unbounded reads: `spark.readStream.json(dir)`. */
  get readStream(): DataStreamReader {
    return new DataStreamReader(this);
  }

  /**
   * Runs SQL (Spark's `spark.sql`): a query gives its DataFrame (a streaming one when it
   * reads a stream); DDL, SET, SHOW TABLES, DESCRIBE and EXPLAIN give small result
   * DataFrames; `INSERT INTO sink SELECT … FROM STREAM(t)` starts a streaming query (see
   * `spark.streams.active`). Several statements separated by `;` run in order and the
   * last one's DataFrame is returned.
   */
  sql(sqlText: string): DataFrame {
    setActiveConf(this.conf);
    return runSql(this, sqlText);
  }

  /**
   * Runs a SQL script: every statement in order, awaiting batch `INSERT INTO` writes.
   * Returns each statement's DataFrame and the streaming queries its INSERTs started.
   */
  sqlScript(sqlText: string): Promise<SqlScriptResult> {
    setActiveConf(this.conf);
    return runSqlScript(this, sqlText);
  }

  /** A temp view or memory-sink table by name. */
  table(name: string): DataFrame {
    const plan = this.catalog.lookup(name);
    if (plan === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found. Known tables: ${this.catalog.listTables().join(", ") || "(none)"}.${didYouMean(name, this.catalog.listTables())}`);
    return new Dataset(this, plan);
  }

  /** A DataFrame over rows given as plain objects; a typed Dataset when `schema` is a TypedStruct (`types.struct`). */
  createDataFrame<T>(rows: readonly NoInfer<T>[], schema: TypedStruct<T>): Dataset<T>;
  createDataFrame(rows: readonly unknown[], schema: UntypedSchema | string): DataFrame;
  createDataFrame(rows: readonly unknown[], schema: StructType | string): Dataset<any> {
    const s = typeof schema === "string" ? parseSchema(schema) : schema;
    const batch = rowsToBatch(s, rows, "createDataFrame");
    return new Dataset(this, localRelation("LocalRelation", s, () => [batch]));
  }

  /**
   * A DataFrame of one BIGINT column `id`: `range(end)` is 0 … end − 1; `range(start, end,
   * step)` as Spark's. `numPartitions` is accepted for Spark's signature and has no effect.
   */
  range(startOrEnd: number, end?: number, step = 1, numPartitions?: number): DataFrame {
    return new Dataset(this, end === undefined ? range(0, startOrEnd) : range(startOrEnd, end, step, numPartitions));
  }

  /** @internal */
  createDataFrameFromBatches(schema: StructType, batches: readonly ColumnBatch[]): DataFrame {
    return new Dataset(this, localRelation("LocalRelation", schema, () => batches));
  }

  /** @internal The optimized form of a plan, as queries and actions run it. */
  optimizePlan(plan: LogicalPlan): LogicalPlan {
    return optimize(plan, rulesFor(this.conf)).plan;
  }

  /** Stops every running query of this session. */
  async stop(): Promise<void> {
    await this.streams.stopAll();
    this.#stopped = true;
    await this.#ui?.close();
    this.#ui = null;
    if (activeSession === this) activeSession = null;
  }

  close(): Promise<void> {
    return this.stop();
  }
}
