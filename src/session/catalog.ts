import type { DataFrame } from "../api/dataset.ts";
import type { RuntimeConfig } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import { schemaOf } from "../expr/scope.ts";
import { isTemporaryFunction, temporaryFunctionNames } from "../expr/functions/registry.ts";
import { allFunctionNames, describeFunction } from "../sql/function-statements.ts";
import { isManagedTable, warehouseDir, withTableLocation } from "../sql/table-location.ts";
import { SOURCES_DEFAULT_KEY } from "../sql/create-table-as.ts";
import { StructType, typeName } from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import {
  DEFAULT_DATABASE, SESSION_CATALOG, table as tableRecord,
  type CatalogFunction, type CatalogMetadata, type Column, type Database, type Table,
} from "./catalog-objects.ts";
import { namePattern } from "./name-pattern.ts";
import { SessionCatalog } from "./session-catalog.ts";
import { createTableArguments, type CreateTableArgs } from "./create-table-arguments.ts";
import { splitTableName as splitQualifiedName } from "./table-name.ts";

export type { TableDefinition, TableStatistics } from "./session-catalog.ts";
export type { CatalogFunction, CatalogMetadata, Column, Database, Table } from "./catalog-objects.ts";

/** What the catalog asks of its session. */
export interface CatalogContext {
  /** The session time zone when a table is read (JSON and CSV read zone-less timestamps in it). */
  readonly timeZone: () => string;
  readonly conf: () => RuntimeConfig;
  /** `spark.table(name)`: what createTable returns. */
  readonly table: (name: string) => DataFrame;
}

/**
 * `spark.catalog`: Spark's Catalog API over the session's catalog. A local session has one
 * catalog (`spark_catalog`) with one database (`default`) holding the CREATE TABLE tables;
 * temporary views and memory-sink tables belong to no database, as Spark's temp views.
 * Names may be qualified (`default.t`, `spark_catalog.default.t`).
 */
export class Catalog extends SessionCatalog {
  readonly #context: CatalogContext;

  constructor(context: CatalogContext) {
    super(context.timeZone, context.conf);
    this.#context = context;
  }

  // ---- Catalogs and databases ----

  currentCatalog(): string {
    return SESSION_CATALOG;
  }

  setCurrentCatalog(catalogName: string): void {
    requireCatalog(catalogName);
  }

  listCatalogs(pattern?: string): CatalogMetadata[] {
    return namePattern(pattern)(SESSION_CATALOG) ? [Object.freeze({ name: SESSION_CATALOG, description: null })] : [];
  }

  currentDatabase(): string {
    return DEFAULT_DATABASE;
  }

  setCurrentDatabase(dbName: string): void {
    requireDatabase(dbName);
  }

  listDatabases(pattern?: string): Database[] {
    return namePattern(pattern)(DEFAULT_DATABASE) ? [this.getDatabase(DEFAULT_DATABASE)] : [];
  }

  getDatabase(dbName: string): Database {
    requireDatabase(dbName);
    return Object.freeze({ name: DEFAULT_DATABASE, catalog: SESSION_CATALOG, description: "default database", locationUri: `file:${this.#warehouse()}` });
  }

  databaseExists(dbName: string): boolean {
    return isDefaultDatabase(dbName);
  }

  // ---- Tables and views ----

