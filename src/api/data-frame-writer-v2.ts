import { AnalysisError } from "../common/errors.ts";
import type { Column } from "./column.ts";
import type { DataFrameWriter } from "./data-frame-writer.ts";
import type { Dataset } from "./dataset.ts";

/**
 * Spark 3's DataFrameWriterV2 (`df.writeTo("t")`): create, replace, createOrReplace, append
 * and a full overwrite of a catalog table, on the session's catalog (saveAsTable underneath).
 * Spark's checks come first: create fails when the table exists, replace and append when it
 * does not.
 */
export class DataFrameWriterV2<T> {
  readonly #df: Dataset<T, any>;
  readonly #table: string;
  #provider: string | null = null;
  readonly #options: Record<string, string> = {};
  readonly #properties: Record<string, string> = {};
  #partitioning: string[] | null = null;

  /** @internal Made by `df.writeTo(table)`. */
  constructor(df: Dataset<T, any>, table: string) {
    this.#df = df;
    this.#table = table;
  }

  /** The table's format (`parquet`, `json`, …), the session's default when not given. */
  using(provider: string): this { this.#provider = provider; return this; }
  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }
  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }
  /** Kept as the table's properties are by Spark; rivulet's file tables have none to honour. */
  tableProperty(property: string, value: string): this { this.#properties[property] = value; return this; }
  /** Partition columns by name (identity transforms; Spark's years()/days()/bucket() are not offered). */
  partitionedBy(column: Column | string, ...columns: (Column | string)[]): this {
    this.#partitioning = [column, ...columns].map((c) => (typeof c === "string" ? c : c.toString()));
    return this;
  }

  /** Creates the table from the rows; TABLE_OR_VIEW_ALREADY_EXISTS if it exists. */
  async create(): Promise<void> {
    if (this.#exists()) throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${this.#table}\` because it already exists.`);
    await this.#writer("errorifexists").saveAsTable(this.#table);
  }

  /** Replaces the table (its rows and schema); TABLE_OR_VIEW_NOT_FOUND if it does not exist. */
  async replace(): Promise<void> {
    this.#requireExists();
    await this.#writer("overwrite").saveAsTable(this.#table);
  }

  async createOrReplace(): Promise<void> {
    await this.#writer("overwrite").saveAsTable(this.#table);
  }

  /** Appends the rows (columns by name); TABLE_OR_VIEW_NOT_FOUND if the table does not exist. */
  async append(): Promise<void> {
    this.#requireExists();
    await this.#writer("append").saveAsTable(this.#table);
  }

  /** Replaces the rows matching `condition`: only `lit(true)` (all rows) is offered here. */
  async overwrite(condition: Column): Promise<void> {
    const e = condition.expr;
    if (!(e.kind === "Literal" && e.value === true)) {
      throw new AnalysisError(`[UNSUPPORTED_FEATURE] The feature is not supported: overwrite(${condition.toString()}) of a table by a condition; only overwrite(lit(true)) (every row) is offered.`);
    }
    this.#requireExists();
    await this.#df.write.insertInto(this.#table, true);
  }

  #exists(): boolean {
    return (this.#df.sparkSession.catalog as { tableExists(name: string): boolean }).tableExists(this.#table);
  }

  #requireExists(): void {
    if (!this.#exists()) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${this.#table}\` cannot be found.`);
  }

  #writer(mode: string): DataFrameWriter<T> {
    const writer = this.#df.write.mode(mode).options(this.#options);
    if (this.#provider !== null) writer.format(this.#provider);
    if (this.#partitioning !== null) writer.partitionBy(...this.#partitioning);
    return writer;
  }
}
