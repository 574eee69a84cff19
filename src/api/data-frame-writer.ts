import { saveModeOf, type SaveMode } from "../connectors/sinks/file-batch-write.ts";

/** What a DataFrameWriter was told, and only that (a remote write sends only what was set, as Spark's client). */
export interface BatchWriteSettings {
  /** As given (`format("delta")`); null when never set. */
  readonly format: string | null;
  /** "errorifexists" unless `mode(…)` said otherwise (Spark's default). */
  readonly mode: SaveMode;
  readonly options: Readonly<Record<string, string>>;
  readonly partitionBy: readonly string[] | null;
  readonly bucketBy: { readonly numBuckets: number; readonly columns: readonly string[] } | null;
  readonly sortBy: readonly string[] | null;
  readonly clusterBy: readonly string[] | null;
}

/**
 * Spark's DataFrameWriter (`df.write`): a batch Dataset's rows written once. The settings
 * are the same on both backends; `save`, `insertInto` and `saveAsTable` are each
 * backend's (files written by this process, or a WriteOperation Spark runs).
 */
export abstract class DataFrameWriter<T> {
  /** Phantom: only the type checker sees it. */
  declare readonly __rows?: T;
  #format: string | null = null;
  #mode: SaveMode = "errorifexists";
  readonly #options: Record<string, string> = {};
  #partitionBy: string[] | null = null;
  #bucketBy: { numBuckets: number; columns: string[] } | null = null;
  #sortBy: string[] | null = null;
  #clusterBy: string[] | null = null;

  format(source: string): this { this.#format = source; return this; }

  /** "append", "overwrite", "ignore", "error" / "errorifexists" (the default). */
  mode(saveMode: string): this { this.#mode = saveModeOf(saveMode); return this; }

  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }

  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }

  /** Lays the output out in one directory per value of these columns (`a=1/b=x/`). */
  partitionBy(...columns: string[]): this { this.#partitionBy = columns; return this; }

  /** Hash-buckets the rows of a table by these columns into `numBuckets` files (saveAsTable only, as Spark). */
  bucketBy(numBuckets: number, column: string, ...columns: string[]): this {
    this.#bucketBy = { numBuckets, columns: [column, ...columns] };
    return this;
  }

  /** Sorts each bucket by these columns (with bucketBy, as Spark). */
  sortBy(column: string, ...columns: string[]): this { this.#sortBy = [column, ...columns]; return this; }

  /** Clusters the table's data by these columns (Spark 4's clusterBy). */
  clusterBy(column: string, ...columns: string[]): this { this.#clusterBy = [column, ...columns]; return this; }

  /** @internal What this writer was told so far. */
  get settings(): BatchWriteSettings {
    return {
      format: this.#format, mode: this.#mode, options: { ...this.#options },
      partitionBy: this.#partitionBy === null ? null : [...this.#partitionBy],
      bucketBy: this.#bucketBy === null ? null : { numBuckets: this.#bucketBy.numBuckets, columns: [...this.#bucketBy.columns] },
      sortBy: this.#sortBy === null ? null : [...this.#sortBy],
      clusterBy: this.#clusterBy === null ? null : [...this.#clusterBy],
    };
  }

  /** Runs the query and writes its rows under `path` (or the `path` option). */
  abstract save(path?: string): Promise<void>;

  /**
   * Writes into an existing table by position (Spark's insertInto); mode("overwrite") replaces
   * its rows, as does `overwrite` true (PySpark's `insertInto(tableName, overwrite)`).
   */
  abstract insertInto(tableName: string, overwrite?: boolean): Promise<void>;

  /** Saves the rows as table `tableName` (Spark's saveAsTable), as the save mode says when it exists. */
  abstract saveAsTable(tableName: string): Promise<void>;

  /**
   * Writes the rows to table `table` of the database at `url` (Spark's `jdbc(url, table,
   * connectionProperties)`): `format("jdbc")` with options url, dbtable and the properties
   * (user, password, batchsize, truncate, createTableOptions…), under the save mode.
   */
  jdbc(url: string, table: string, connectionProperties: Readonly<Record<string, string | number | boolean>> = {}): Promise<void> {
    return this.options(connectionProperties).format("jdbc").option("url", url).option("dbtable", table).save();
  }

  parquet(path: string): Promise<void> { return this.format("parquet").save(path); }
  json(path: string): Promise<void> { return this.format("json").save(path); }
  csv(path: string): Promise<void> { return this.format("csv").save(path); }
  orc(path: string): Promise<void> { return this.format("orc").save(path); }
  text(path: string): Promise<void> { return this.format("text").save(path); }
}
