import { AnalysisError } from "../../common/errors.ts";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../../connectors/sinks/file-encoder.ts";
import { partitionOverwriteModeOf, writeFilesBatch } from "../../connectors/sinks/file-batch-write.ts";
import { writeJdbcBatch } from "../../connectors/jdbc/jdbc-batch-write.ts";
import { sessionZone } from "../../execution/time-zone.ts";
import { insertInto } from "../../sql/insert-into.ts";
import { tableNotFound } from "../../sql/session-relations.ts";
import { withTableLocation } from "../../sql/table-location.ts";
import { DataFrameWriter } from "../data-frame-writer.ts";
import type { LocalDataset } from "./local-dataset.ts";
import type { DataFrame } from "../dataset.ts";
import type { TableDefinition } from "../../session/catalog.ts";
import { col } from "../functions.ts";

/** The data source when `format(…)` was never called (Spark's `spark.sql.sources.default`). */
const DEFAULT_FORMAT = "parquet";

/** A local session's DataFrameWriter: the rows are written by this process, as files of a format. */
export class LocalDataFrameWriter<T> extends DataFrameWriter<T> {
  readonly #ds: LocalDataset<T>;

  /** @internal `df.write` makes it. */
  constructor(ds: LocalDataset<T>) {
    super();
    this.#ds = ds;
  }

  /** The format to write, refusing what rivulet's file writer cannot lay out (partitionBy: only for save()). */
  #format(allowPartitionBy = false): string {
    const s = this.settings;
    if ((s.partitionBy !== null && !allowPartitionBy) || s.bucketBy !== null || s.sortBy !== null || s.clusterBy !== null) {
      throw new AnalysisError(`${allowPartitionBy ? "bucketBy, sortBy and clusterBy are" : "partitionBy, bucketBy, sortBy and clusterBy are"} not supported by rivulet's ${allowPartitionBy ? "batch file writer" : "saveAsTable"}: write without them, or on a remote session (Spark lays them out)`);
    }
    return (s.format ?? DEFAULT_FORMAT).toLowerCase();
  }

  async save(path?: string): Promise<void> {
    const format = this.#format(true);
    const { options, mode, partitionBy } = this.settings;
    if (format === "jdbc") {
      // save(url) stands for the url option, as the streaming sink's start(url).
      const batch = await this.#ds.executeToBatch("write");
      await writeJdbcBatch(path === undefined ? options : { ...options, url: path }, mode, batch);
      this.#ds.sparkSession.catalog.cacheManager.invalidate();
      return;
    }
    const target = path ?? Object.entries(options).find(([k]) => k.toLowerCase() === "path")?.[1];
    if (target === undefined || target.trim() === "") throw new AnalysisError(`'path' is not specified: pass a directory to save() or .${format}()`);
    if (!(FILE_SINK_FORMATS as readonly string[]).includes(format)) {
      throw new AnalysisError(`Data source ${format} does not support batch writes here; use one of ${FILE_SINK_FORMATS.join(", ")}, jdbc`);
    }
    const batch = await this.#ds.executeToBatch("write");
    const partitionOverwriteMode = partitionOverwriteModeOf(
      Object.entries(options).find(([k]) => k.toLowerCase() === "partitionoverwritemode")?.[1],
      this.#ds.sparkSession.conf.get("spark.sql.sources.partitionOverwriteMode"),
    );
    await writeFilesBatch({ format: format as FileSinkFormat, path: target, mode, options, schema: batch.schema, sessionZone: sessionZone(this.#ds.sparkSession.conf), partitionBy, partitionOverwriteMode }, [batch]);
    this.#ds.sparkSession.catalog.cacheManager.invalidate();
  }

  /**
   * As SQL's `INSERT INTO` (by position), or `INSERT OVERWRITE` with mode("overwrite");
   * `overwrite`, as PySpark's `insertInto(tableName, overwrite)`, sets the mode.
   */
  async insertInto(tableName: string, overwrite?: boolean): Promise<void> {
    if (overwrite !== undefined) this.mode(overwrite ? "overwrite" : "append");
    const session = this.#ds.sparkSession;
    const table = session.catalog.tableDefinition(tableName);
    if (table === null) throw tableNotFound(tableName, session.catalog.tableNames());
    await this.#insert(table, this.#ds.toDF());
  }

  async #insert(table: TableDefinition, df: DataFrame): Promise<void> {
    const result = insertInto(this.#ds.sparkSession, table, df, this.settings.mode === "overwrite");
    if (result.kind === "pending") await result.run();
  }

  /**
   * A new table of this format at the `path` option or under spark.sql.warehouse.dir. An
   * existing one, by the save mode as Spark's: `append` adds the rows matching columns by
   * NAME (unlike insertInto); `overwrite` makes the table again with these rows and their
   * columns, at its location; `ignore` leaves it; `errorifexists` refuses.
   */
  async saveAsTable(tableName: string): Promise<void> {
    const format = this.#format();
    const { mode, options } = this.settings;
    const session = this.#ds.sparkSession;
    const existing = session.catalog.tableDefinition(tableName);
    if (existing !== null) {
      if (mode === "errorifexists") throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${tableName}\` because it already exists.`);
      if (mode === "ignore") return;
      if (mode === "append") return this.#insert(existing, byName(this.#ds.toDF(), existing));
      const replaced: TableDefinition = { name: tableName, format, options: { ...existing.options, ...options }, schema: this.#ds.schema };
      session.catalog.registerTable(replaced, true);
      return this.#insert(replaced, this.#ds.toDF());
    }
    const located = withTableLocation(tableName, format, options, undefined, session.conf);
    session.catalog.registerTable({ name: tableName, format, options: located, schema: this.#ds.schema }, false);
    await this.insertInto(tableName);
  }
}

/** The rows in the table's column order, each column found by name (case-insensitive), as saveAsTable's append. */
function byName(df: DataFrame, table: TableDefinition): DataFrame {
  if (table.schema === null) return df;
  const columns = df.columns;
  if (columns.length !== table.schema.fields.length) {
    throw new AnalysisError(`The column number of the existing table ${table.name}(${table.schema.simpleString()}) doesn't match the data schema(${df.schema.simpleString()})`);
  }
  const ordered = table.schema.fields.map((f) => {
    const match = columns.find((c) => c.toLowerCase() === f.name.toLowerCase());
    if (match === undefined) throw new AnalysisError(`cannot resolve \`${f.name}\` given input columns: [${columns.join(", ")}]`);
    return col(`\`${match.replace(/`/g, "``")}\``);
  });
  return df.select(...ordered);
}
