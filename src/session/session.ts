import { RuntimeConfig } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { rowsToBatch } from "../columnar/values.ts";
import { optimize } from "../optimizer/optimizer.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { localRelation } from "../plan/plan-builder.ts";
import { parseSchema } from "../types/ddl.ts";
import type { StructType } from "../types/data-types.ts";
import { DataFrameReader, DataStreamReader } from "../api/data-stream-reader.ts";
import { Dataset, type DataFrame } from "../api/dataset.ts";
import { Catalog } from "./catalog.ts";
import { StreamingQueryManager } from "./streaming-query-manager.ts";

let activeSession: Session | null = null;

/** Spark's SparkSession.Builder. */
export class SessionBuilder {
  readonly #conf: [string, string][] = [];
  #appName = "rivulet";

  appName(name: string): this { this.#appName = name; return this; }
  /** Accepted for Spark compatibility; rivulet always runs in this process ("local[*]"). */
  master(_master: string): this { return this; }
  config(key: string, value: string | number | boolean): this { this.#conf.push([key, String(value)]); return this; }

  /** The active session (with this builder's settings applied), or a new one. */
  getOrCreate(): Session {
    if (activeSession === null || activeSession.stopped) activeSession = new Session({ appName: this.#appName });
    for (const [k, v] of this.#conf) activeSession.conf.set(k, v);
    return activeSession;
  }
}

/** The entry point (Spark's SparkSession): readers, SQL, the catalog and running queries. */
export class Session {
  readonly conf = new RuntimeConfig();
  readonly catalog = new Catalog();
  readonly streams = new StreamingQueryManager();
  readonly appName: string;
  #stopped = false;

  constructor(options: { appName?: string } = {}) {
    this.appName = options.appName ?? "rivulet";
  }

  static builder(): SessionBuilder {
    return new SessionBuilder();
  }

  static getActiveSession(): Session | null {
    return activeSession;
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

  /** A temp view or memory-sink table by name. */
  table(name: string): DataFrame {
    const plan = this.catalog.lookup(name);
    if (plan === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found. Known tables: ${this.catalog.listTables().join(", ") || "(none)"}`);
    return new Dataset(this, plan);
  }

  /** A DataFrame over rows given as plain objects. */
  createDataFrame(rows: readonly unknown[], schema: StructType | string): DataFrame {
    const s = typeof schema === "string" ? parseSchema(schema) : schema;
    const batch = rowsToBatch(s, rows, "createDataFrame");
    return new Dataset(this, localRelation("LocalRelation", s, () => [batch]));
  }

  createDataFrameFromBatches(schema: StructType, batches: readonly ColumnBatch[]): DataFrame {
    return new Dataset(this, localRelation("LocalRelation", schema, () => batches));
  }

  /** The optimized form of a plan, as queries and actions run it. */
  optimizePlan(plan: LogicalPlan): LogicalPlan {
    return optimize(plan).plan;
  }

  /** Stops every running query of this session. */
  async stop(): Promise<void> {
    await this.streams.stopAll();
    this.#stopped = true;
    if (activeSession === this) activeSession = null;
  }

  close(): Promise<void> {
    return this.stop();
  }
}
