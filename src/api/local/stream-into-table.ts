import { AnalysisError } from "../../common/errors.ts";
import type { Session } from "../../session/session.ts";
import { SOURCES_DEFAULT_KEY } from "../../sql/create-table-as.ts";
import { withTableLocation } from "../../sql/table-location.ts";
import { StructType } from "../../types/data-types.ts";
import type { StreamWriteSettings } from "../data-stream-writer.ts";

/** The sink a stream written `toTable(name)` starts with: the table's format and options. */
export interface TableSink {
  readonly format: string;
  readonly options: Readonly<Record<string, string>>;
  /** The table's partition columns: the stream's rows go to their `col=value/` directories. */
  readonly partitionBy: readonly string[];
}

/**
 * Spark's `DataStreamWriter.toTable(name)`: the stream goes into a table of the catalog. A
 * table that does not exist is created first, as Spark creates it — of the writer's format,
 * else `spark.sql.sources.default` (parquet), managed under `spark.sql.warehouse.dir` — so
 * its rows are files that outlive the process: a restart from the checkpoint appends to
 * what earlier runs wrote, and a later session reads them all. An existing table is written
 * with its own format and location; a writer naming another format is refused, as Spark's.
 */
export function tableSinkFor(session: Session, tableName: string, settings: StreamWriteSettings<unknown>, schema: StructType): TableSink {
  const catalog = session.catalog;
  if (catalog.isTemporaryView(tableName)) throw new AnalysisError(`Streaming into views ${tableName} is not supported.`);
  const requested = settings.format?.toLowerCase() ?? null;
  const existing = catalog.tableDefinition(tableName);
  if (existing !== null) {
    const format = existing.format.toLowerCase();
    if (requested !== null && requested !== format) {
      throw new AnalysisError(`The input source(${requested}) is different from the table ${tableName}'s data source provider(${existing.format}).`);
    }
    return { format, options: located(settings.options, existing.options), partitionBy: existing.partitionColumns ?? settings.partitionBy };
  }
  const format = requested ?? (session.conf.get(SOURCES_DEFAULT_KEY) ?? "parquet").toLowerCase();
  const options = withTableLocation(tableName, format, settings.options, undefined, session.conf);
  const partitionBy = settings.partitionBy;
  const isPartition = (name: string): boolean => partitionBy.some((c) => c.toLowerCase() === name.toLowerCase());
  // A partitioned table's partition columns come last in its schema, as Spark lays it out.
  const fields = schema.fields.map((f) => ({ ...f, nullable: true }));
  const ordered = partitionBy.length === 0 ? fields : [...fields.filter((f) => !isPartition(f.name)), ...partitionBy.flatMap((c) => fields.filter((f) => f.name.toLowerCase() === c.toLowerCase()))];
  catalog.registerTable({ name: tableName, format, options, schema: new StructType(ordered), ...(partitionBy.length === 0 ? {} : { partitionColumns: [...partitionBy] }) }, false);
  return { format, options, partitionBy };
}

/** The writer's options, with the table's own (its location above all) where the writer gives none. */
function located(writer: Readonly<Record<string, string>>, table: Readonly<Record<string, string>>): Record<string, string> {
  const lower = new Set(Object.keys(writer).map((k) => k.toLowerCase()));
  const out: Record<string, string> = { ...writer };
  for (const [k, v] of Object.entries(table)) {
    if (k.toLowerCase() === "path") {
      for (const w of Object.keys(out)) if (w.toLowerCase() === "path") delete out[w];
      out[k] = v;
    } else if (!lower.has(k.toLowerCase())) {
      out[k] = v;
    }
  }
  return out;
}
