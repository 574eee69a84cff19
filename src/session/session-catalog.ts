import { AnalysisError } from "../common/errors.ts";
import { MemorySink } from "../connectors/sinks/memory-sink.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { localRelation, scan } from "../plan/plan-builder.ts";
import { withTimeZone } from "../connectors/sources/source-options.ts";
import { resolveSourceProvider } from "../connectors/sources/index.ts";
import type { SourceConf } from "../connectors/sources/streaming-schema-inference.ts";
import { sameType, type StructType } from "../types/data-types.ts";
import { CacheManager } from "./cache-manager.ts";
import { createdTableName, isQualifiedName, tableKey } from "./table-name.ts";
import { loadTableMetadata, removeTableMetadata, saveTableMetadata } from "./table-metadata-store.ts";
import { ViewMetadataStore } from "./view-metadata.ts";
import { warehouseDir } from "../sql/table-location.ts";

/**
 * Spark's global temporary views: shared by every session of the process (an application,
 * in Spark), read as `global_temp.name`, dropped when the process ends.
 */
const globalViews = new Map<string, LogicalPlan>();
/** Spark's spark.sql.globalTempDatabase, a static setting: the schema that holds global temp views. */
export const GLOBAL_TEMP_DATABASE = "global_temp";

/** The view name inside `global_temp.name`, or null for any other name. */
function globalViewName(name: string): string | null {
  const dot = name.indexOf(".");
  if (dot <= 0 || name.slice(0, dot).toLowerCase() !== GLOBAL_TEMP_DATABASE) return null;
  return name.slice(dot + 1).toLowerCase();
}

/**
 * Temp views, memory-sink tables and CREATE TABLE tables of a session (Spark's
 * SessionCatalog, in memory): what SQL and the readers resolve names against. The public
 * `spark.catalog` (catalog.ts) adds Spark's Catalog API on top.
 */
export class SessionCatalog {
  /** The session time zone when a table is read: JSON and CSV read zone-less timestamps in it (their timeZone option's default). */
  readonly #sessionTimeZone: () => string;
  /** The session's settings when a table is read (spark.sql.streaming.schemaInference for STREAM(t)). */
  readonly #sourceConf: () => SourceConf | undefined;
  readonly #views = new Map<string, LogicalPlan>();
  /** Views made by CREATE VIEW (Spark's persistent views, in `default`), kept with the temporary ones: found as `default.v` too. */
  readonly #persistentViews = new Set<string>();

  constructor(sessionTimeZone: () => string = () => "UTC", sourceConf: () => { get(key: string): string | undefined } | undefined = () => undefined) {
    this.#sessionTimeZone = sessionTimeZone;
    this.#sourceConf = sourceConf;
  }

  /** @internal The session time zone now (SQL on files reads with it, as tables do). */
  get sessionTimeZone(): string {
    return this.#sessionTimeZone();
  }

  /** @internal The session's settings now (SQL on files reads with them, as tables do). */
  get sourceConf(): SourceConf | undefined {
    return this.#sourceConf();
  }
  readonly #memoryTables = new Map<string, MemorySink>();
  readonly #tables = new Map<string, TableDefinition>();
  /** @internal CREATE VIEW views' text, columns and properties (SHOW CREATE TABLE, ALTER VIEW … SET TBLPROPERTIES). */
  readonly viewMetadata = new ViewMetadataStore();
  /** @internal Cached query results (df.cache(), CACHE TABLE). */
  readonly cacheManager = new CacheManager();
  /** Cached tables' plans: one plan per name while cached, so every query that reads the table finds its cache. */
  readonly #cachedTablePlans = new Map<string, LogicalPlan>();

  // ---- Caching (Spark's Catalog.cacheTable, uncacheTable, isCached, clearCache) ----

