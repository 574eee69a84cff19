import { AnalysisError } from "../../common/errors.ts";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../../connectors/sinks/file-encoder.ts";
import { partitionOverwriteModeOf, writeFilesBatch } from "../../connectors/sinks/file-batch-write.ts";
import { writeJdbcBatch } from "../../connectors/jdbc/jdbc-batch-write.ts";
import { sessionZone } from "../../execution/time-zone.ts";
import { insertInto } from "../../sql/insert-into.ts";
import { insertTarget } from "../../sql/session-relations.ts";
import { FILE_TABLE_FORMATS, withTableLocation } from "../../sql/table-location.ts";
import { partitionColumnsLast } from "../../sql/partitioned-table.ts";
import { DataFrameWriter } from "../data-frame-writer.ts";
import type { LocalDataset } from "./local-dataset.ts";
import type { DataFrame } from "../dataset.ts";
import type { TableDefinition } from "../../session/catalog.ts";
import { col } from "../functions.ts";
import { jsonIgnoreNullFields } from "../../common/spark-sql-conf.ts";
import { shortFormatName } from "../../connectors/format-names.ts";

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
    return shortFormatName(s.format ?? DEFAULT_FORMAT);
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
    await writeFilesBatch({ format: format as FileSinkFormat, path: target, mode, options, schema: batch.schema, sessionZone: sessionZone(this.#ds.sparkSession.conf), partitionBy, partitionOverwriteMode,
      ignoreNullFieldsDefault: jsonIgnoreNullFields(this.#ds.sparkSession.conf), maxRecordsPerFileDefault: this.#ds.sparkSession.conf.getOption("spark.sql.files.maxRecordsPerFile") }, [batch]);
    this.#ds.sparkSession.catalog.cacheManager.invalidate();
  }

  /**
   * As SQL's `INSERT INTO` (by position), or `INSERT OVERWRITE` with mode("overwrite");
   * `overwrite`, as PySpark's `insertInto(tableName, overwrite)`, sets the mode.
   */
  async insertInto(tableName: string, overwrite?: boolean): Promise<void> {
    if (overwrite !== undefined) this.mode(overwrite ? "overwrite" : "append");
    if (this.settings.partitionBy !== null) {
      throw new AnalysisError("[_LEGACY_ERROR_TEMP_1309] insertInto() can't be used together with partitionBy(). Partition columns have already been defined for the table. It is not necessary to use partitionBy().");
    }
    const session = this.#ds.sparkSession;
    await this.#insert(insertTarget(session.catalog, tableName), this.#ds.toDF());
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
    const partitionBy = this.settings.partitionBy ?? [];
    const format = this.#format(FILE_TABLE_FORMATS.includes((this.settings.format ?? DEFAULT_FORMAT).toLowerCase()));
    const { mode, options } = this.settings;
    const session = this.#ds.sparkSession;
    const existing = session.catalog.tableDefinition(tableName);
    if (existing !== null && mode !== "overwrite") {
      if (mode === "errorifexists") throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${tableName}\` because it already exists.`);
      if (mode === "ignore") return;
      const declared = existing.partitionColumns ?? [];
      if (partitionBy.length > 0 && (partitionBy.length !== declared.length || partitionBy.some((c, i) => c.toLowerCase() !== declared[i]!.toLowerCase()))) {
        throw new AnalysisError(`Specified partitioning does not match that of the existing table ${existing.name}.\nSpecified partition columns: [${partitionBy.join(", ")}]\nExisting partition columns: [${declared.join(", ")}]`);
      }
      return this.#insert(existing, byName(this.#ds.toDF(), existing));
    }
    // A partitioned table's partition columns come last in its schema, as Spark lays it out.
    const rows = partitionBy.length > 0 ? partitionColumnsLast(this.#ds.toDF(), partitionBy) : this.#ds.toDF();
    const partitionColumns = partitionBy.length === 0 ? {} : { partitionColumns: rows.columns.slice(rows.columns.length - partitionBy.length) };
    const location = existing === null ? withTableLocation(tableName, format, options, undefined, session.conf) : { ...existing.options, ...options };
    const table: TableDefinition = { name: tableName, format, options: location, schema: rows.schema, ...partitionColumns };
    session.catalog.registerTable(table, existing !== null);
    return this.#insert(session.catalog.tableDefinition(tableName)!, rows);
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
