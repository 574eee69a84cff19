import type { DataFrame } from "../api/dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import type { Session } from "../session/session.ts";
import { StructType, type StructField } from "../types/data-types.ts";
import { createTableAs, SOURCES_DEFAULT_KEY } from "./create-table-as.ts";
import { checkPartitionTransforms, partitionedSchema, type PartitionColumnSpec } from "./partitioned-table.ts";
import type { StatementResult } from "./sql-statement.ts";
import { FILE_TABLE_FORMATS, withTableLocation } from "./table-location.ts";
import { shortFormatName } from "../connectors/format-names.ts";
import type { TableDefinition } from "../session/catalog.ts";

export const SOURCE_FORMATS = ["json", "csv", "text", "parquet", "socket", "rate"];
const SINK_FORMATS = ["console", "memory", "json", "csv", "parquet", "jdbc"];

/** What `CREATE [OR REPLACE] TABLE name [(columns)] [USING f] [OPTIONS | LOCATION | PARTITIONED BY]* [AS query]` says. */
export interface CreateTableStatement {
  /** The table's own name (createdTableName: `default.t` is `t`). */
  readonly name: string;
  readonly replace: boolean;
  readonly columns: readonly StructField[];
  /** USING's format; null: spark.sql.sources.default. */
  readonly format: string | null;
  readonly options: Readonly<Record<string, string>>;
  readonly location: string | undefined;
  readonly partitionedBy: readonly PartitionColumnSpec[];
  /** CTAS's query. */
  readonly query: DataFrame | null;
  /** TBLPROPERTIES (…). */
  readonly properties?: Readonly<Record<string, string>>;
  /** `c INT COMMENT '…'`, by lower-case column name. */
  readonly columnComments?: Readonly<Record<string, string>>;
  /** COMMENT '…': the table's comment (Spark's description). */
  readonly comment?: string | undefined;
}

/**
 * Defines the table (CTAS: once its rows are written, see create-table-as.ts): of a known
 * format, over its location (a managed table under the warehouse), partitioned by
 * PARTITIONED BY's columns (last in its schema, as Spark lays them out). Null once defined.
 */
export function createTable(session: Session, s: CreateTableStatement): StatementResult | null {
  const { name, replace, columns, options, location, partitionedBy } = s;
  checkPartitionTransforms(name, partitionedBy);
  const format = shortFormatName(s.format ?? session.conf.get(SOURCES_DEFAULT_KEY) ?? "parquet");
  if (!SOURCE_FORMATS.includes(format) && !SINK_FORMATS.includes(format)) {
    throw new AnalysisError(`CREATE TABLE ${name} USING ${format}: unknown format; known source formats: ${SOURCE_FORMATS.join(", ")}; sink formats: ${SINK_FORMATS.join(", ")}`);
  }
  if (partitionedBy.length > 0 && !FILE_TABLE_FORMATS.includes(format)) {
    throw new AnalysisError(`CREATE TABLE ${name} USING ${format} PARTITIONED BY: only a table of files (${FILE_TABLE_FORMATS.join(", ")}) is partitioned, in col=value/ directories`);
  }
  if (s.query !== null) {
    if (columns.length > 0) throw new AnalysisError("[_LEGACY_ERROR_TEMP_0035] Operation not allowed: Schema may not be specified in a Create Table As Select (CTAS) statement.");
    if (partitionedBy.some((p) => p.dataType !== null)) throw new AnalysisError("[_LEGACY_ERROR_TEMP_0035] Operation not allowed: Partition column types may not be specified in Create Table As Select (CTAS).");
    const external = location !== undefined || Object.keys(options).some((k) => k.toLowerCase() === "path");
    const partitionColumns = partitionedBy.map((p) => p.name);
    return createTableAs(session, { name, format, replace, external, partitionColumns, options: () => withTableLocation(name, format, options, location, session.conf), metadata: tableMetadataOf(s) }, s.query);
  }
  const { schema, partitionColumns } = partitionedBy.length === 0
    ? { schema: columns.length > 0 ? new StructType([...columns]) : null, partitionColumns: [] }
    : partitionedSchema(name, columns, partitionedBy);
  const tableOptions = withTableLocation(name, format, options, location, session.conf);
  session.catalog.registerTable({ name, format, options: tableOptions, schema, ...(partitionColumns.length > 0 ? { partitionColumns } : {}), ...tableMetadataOf(s) }, replace);
  return null;
}

/** The statement's TBLPROPERTIES, column comments and COMMENT, as a definition's fields (absent when not given). */
function tableMetadataOf(s: CreateTableStatement): Pick<TableDefinition, "properties" | "columnComments" | "description"> {
  return {
    ...(s.properties === undefined || Object.keys(s.properties).length === 0 ? {} : { properties: s.properties }),
    ...(s.columnComments === undefined || Object.keys(s.columnComments).length === 0 ? {} : { columnComments: s.columnComments }),
    ...(s.comment === undefined ? {} : { description: s.comment }),
  };
}