  /** Caches table or view `name`: its rows are computed at the first query that reads it, then reused. */
  cacheTable(name: string): void {
    const key = tableKey(name);
    const plan = this.#cachedTablePlans.get(key) ?? this.lookup(name);
    if (plan === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`);
    this.cacheManager.cache(plan, name);
    this.#cachedTablePlans.set(key, plan);
  }

  /** Removes table `name` from the cache; false when it was not cached. */
  uncacheTable(name: string): boolean {
    const key = tableKey(name);
    const plan = this.#cachedTablePlans.get(key);
    if (plan === undefined) {
      if (this.lookup(name) === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`);
      return false;
    }
    this.#cachedTablePlans.delete(key);
    return this.cacheManager.uncache(plan);
  }

  isCached(name: string): boolean {
    const plan = this.#cachedTablePlans.get(tableKey(name)) ?? this.lookup(name);
    if (plan === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.`);
    return this.cacheManager.isCached(plan);
  }

  /** Removes every cached table and Dataset (SQL's CLEAR CACHE). */
  clearCache(): void {
    this.cacheManager.clear();
    this.#cachedTablePlans.clear();
  }

  /** @internal `persistent`: a CREATE VIEW view, in the current database; otherwise a temporary view, in none. */
  registerView(name: string, plan: LogicalPlan, replace: boolean, persistent = false): void {
    const key = tableKey(name);
    if (!replace && this.#views.has(key)) {
      throw new AnalysisError(`[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view \`${name}\` because it already exists.\nChoose a different name, drop or replace the existing view, or add the IF NOT EXISTS clause to tolerate pre-existing views.`);
    }
    this.#forgetCached(name);
    this.viewMetadata.delete(name);
    this.#views.set(key, plan);
    if (persistent) this.#persistentViews.add(key);
    else this.#persistentViews.delete(key);
  }

  /** @internal createGlobalTempView: `name` is the view's own name (it is read as global_temp.name). */
  registerGlobalView(name: string, plan: LogicalPlan, replace: boolean): void {
    const key = tableKey(name);
    if (!replace && globalViews.has(key)) {
      throw new AnalysisError(`[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view \`${GLOBAL_TEMP_DATABASE}\`.\`${name}\` because it already exists.\nChoose a different name, drop or replace the existing view, or add the IF NOT EXISTS clause to tolerate pre-existing views.`);
    }
    this.#forgetCached(`${GLOBAL_TEMP_DATABASE}.${name}`);
    globalViews.set(key, plan);
  }

  /** Spark's dropGlobalTempView: `name` with or without its global_temp qualifier; false when there was none. */
  dropGlobalView(name: string): boolean {
    const key = globalViewName(name) ?? tableKey(name);
    this.#forgetCached(`${GLOBAL_TEMP_DATABASE}.${key}`);
    return globalViews.delete(key);
  }

  dropTempView(name: string): boolean {
    const key = tableKey(name);
    if (isQualifiedName(name) && !this.#persistentViews.has(key)) return false;
    this.#forgetCached(name);
    this.#persistentViews.delete(key);
    this.viewMetadata.delete(name);
    return this.#views.delete(key);
  }

  /**
   * @internal
   * The memory sink behind table `name`. A query restarted from its checkpoint keeps
   * writing into the same sink, whose batch ids make replays no-ops.
   */
  memorySinkFor(name: string, schema: StructType, fromCheckpoint: boolean): MemorySink {
    const key = tableKey(name);
    const existing = this.#memoryTables.get(key);
    if (existing && fromCheckpoint && existing.schema.fields.length === schema.fields.length
      && existing.schema.fields.every((f, i) => sameType(f.dataType, schema.fields[i]!.dataType))) {
      return existing;
    }
    const sink = new MemorySink(schema);
    this.#memoryTables.set(key, sink);
    this.#views.delete(key);
    this.#persistentViews.delete(key);
    return sink;
  }

  /** @internal The memory sink behind a memory table, if there is one. */
  memorySink(name: string): MemorySink | null {
    return this.#memoryTables.get(tableKey(name)) ?? null;
  }

  /**
   * @internal The plan of a view or memory table; null when unknown. Temporary views and
   * memory-sink tables (Spark's temp views) belong to no database: `default.v` never finds them.
   */
  lookup(name: string): LogicalPlan | null {
    const key = tableKey(name);
    const global = globalViewName(name);
    if (global === null && isQualifiedName(name)) return this.#lookupTable(key);
    const cached = this.#cachedTablePlans.get(key);
    if (cached !== undefined) return cached;
    const view = this.#views.get(key);
    if (view) return view;
    if (global !== null) return globalViews.get(global) ?? null;
    const sink = this.#memoryTables.get(key);
    if (sink) return localRelation(name, sink.schema, () => sink.batches());
    const table = this.#tables.get(key);
    if (table) return readTable(table, false, this.#sessionTimeZone(), this.#sourceConf());
    return null;
  }

  /** A table of the current database by its key: a temporary view of that name does not hide it. */
  #lookupTable(key: string): LogicalPlan | null {
    const view = this.#persistentViews.has(key) ? this.#views.get(key) : undefined;
    const table = this.#tables.get(key);
    if (view === undefined && table === undefined) return null;
    // The cached plan under this key is this relation's unless a temporary view (or sink) shadows it.
    const cached = this.#isTemporaryKey(key) ? undefined : this.#cachedTablePlans.get(key);
    if (cached !== undefined) return cached;
    if (view !== undefined) return view;
    if (table === undefined) return null;
    const sink = this.#memoryTables.get(key);
    if (sink) return localRelation(table.name, sink.schema, () => sink.batches());
    return readTable(table, false, this.#sessionTimeZone(), this.#sourceConf());
  }

  /** A temporary view or a memory-sink table that no CREATE TABLE defined. */
  #isTemporaryKey(key: string): boolean {
    return (this.#views.has(key) && !this.#persistentViews.has(key)) || (this.#memoryTables.has(key) && !this.#tables.has(key));
  }

  tableExists(name: string): boolean {
    return this.lookup(name) !== null;
  }

  /** @internal Every name a query can read, lower-cased and sorted. */
  tableNames(): string[] {
    return [...new Set([...this.#views.keys(), ...this.#memoryTables.keys(), ...this.#tables.keys()])].sort();
  }

  // ---- Tables defined with CREATE TABLE … USING (sources and sinks) ----

  /** A table created as `default.t` (or `spark_catalog.default.t`) is table `t`, found by any of those names. */
  registerTable(table: TableDefinition, replace: boolean): void {
    const name = createdTableName(table.name);
    const key = tableKey(name);
    if (!replace && this.#tables.has(key)) throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table \`${name}\` because it already exists`);
    this.#forgetCached(name);
    const defined = name === table.name ? table : { ...table, name };
    // A table new to this session takes back what an earlier session kept for its location (properties, statistics);
    // a replaced one starts afresh, as Spark's CREATE OR REPLACE.
    const kept = replace ? null : loadTableMetadata(this.warehouseDir, defined);
    const merged = kept === null ? defined : {
      ...defined,
      ...(kept.properties === undefined || defined.properties !== undefined ? {} : { properties: kept.properties }),
      ...(kept.statistics === undefined ? {} : { statistics: kept.statistics }),
      ...(kept.columnComments === undefined || defined.columnComments !== undefined ? {} : { columnComments: kept.columnComments }),
      ...(kept.description === undefined || defined.description !== undefined ? {} : { description: kept.description }),
    };
    this.#tables.set(key, merged);
    // Saved whether or not something was kept: this definition's own properties and comments override the kept ones.
    saveTableMetadata(this.warehouseDir, merged);
  }

  /** @internal ALTER TABLE's change of a defined table (same name): kept in the warehouse; cached results stay (Spark refreshes them where it must). */
  alterTable(table: TableDefinition): void {
    const key = tableKey(table.name);
    if (!this.#tables.has(key)) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${table.name}\` cannot be found.`);
    this.#tables.set(key, table);
    saveTableMetadata(this.warehouseDir, table);
  }

  /** @internal ALTER TABLE … RENAME TO: the table under its new name (its definition, location included, already moved by the caller). */
  renameTable(oldName: string, table: TableDefinition): void {
    this.#forgetCached(oldName);
    this.#tables.delete(tableKey(oldName));
    removeTableMetadata(this.warehouseDir, oldName);
    this.#tables.set(tableKey(table.name), table);
    saveTableMetadata(this.warehouseDir, table);
  }

  /** @internal ALTER VIEW … RENAME TO: a temporary or CREATE VIEW view under its new name, of the same kind. */
  renameView(oldName: string, newName: string): void {
    const oldKey = tableKey(oldName);
    const plan = this.#views.get(oldKey);
    if (plan === undefined) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${oldName}\` cannot be found.`);
    const persistent = this.#persistentViews.has(oldKey);
    this.#forgetCached(oldName);
    this.#views.delete(oldKey);
    this.#persistentViews.delete(oldKey);
    const metadata = this.viewMetadata.get(oldName);
    this.registerView(newName, plan, false, persistent);
    this.viewMetadata.set(newName, metadata);
  }

  /** @internal Where managed tables and the tables' kept metadata live (spark.sql.warehouse.dir). */
  get warehouseDir(): string {
    return warehouseDir(this.#sourceConf());
  }

  tableDefinition(name: string): TableDefinition | null {
    return this.#tables.get(tableKey(name)) ?? null;
  }

  dropTable(name: string): boolean {
    const key = tableKey(name);
    this.#forgetCached(name);
    const memory = this.#memoryTables.delete(key);
    const table = this.#tables.delete(key);
    if (table) removeTableMetadata(this.warehouseDir, key);
    return table || memory;
  }

  /**
   * @internal
   * Table `name` read as a stream (SQL's `STREAM(name)`, `spark.readStream.table`): a
   * defined table's source read unbounded, or a view over a stream.
   */
  lookupStream(name: string): LogicalPlan | null {
    const key = tableKey(name);
    const temporary = isQualifiedName(name) ? this.#persistentViews.has(key) : this.#views.has(key) || this.#memoryTables.has(key);
    const table = temporary ? undefined : this.#tables.get(key);
    if (table) return readTable(table, true, this.#sessionTimeZone(), this.#sourceConf());
    const plan = this.lookup(name);
    if (plan !== null && !plan.isStreaming) {
      throw new AnalysisError(`STREAM(${name}): ${name} is a batch table or view and cannot be read as a stream; define it with CREATE TABLE … USING <format> or over a streaming DataFrame`);
    }
    return plan;
  }

  /** A name defined again or dropped is no longer cached (Spark uncaches a dropped or replaced table). */
  #forgetCached(name: string): void {
    const key = tableKey(name);
    const plan = this.#cachedTablePlans.get(key);
    if (plan === undefined) return;
    this.#cachedTablePlans.delete(key);
    this.cacheManager.uncache(plan);
  }

  /** Whether `name` is a view (rather than a table): a temporary one only by its one-part name. */
  isTemporaryView(name: string): boolean {
    const key = tableKey(name);
    return isQualifiedName(name) ? this.#persistentViews.has(key) : this.#views.has(key);
  }

  /** @internal Whether `name` (qualified or not) is a CREATE VIEW view rather than a temporary one or a table. */
  isPersistentView(name: string): boolean {
    return globalViewName(name) === null && this.#persistentViews.has(tableKey(name));
  }

  /** @internal What an unqualified name is: a temporary view, a defined table, or a memory-sink table (Spark's memory sink makes a temporary view). */
  relationKind(name: string): "view" | "memory" | "table" | null {
    const key = tableKey(name);
    if (isQualifiedName(name)) return globalViewName(name) !== null ? null : this.#persistentViews.has(key) ? "view" : this.#tables.has(key) ? "table" : null;
    // A table defined with CREATE TABLE … USING memory keeps its sink's rows, and stays a table.
    return this.#views.has(key) ? "view" : this.#tables.has(key) ? "table" : this.#memoryTables.has(key) ? "memory" : null;
  }

  /** @internal Names of the temporary views and memory-sink tables, and of the defined tables, lower-cased and sorted. */
  relationNames(): { temporary: string[]; tables: string[] } {
    const memory = [...this.#memoryTables.keys()].filter((k) => !this.#tables.has(k));
    return { temporary: [...new Set([...this.#views.keys(), ...memory])].sort(), tables: [...this.#tables.keys()].sort() };
  }

  /** @internal Invalidates a cached table's rows: the next query that reads it computes them again. */
  protected refreshCached(name: string): void {
    const plan = this.#cachedTablePlans.get(tableKey(name));
    if (plan !== undefined) this.cacheManager.refresh(plan);
  }
}

/** A table defined by `CREATE TABLE name [(columns)] USING format OPTIONS (…)`. */
export interface TableDefinition {
  readonly name: string;
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  /** The declared columns; null to infer them from the data (file sources). */
  readonly schema: StructType | null;
  /** `spark.catalog.createTable(…, description, …)`: the table's comment. */
  readonly description?: string;
  /** PARTITIONED BY (or partitionBy): its rows are in `col=value/` directories, these columns last in `schema`. */
  readonly partitionColumns?: readonly string[];
  /** TBLPROPERTIES (CREATE TABLE's, ALTER TABLE … SET TBLPROPERTIES). */
  readonly properties?: Readonly<Record<string, string>>;
  /** What ANALYZE TABLE recorded (Spark's CatalogStatistics); an INSERT drops it, as Spark without statistics auto-update. */
  readonly statistics?: TableStatistics;
  /** Column comments (`c INT COMMENT '…'`), by the column's lower-case name. */
  readonly columnComments?: Readonly<Record<string, string>>;
}

/** Spark's CatalogStatistics: the files' bytes, and the rows when they were counted (not with NOSCAN). */
export interface TableStatistics {
  readonly sizeInBytes: number;
  readonly rowCount?: number;
}

/** Formats that can only be read as streams: a plain reference to such a table streams too. */
const STREAM_ONLY_FORMATS = new Set(["socket", "rate"]);

/**
 * Reads a defined table. Rule (rivulet's, after Databricks'): a table reads as a batch
 * table unless it is referenced as `STREAM(t)` or its format can only stream (socket,
 * rate). A sink-only table (console, memory) with no rows yet reads as empty.
 */
export function readTable(table: TableDefinition, asStream: boolean, timeZone: string, conf?: SourceConf): LogicalPlan {
  const format = table.format.toLowerCase();
  const streaming = asStream || STREAM_ONLY_FORMATS.has(format);
  if ((format === "memory" || format === "console") && table.schema !== null) {
    if (asStream) throw new AnalysisError(`STREAM(${table.name}): a ${format} table is a sink and cannot be read as a stream`);
    return localRelation(table.name, table.schema, () => []);
  }
  const provider = resolveSourceProvider(format, withTimeZone(format, table.options, timeZone), [], table.schema, !streaming, conf);
  return scan(provider, streaming);
}
