import type { MessageInitShape } from "@bufbuild/protobuf";
import { fromRecordBatch } from "../columnar/arrow-convert.ts";
import { batchToRows, type Row } from "../columnar/values.ts";
import type { CatalogSchema } from "./gen/spark/connect/catalog_pb.ts";
import type { RemoteSessionBackend } from "./remote-session-backend.ts";
import { table as tableRecord, type CatalogFunction, type CatalogMetadata, type Column, type Database, type Table } from "../session/catalog-objects.ts";

type CatalogType = NonNullable<MessageInitShape<typeof CatalogSchema>["catType"]>;

/**
 * A remote session's `spark.catalog` (Spark Connect's Catalog): each call is one Catalog
 * relation run on the server, as Spark's Scala client sends it, answered with rows (a
 * boolean for the `…Exists` and `isCached` questions). Promises where the local Catalog
 * answers at once.
 */
export class RemoteCatalog {
  readonly #backend: RemoteSessionBackend;

  /** @internal A remote session makes it. */
  constructor(backend: RemoteSessionBackend) {
    this.#backend = backend;
  }

  async #rows(catType: CatalogType): Promise<Row[]> {
    const relation = this.#backend.relations.catalog(catType);
    const result = await this.#backend.execute({ opType: { case: "root", value: relation } });
    return result.batches.flatMap((rb) => batchToRows(fromRecordBatch(rb)));
  }

  async #answer(catType: CatalogType): Promise<boolean> {
    const [row] = await this.#rows(catType);
    return row !== undefined && Object.values(row)[0] === true;
  }

  async #run(catType: CatalogType): Promise<void> {
    await this.#rows(catType);
  }

  currentDatabase(): Promise<string> {
    return this.#rows({ case: "currentDatabase", value: {} }).then((rows) => String(Object.values(rows[0] ?? {})[0] ?? ""));
  }

  setCurrentDatabase(dbName: string): Promise<void> {
    return this.#run({ case: "setCurrentDatabase", value: { dbName } });
  }

  currentCatalog(): Promise<string> {
    return this.#rows({ case: "currentCatalog", value: {} }).then((rows) => String(Object.values(rows[0] ?? {})[0] ?? ""));
  }

  setCurrentCatalog(catalogName: string): Promise<void> {
    return this.#run({ case: "setCurrentCatalog", value: { catalogName } });
  }

  async listCatalogs(pattern?: string): Promise<CatalogMetadata[]> {
    return (await this.#rows({ case: "listCatalogs", value: pattern === undefined ? {} : { pattern } })).map((r) => Object.freeze({ name: String(r.name), description: text(r.description) }));
  }

  /** The databases, as Spark's Database rows (name, catalog, description, locationUri). */
  async listDatabases(pattern?: string): Promise<Database[]> {
    return (await this.#rows({ case: "listDatabases", value: pattern === undefined ? {} : { pattern } })).map(databaseOf);
  }

  async getDatabase(dbName: string): Promise<Database> {
    return databaseOf((await this.#rows({ case: "getDatabase", value: { dbName } }))[0] ?? {});
  }

  /** The tables and views of the current database, or of `dbName`, as Spark's Table rows. */
  async listTables(dbName?: string, pattern?: string): Promise<Table[]> {
    const value = { ...(dbName === undefined ? {} : { dbName }), ...(pattern === undefined ? {} : { pattern }) };
    return (await this.#rows({ case: "listTables", value })).map(tableOf);
  }

  async getTable(tableName: string, dbName?: string): Promise<Table> {
    return tableOf((await this.#rows({ case: "getTable", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } }))[0] ?? {});
  }

  /** The columns of a table as Spark's Column rows (name, description, dataType, nullable, isPartition, isBucket). */
  async listColumns(tableName: string, dbName?: string): Promise<Column[]> {
    return (await this.#rows({ case: "listColumns", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } })).map((r) => Object.freeze({
      name: String(r.name), description: text(r.description), dataType: String(r.dataType), nullable: r.nullable === true, isPartition: r.isPartition === true, isBucket: r.isBucket === true,
    }));
  }

  async listFunctions(dbName?: string, pattern?: string): Promise<CatalogFunction[]> {
    const value = { ...(dbName === undefined ? {} : { dbName }), ...(pattern === undefined ? {} : { pattern }) };
    return (await this.#rows({ case: "listFunctions", value })).map(functionOf);
  }

  async getFunction(functionName: string, dbName?: string): Promise<CatalogFunction> {
    return functionOf((await this.#rows({ case: "getFunction", value: { functionName, ...(dbName === undefined ? {} : { dbName }) } }))[0] ?? {});
  }

  dropGlobalTempView(viewName: string): Promise<boolean> {
    return this.#answer({ case: "dropGlobalTempView", value: { viewName } });
  }

  recoverPartitions(tableName: string): Promise<void> {
    return this.#run({ case: "recoverPartitions", value: { tableName } });
  }

  refreshByPath(path: string): Promise<void> {
    return this.#run({ case: "refreshByPath", value: { path } });
  }

  tableExists(tableName: string, dbName?: string): Promise<boolean> {
    return this.#answer({ case: "tableExists", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } });
  }

  databaseExists(dbName: string): Promise<boolean> {
    return this.#answer({ case: "databaseExists", value: { dbName } });
  }

  functionExists(functionName: string, dbName?: string): Promise<boolean> {
    return this.#answer({ case: "functionExists", value: { functionName, ...(dbName === undefined ? {} : { dbName }) } });
  }

  /** Whether a temp view of that name existed (and is now dropped). */
  dropTempView(viewName: string): Promise<boolean> {
    return this.#answer({ case: "dropTempView", value: { viewName } });
  }

  isCached(tableName: string): Promise<boolean> {
    return this.#answer({ case: "isCached", value: { tableName } });
  }

  cacheTable(tableName: string): Promise<void> {
    return this.#run({ case: "cacheTable", value: { tableName } });
  }

  uncacheTable(tableName: string): Promise<void> {
    return this.#run({ case: "uncacheTable", value: { tableName } });
  }

  clearCache(): Promise<void> {
    return this.#run({ case: "clearCache", value: {} });
  }

  refreshTable(tableName: string): Promise<void> {
    return this.#run({ case: "refreshTable", value: { tableName } });
  }
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const names = (v: unknown): string[] | null => (v === null || v === undefined ? null : [...(v as Iterable<unknown>)].map(String));

function tableOf(r: Row): Table {
  return tableRecord({
    name: String(r.name), catalog: text(r.catalog), namespace: names(r.namespace) ?? [], description: text(r.description),
    tableType: String(r.tableType), isTemporary: r.isTemporary === true,
  });
}

function databaseOf(r: Row): Database {
  return Object.freeze({ name: String(r.name), catalog: String(r.catalog ?? ""), description: text(r.description), locationUri: String(r.locationUri ?? "") });
}

function functionOf(r: Row): CatalogFunction {
  return Object.freeze({
    name: String(r.name), catalog: text(r.catalog), namespace: names(r.namespace), description: text(r.description),
    className: String(r.className ?? ""), isTemporary: r.isTemporary === true,
  });
}
