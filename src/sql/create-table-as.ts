import { existsSync, readdirSync } from "node:fs";
import type { DataFrame } from "../api/dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import type { TableDefinition } from "../session/catalog.ts";
import type { Session } from "../session/session.ts";
import { StructType } from "../types/data-types.ts";
import { insertInto } from "./insert-into.ts";
import type { StatementResult } from "./sql-statement.ts";
import { FILE_TABLE_FORMATS, managedTableDir, warehouseDir } from "./table-location.ts";
import { partitionColumnsLast } from "./partitioned-table.ts";

/** CREATE TABLE without USING: Spark's `spark.sql.sources.default`. */
export const SOURCES_DEFAULT_KEY = "spark.sql.sources.default";

export interface CreateTableAs {
  readonly name: string;
  readonly format: string;
  readonly replace: boolean;
  /** The table's options with its `path` (withTableLocation), computed once the location is checked. */
  readonly options: () => Readonly<Record<string, string>>;
  /** Whether LOCATION or a path option was given (an external table: its files may be there already). */
  readonly external: boolean;
  /** PARTITIONED BY (p, …): query columns the rows are laid out by, moved after the others as Spark does. */
  readonly partitionColumns?: readonly string[];
  /** TBLPROPERTIES, column comments and COMMENT the statement gave. */
  readonly metadata?: Pick<TableDefinition, "properties" | "columnComments" | "description">;
}

/**
 * `CREATE [OR REPLACE] TABLE t [USING f] … AS SELECT …` (Spark's CreateDataSourceTableAsSelectCommand):
 * the table takes the query's columns (all nullable), is written once in a batch, and is
 * defined only when the write succeeded. A managed table whose directory holds files already
 * fails as Spark's (`[LOCATION_ALREADY_EXISTS]`) unless OR REPLACE, which overwrites them.
 */
export function createTableAs(session: Session, spec: CreateTableAs, query: DataFrame): StatementResult {
  const catalog = session.catalog;
  if (!spec.replace && catalog.tableDefinition(spec.name) !== null) {
    throw new AnalysisError(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`default\`.\`${spec.name}\` because it already exists.\nChoose a different name, drop or rename the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects.`);
  }
  if (query.isStreaming) {
    throw new AnalysisError(`CREATE TABLE ${spec.name} AS SELECT: Queries with streaming sources must be executed with writeStream.start(); write a stream into a table with CREATE TABLE … then INSERT INTO … SELECT … FROM STREAM(…)`);
  }
  if (!spec.replace && !spec.external && FILE_TABLE_FORMATS.includes(spec.format)) {
    const dir = managedTableDir(warehouseDir(session.conf), spec.name);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new AnalysisError(`[LOCATION_ALREADY_EXISTS] Cannot name the managed table as \`spark_catalog\`.\`default\`.\`${spec.name}\`, as its associated location 'file:${dir}' already exists. Please pick a different table name, or remove the existing location first.`);
    }
  }
  const partitioned = (spec.partitionColumns ?? []).length === 0 ? null : partitionColumnsLast(query, spec.partitionColumns!);
  const rows = partitioned ?? query;
  const fields = rows.schema.fields.map((f) => ({ ...f, nullable: true }));
  // The partition columns as the query spells them.
  const partitionColumns = partitioned === null ? undefined : fields.slice(fields.length - spec.partitionColumns!.length).map((f) => f.name);
  const table: TableDefinition = { name: spec.name, format: spec.format, options: spec.options(), schema: new StructType(fields), ...(partitionColumns === undefined ? {} : { partitionColumns }), ...spec.metadata };
  const written = insertInto(session, table, rows, true);
  if (written.kind !== "pending") throw new AnalysisError(`CREATE TABLE ${spec.name} USING ${spec.format} AS SELECT: a ${spec.format} table cannot be written by a batch query`);
  return {
    kind: "pending",
    run: async () => {
      await written.run();
      // Defined once written: a failed write leaves no table behind, as in Spark.
      catalog.registerTable(table, true);
      return session.createDataFrame([], new StructType([]));
    },
  };
}