  /** The tables of `dbName` (default: the current database) and the temporary views, as Table records. */
  listTables(dbName?: string, pattern?: string): Table[] {
    if (dbName !== undefined) requireDatabase(dbName);
    const matches = namePattern(pattern);
    const { temporary, tables } = this.relationNames();
    // CREATE VIEW views belong to the database, beside its tables (Spark's VIEW); temporary views to none.
    const views = temporary.filter((name) => this.isPersistentView(name));
    return [
      ...[...tables, ...views].sort().filter(matches).map((name) => (this.isPersistentView(name) ? persistentView(name) : this.#definedTable(name))),
      ...temporary.filter((name) => !this.isPersistentView(name) && matches(name)).map(temporaryTable),
    ];
  }

  /** Table `name` (`t`, `default.t`, `spark_catalog.default.t`), or `tableName` of database `dbName`. */
  getTable(name: string): Table;
  getTable(dbName: string, tableName: string): Table;
  getTable(first: string, second?: string): Table {
    const found = this.#find(second === undefined ? first : `${quote(first)}.${quote(second)}`);
    if (found === null) throw tableNotFound(second === undefined ? first : `${first}.${second}`);
    return found.table;
  }

  /** Whether table or view `tableName` exists (in database `dbName` when given); an unknown database is no error here, as in Spark. */
  override tableExists(tableName: string, dbName?: string): boolean {
    return this.#find(dbName === undefined ? tableName : `${quote(dbName)}.${quote(tableName)}`) !== null;
  }

  /** The columns of a table or view, as Column records (a table of files: its files' columns). */
  listColumns(tableName: string, dbName?: string): Column[] {
    const qualified = dbName === undefined ? tableName : `${quote(dbName)}.${quote(tableName)}`;
    const found = this.#find(qualified);
    if (found === null) throw tableNotFound(dbName === undefined ? tableName : `${dbName}.${tableName}`);
    const plan = this.lookup(found.table.name);
    if (plan === null) throw tableNotFound(qualified);
    const partitions = new Set((found.table.isTemporary ? [] : this.tableDefinition(found.table.name)?.partitionColumns ?? []).map((c) => c.toLowerCase()));
    return schemaOf(plan.output).fields.map((f) => Object.freeze({
      name: f.name, description: null, dataType: typeName(f.dataType), nullable: f.nullable, isPartition: partitions.has(f.name.toLowerCase()), isBucket: false,
    }));
  }

  /** Spark's cacheTable(name[, storageLevel]): the storage level is accepted and ignored (the rows are kept in memory). */
  override cacheTable(name: string, _storageLevel?: unknown): void {
    super.cacheTable(name);
  }

  /** Spark's dropGlobalTempView: drops global_temp.viewName (shared by the process's sessions); false when there is none. */
  dropGlobalTempView(viewName: string): boolean {
    return this.dropGlobalView(viewName);
  }

  /**
   * Spark's refreshTable: a cached table's rows are computed again at the next query. A table
   * of files needs nothing more: its files are listed, and its schema inferred, at each read.
   */
  refreshTable(tableName: string): void {
    const found = this.#find(tableName);
    if (found === null) throw tableNotFound(tableName);
    this.refreshCached(found.table.name);
  }

  /**
   * Spark's refreshByPath: the cached data of every Dataset reading under `path` is computed
   * again when next used. rivulet does not track which cached plans read which paths, so all
   * cached rows are recomputed (never stale, at worst more work).
   */
  refreshByPath(_path: string): void {
    this.cacheManager.invalidate();
  }

  /**
   * Spark's recoverPartitions: a table of files is read by listing its directory each time,
   * so its partitions (`key=value` directories) are always found and there is nothing to do;
   * a view or a table that is not of files is refused as Spark refuses it.
   */
  recoverPartitions(tableName: string): void {
    const found = this.#find(tableName);
    if (found === null) throw tableNotFound(tableName);
    if (found.table.isTemporary) {
      throw new AnalysisError(`[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'recoverPartitions()' expects a table. \`${found.table.name}\` is a temporary view.`);
    }
    const definition = this.tableDefinition(found.table.name)!;
    if (!Object.keys(definition.options).some((k) => k.toLowerCase() === "path")) {
      throw new AnalysisError(`Operation not allowed: ALTER TABLE RECOVER PARTITIONS only works on table with location provided: \`${SESSION_CATALOG}\`.\`${DEFAULT_DATABASE}\`.\`${definition.name}\``);
    }
  }

  /**
   * Spark's createTable (Scala's overloads, and PySpark's keywords as an object): a table of
   * `source` (default `spark.sql.sources.default`) over `path` (EXTERNAL), or without one
   * over `<spark.sql.warehouse.dir>/<name>` (MANAGED); returns `spark.table(name)`.
   */
  createTable(tableName: string, path: string): DataFrame;
  createTable(tableName: string, path: string, source: string): DataFrame;
  createTable(tableName: string, source: string, options: Readonly<Record<string, string>>): DataFrame;
  createTable(tableName: string, source: string, schema: StructType | string, options: Readonly<Record<string, string>>): DataFrame;
  createTable(tableName: string, source: string, schema: StructType | string, description: string, options: Readonly<Record<string, string>>): DataFrame;
  createTable(tableName: string, keywords: CreateTableArgs): DataFrame;
  createTable(tableName: string, ...rest: unknown[]): DataFrame {
    const args = createTableArguments(rest, "createTable");
    const { database, name } = splitTableName(tableName);
    if (database !== null) requireDatabase(database);
    const conf = this.#context.conf();
    const format = (args.source ?? conf.get(SOURCES_DEFAULT_KEY) ?? "parquet").toLowerCase();
    const options = withTableLocation(name, format, { ...args.options, ...(args.path === undefined ? {} : { path: args.path }) }, undefined, conf);
    const schema = args.schema === undefined ? null : typeof args.schema === "string" ? parseSchema(args.schema) : args.schema;
    if (schema !== null && schema.fields.length === 0) throw new AnalysisError(`createTable(${name}): the schema has no columns`);
    this.registerTable({ name, format, options, schema: schema, ...(args.description === undefined ? {} : { description: args.description }) }, false);
    try {
      return this.#context.table(name);
    } catch (error) {
      this.dropTable(name); // as Spark, a table whose data cannot be read is not created
      throw error;
    }
  }

  /** Spark's deprecated createExternalTable: createTable. */
  createExternalTable(tableName: string, path: string): DataFrame;
  createExternalTable(tableName: string, path: string, source: string): DataFrame;
  createExternalTable(tableName: string, source: string, options: Readonly<Record<string, string>>): DataFrame;
  createExternalTable(tableName: string, source: string, schema: StructType | string, options: Readonly<Record<string, string>>): DataFrame;
  createExternalTable(tableName: string, keywords: CreateTableArgs): DataFrame;
  createExternalTable(tableName: string, ...rest: unknown[]): DataFrame {
    return (this.createTable as (name: string, ...r: unknown[]) => DataFrame)(tableName, ...rest);
  }

  // ---- Functions ----

  /** The functions a query can call (built-in ones and those spark.udf.register named), as Function records. */
  listFunctions(dbName?: string, pattern?: string): CatalogFunction[] {
    if (dbName !== undefined) requireDatabase(dbName);
    return callableFunctionNames().filter(namePattern(pattern)).map(functionRecord);
  }

  /** Whether function `functionName` exists; in database `dbName` only persistent functions, which a local session has none of. */
  functionExists(functionName: string, dbName?: string): boolean {
    if (dbName !== undefined) return false;
    return callableFunctionNames().includes(functionName.toLowerCase());
  }

  getFunction(functionName: string): CatalogFunction;
  getFunction(dbName: string, functionName: string): CatalogFunction;
  getFunction(first: string, second?: string): CatalogFunction {
    if (second !== undefined) {
      requireDatabase(first);
      throw new AnalysisError(`[ROUTINE_NOT_FOUND] The function \`${DEFAULT_DATABASE}\`.\`${second}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`);
    }
    return functionRecord(first.toLowerCase());
  }

  #warehouse(): string {
    return warehouseDir(this.#context.conf());
  }

  #definedTable(name: string): Table {
    const definition = this.tableDefinition(name)!;
    const managed = isManagedTable(name, definition.options, this.#warehouse());
    return tableRecord({
      name: name.toLowerCase(), catalog: SESSION_CATALOG, namespace: [DEFAULT_DATABASE], description: definition.description ?? null,
      tableType: managed ? "MANAGED" : "EXTERNAL", isTemporary: false,
    });
  }

  /** A name (unqualified: a temporary view first; qualified: a table of the database) as a Table, null when none. */
  #find(name: string): { table: Table } | null {
    const { database, name: table } = splitTableName(name);
    if (database === null) {
      const kind = this.relationKind(table);
      if (kind === null) return null;
      if (kind === "view" && this.isPersistentView(table)) return { table: persistentView(table.toLowerCase()) };
      return { table: kind === "table" ? this.#definedTable(table) : temporaryTable(table.toLowerCase()) };
    }
    if (!isDefaultDatabase(database)) return null;
    if (this.isPersistentView(table)) return { table: persistentView(table.toLowerCase()) };
    return this.tableDefinition(table) === null ? null : { table: this.#definedTable(table) };
  }
}

function persistentView(name: string): Table {
  return tableRecord({ name, catalog: SESSION_CATALOG, namespace: [DEFAULT_DATABASE], description: null, tableType: "VIEW", isTemporary: false });
}

function temporaryTable(name: string): Table {
  return tableRecord({ name, catalog: null, namespace: [], description: null, tableType: "TEMPORARY", isTemporary: true });
}

/** `t`, `db.t`, `catalog.db.t`, with backquoted parts (`a.b` in backquotes is one part); a catalog must be spark_catalog. */
function splitTableName(text: string): { database: string | null; name: string } {
  const split = splitQualifiedName(text);
  if (split.catalog !== null) requireCatalog(split.catalog);
  return { database: split.database, name: split.name };
}

const quote = (part: string): string => `\`${part.replace(/`/g, "``")}\``;

function isDefaultDatabase(dbName: string): boolean {
  const parts = dbName.split(".");
  const db = parts.length === 2 && parts[0]!.toLowerCase() === SESSION_CATALOG ? parts[1]! : dbName;
  return db.replace(/^`|`$/g, "").toLowerCase() === DEFAULT_DATABASE;
}

function requireDatabase(dbName: string): void {
  if (!isDefaultDatabase(dbName)) {
    throw new AnalysisError(`[SCHEMA_NOT_FOUND] The schema \`${dbName}\` cannot be found. Verify the spelling and correctness of the schema and catalog. A local rivulet session has one schema, \`${DEFAULT_DATABASE}\`.`);
  }
}

function requireCatalog(catalogName: string): void {
  if (catalogName.toLowerCase() !== SESSION_CATALOG) {
    throw new AnalysisError(`[CATALOG_NOT_FOUND] The catalog \`${catalogName}\` not found. A local rivulet session has one catalog, \`${SESSION_CATALOG}\`.`);
  }
}

function tableNotFound(name: string): AnalysisError {
  return new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found. Verify the spelling and correctness of the schema and catalog.`);
}

/** What a query can call by name; UDFs' internal call names (`udf$3`) are not. */
function callableFunctionNames(): string[] {
  return [...new Set([...allFunctionNames(), ...temporaryFunctionNames()])].filter((n) => !n.includes("$")).sort();
}

/** A function as Spark's catalog.Function: built-in ones and UDFs are temporary, in no catalog. */
function functionRecord(name: string): CatalogFunction {
  const rows = describeFunction(name, false).map((r) => r.function_desc);
  const field = (prefix: string): string | undefined => rows.find((r) => r.startsWith(prefix))?.slice(prefix.length);
  const usage = field("Usage: ");
  return Object.freeze({
    name, catalog: null, namespace: null,
    description: usage === undefined || usage === "N/A." ? null : usage,
    className: isTemporaryFunction(name) ? "rivulet.udf" : field("Class: ") ?? "",
    isTemporary: true,
  });
}
