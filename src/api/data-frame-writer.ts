import { AnalysisError } from "../common/errors.ts";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../connectors/sinks/file-encoder.ts";
import { saveModeOf, writeFilesBatch, type SaveMode } from "../connectors/sinks/file-batch-write.ts";
import { insertInto } from "../sql/insert-into.ts";
import { tableNotFound } from "../sql/session-relations.ts";
import { withTableLocation } from "../sql/table-location.ts";
import type { LocalDataset } from "./local/local-dataset.ts";

/**
 * Spark's DataFrameWriter (`df.write`): a batch Dataset's rows written once, as files
 * of a format (parquet by default, as `spark.sql.sources.default`), under a save mode.
 */
export class DataFrameWriter<T> {
  #format = "parquet";
  #mode: SaveMode = "errorifexists";
  readonly #options: Record<string, string> = {};

  readonly #ds: LocalDataset<T>;

  /** @internal `df.write` makes it. */
  constructor(ds: LocalDataset<T>) {
    this.#ds = ds;
  }

  format(source: string): this { this.#format = source.toLowerCase(); return this; }

  /** "append", "overwrite", "ignore", "error" / "errorifexists" (the default). */
  mode(saveMode: string): this { this.#mode = saveModeOf(saveMode); return this; }

  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }

  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }

  /** Runs the query and writes its rows under `path` (or the `path` option). */
  async save(path?: string): Promise<void> {
    const target = path ?? Object.entries(this.#options).find(([k]) => k.toLowerCase() === "path")?.[1];
    if (target === undefined || target.trim() === "") throw new AnalysisError(`'path' is not specified: pass a directory to save() or .${this.#format}()`);
    if (!(FILE_SINK_FORMATS as readonly string[]).includes(this.#format)) {
      throw new AnalysisError(`Data source ${this.#format} does not support batch writes here; use one of ${FILE_SINK_FORMATS.join(", ")}`);
    }
    const batch = await this.#ds.executeToBatch("write");
    await writeFilesBatch({ format: this.#format as FileSinkFormat, path: target, mode: this.#mode, options: this.#options, schema: batch.schema }, [batch]);
  }

  /**
   * Writes into an existing table by position (Spark's insertInto): as SQL's `INSERT INTO`,
   * or `INSERT OVERWRITE` with mode("overwrite").
   */
  async insertInto(tableName: string): Promise<void> {
    const session = this.#ds.sparkSession;
    const table = session.catalog.tableDefinition(tableName);
    if (table === null) throw tableNotFound(tableName, session.catalog.listTables());
    const result = insertInto(session, table, this.#ds.toDF(), this.#mode === "overwrite");
    if (result.kind === "pending") await result.run();
  }

  /**
   * Saves the rows as table `tableName` (Spark's saveAsTable): a new table of this format
   * at the `path` option or under spark.sql.warehouse.dir; an existing one is appended to,
   * overwritten, left alone or refused by the save mode.
   */
  async saveAsTable(tableName: string): Promise<void> {
    const session = this.#ds.sparkSession;
    if (session.catalog.tableDefinition(tableName) !== null) {
      if (this.#mode === "errorifexists") throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${tableName}\` because it already exists.`);
      if (this.#mode === "ignore") return;
      return this.insertInto(tableName);
    }
    const options = withTableLocation(tableName, this.#format, this.#options, undefined, session.conf);
    session.catalog.registerTable({ name: tableName, format: this.#format, options, schema: this.#ds.schema }, false);
    await this.insertInto(tableName);
  }

  parquet(path: string): Promise<void> { return this.format("parquet").save(path); }
  json(path: string): Promise<void> { return this.format("json").save(path); }
  csv(path: string): Promise<void> { return this.format("csv").save(path); }
}
