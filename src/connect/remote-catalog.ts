import type { MessageInitShape } from "@bufbuild/protobuf";
import { fromRecordBatch } from "../columnar/arrow-convert.ts";
import { batchToRows, type Row } from "../columnar/values.ts";
import type { CatalogSchema } from "./gen/spark/connect/catalog_pb.ts";
import type { RemoteSessionBackend } from "./remote-session-backend.ts";

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

  /** The databases' names (Spark answers Database rows: name, catalog, description, locationUri). */
  async listDatabases(pattern?: string): Promise<string[]> {
    return (await this.#rows({ case: "listDatabases", value: pattern === undefined ? {} : { pattern } })).map((r) => String(r.name));
  }

  /** The tables' and views' names of the current database, or of `dbName` (Spark answers Table rows). */
  async listTables(dbName?: string, pattern?: string): Promise<string[]> {
    const value = { ...(dbName === undefined ? {} : { dbName }), ...(pattern === undefined ? {} : { pattern }) };
    return (await this.#rows({ case: "listTables", value })).map((r) => String(r.name));
  }

  /** The columns of a table as Spark describes them (name, description, dataType, nullable, isPartition, isBucket, isCluster). */
  listColumns(tableName: string, dbName?: string): Promise<Row[]> {
    return this.#rows({ case: "listColumns", value: { tableName, ...(dbName === undefined ? {} : { dbName }) } });
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
