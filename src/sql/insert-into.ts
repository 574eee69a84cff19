import type { DataFrame } from "../api/dataset.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { AnalysisError } from "../common/errors.ts";
import { ConfKeys } from "../common/config.ts";
import type { TriggerSpec } from "../execution/trigger.ts";
import { castIfNeeded } from "../expr/coercion.ts";
import { Alias, ColumnRef } from "../expr/expression.ts";
import * as build from "../plan/plan-builder.ts";
import type { TableDefinition } from "../session/catalog.ts";
import type { Session } from "../session/session.ts";
import { StructType, ddlTypeName, sameType } from "../types/data-types.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../connectors/sinks/file-encoder.ts";
import { partitionOverwriteModeOf, writeFilesBatch, type PartitionOverwriteMode } from "../connectors/sinks/file-batch-write.ts";
import { escapePathName } from "../connectors/sinks/partitioned-layout.ts";
import { rm } from "node:fs/promises";
import { jsonIgnoreNullFields } from "../common/spark-sql-conf.ts";
import { staticCount, staticPartitionPrefix, staticValuesAsWritten, type PartitionSpec } from "./partitioned-table.ts";
import { sessionZone } from "../execution/time-zone.ts";
import { SPARK_METADATA_DIR } from "../connectors/sources/file-listing.ts";
import { canCast } from "../expr/cast.ts";
import { storeAssignmentCastOf } from "../expr/functions/store-assignment-cast.ts";
import { STORE_ASSIGNMENT_POLICY_KEY, canStoreAssign, canUpCast, storeAssignmentPolicy } from "./store-assignment.ts";
import type { StatementResult } from "./sql-statement.ts";
import { writeJdbcBatch } from "../connectors/jdbc/jdbc-batch-write.ts";
import { updateStatistics } from "./analyze-table.ts";

/** Spark's spark.sql.sources.partitionOverwriteMode: STATIC (the default) or DYNAMIC. */
const PARTITION_OVERWRITE_MODE_KEY = "spark.sql.sources.partitionOverwriteMode";

/** `SET rivulet.sql.outputMode = update`: the output mode of INSERT INTO queries whose sink table does not set one. */
export const SQL_OUTPUT_MODE_KEY = "rivulet.sql.outputMode";
/** `SET rivulet.sql.trigger = '10 seconds'` (or availableNow, once). */
export const SQL_TRIGGER_KEY = "rivulet.sql.trigger";

/** Options of a sink table that configure the query rather than the sink. */
const QUERY_OPTIONS = new Set(["outputmode", "trigger", "queryname"]);

function option(options: Readonly<Record<string, string>>, key: string): string | undefined {
  const hit = Object.keys(options).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : options[hit];
}

function triggerSpec(text: string): TriggerSpec {
  const t = text.trim().toLowerCase();
  if (t === "availablenow" || t === "available_now") return { availableNow: true };
  if (t === "once") return { once: true };
  return { processingTime: text };
}

/**
 * The query's rows in the table's declared columns: by position, cast and renamed as
 * Spark's INSERT INTO does, under `spark.sql.storeAssignmentPolicy` (ANSI by default: a
 * string is not parsed into a number, and a number the column cannot hold fails the write).
 */
function conform(df: DataFrame, table: TableDefinition): DataFrame {
  const schema = table.schema;
  if (schema === null) return df;
  const out = df.plan.output;
  if (out.length !== schema.fields.length) {
    const reason = out.length > schema.fields.length ? "TOO_MANY_DATA_COLUMNS" : "NOT_ENOUGH_DATA_COLUMNS";
    const list = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(", ");
    throw new AnalysisError(`[INSERT_COLUMN_ARITY_MISMATCH.${reason}] Cannot write to \`${table.name}\`, the reason is ${reason === "TOO_MANY_DATA_COLUMNS" ? "too many" : "not enough"} data columns:\nTable columns: ${list(schema.fieldNames)}.\nData columns: ${list(out.map((c) => c.name))}.`);
  }
  const policy = storeAssignmentPolicy(df.sparkSession.conf.get(STORE_ASSIGNMENT_POLICY_KEY));
  const allowed = policy === "ANSI" ? canStoreAssign : policy === "STRICT" ? canUpCast : canCast;
  out.forEach((c, i) => {
    const f = schema.fields[i]!;
    if (!allowed(c.dataType, f.dataType)) {
      throw new AnalysisError(`[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST] Cannot write incompatible data for the table \`${table.name}\`: Cannot safely cast \`${f.name}\` "${ddlTypeName(c.dataType)}" to "${ddlTypeName(f.dataType)}".`);
    }
  });
  if (out.every((c, i) => c.name === schema.fields[i]!.name && sameType(c.dataType, schema.fields[i]!.dataType))) return df;
  const exprs = out.map((c, i) => {
    const f = schema.fields[i]!;
    const value = ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
    // ANSI fails on a value the column cannot hold (Spark's CheckOverflowInTableInsert); LEGACY wraps or nulls it.
    const stored = sameType(c.dataType, f.dataType) ? value : policy === "LEGACY" ? castIfNeeded(value, f.dataType) : storeAssignmentCastOf(value, f.dataType, f.name, "insert");
    return Alias.create(stored, f.name);
  });
  return new LocalDataset(df.sparkSession, build.project(df.plan, exprs));
}

/**
 * `INSERT INTO sink SELECT …`: a streaming query when the SELECT reads a stream — format
 * and options from the sink table; output mode from its `outputMode` option, else
 * `SET rivulet.sql.outputMode`, else append (Spark's default); checkpoint from its
 * `checkpointLocation` option, else `spark.sql.streaming.checkpointLocation`/<table>; the
 * query is named after the table. Otherwise one batch write (memory and console tables).
 */
export function insertInto(session: Session, table: TableDefinition, query: DataFrame, overwrite = false, partitionSpec: PartitionSpec = new Map()): StatementResult {
  const df = conform(query, table);
  const format = table.format.toLowerCase();
  if (df.isStreaming) {
    if (overwrite) throw new AnalysisError(`INSERT OVERWRITE ${table.name}: a streaming query only appends; use INSERT INTO`);
    // The query is named by the sink table's queryName option, else by the table (what progress
    // and the UI show); a memory table's query keeps the table's name, which is where its rows live.
    const queryName = format === "memory" ? table.name : option(table.options, "queryName") ?? table.name;
    const writer = df.writeStream.format(format).queryName(queryName);
    if ((table.partitionColumns ?? []).length > 0) writer.partitionBy(...table.partitionColumns!);
    const sinkOptions = Object.fromEntries(Object.entries(table.options).filter(([k]) => !QUERY_OPTIONS.has(k.toLowerCase())));
    writer.options(sinkOptions);
    writer.outputMode(option(table.options, "outputMode") ?? session.conf.get(SQL_OUTPUT_MODE_KEY) ?? "append");
    const trigger = option(table.options, "trigger") ?? session.conf.get(SQL_TRIGGER_KEY);
    if (trigger !== undefined) writer.trigger(triggerSpec(trigger));
    if (option(table.options, "checkpointLocation") === undefined && session.conf.get(ConfKeys.checkpointLocation) === undefined && format !== "memory" && format !== "console") {
      throw new AnalysisError(`INSERT INTO ${table.name}: a streaming query into a ${format} table needs a checkpoint location: add OPTIONS (checkpointLocation '…') to the table or SET spark.sql.streaming.checkpointLocation = '…'`);
    }
    const streamingQuery = writer.start();
    return { kind: "streaming", df: session.createDataFrame([], new StructType([])), query: streamingQuery };
  }
  if (format === "memory") {
    const schema = df.schema;
    const run = async (): Promise<DataFrame> => {
      const arrow = await df.toArrow();
      const sink = session.catalog.memorySinkFor(table.name, schema, true);
      if (overwrite) sink.clear();
      await sink.addBatch((sink.lastBatchId ?? -1) + 1, arrow, "append");
      session.catalog.cacheManager.invalidate();
      return session.createDataFrame([], new StructType([]));
    };
    return { kind: "pending", run };
  }
  if (format === "console") {
    return { kind: "pending", run: () => df.show().then(() => session.createDataFrame([], new StructType([]))) };
  }
  if ((FILE_SINK_FORMATS as readonly string[]).includes(format)) return { kind: "pending", run: () => insertFiles(session, table, df, overwrite, partitionSpec) };
  if (format === "jdbc") return { kind: "pending", run: () => insertJdbc(session, table, df, overwrite) };
  throw new AnalysisError(`INSERT INTO ${table.name}: the query reads no stream, and batch writes go to file (${FILE_SINK_FORMATS.join(", ")}), JDBC, memory and console tables only; read a source as STREAM(t) to write it continuously to a ${format} table`);
}

/**
 * A batch INSERT into a file table: the rows as new part files in the table's directory
 * (INSERT OVERWRITE: instead of the files there). A directory a streaming file sink
 * writes (`_spark_metadata`) is refused: readers see only the files its log lists.
 */
async function insertFiles(session: Session, table: TableDefinition, df: DataFrame, overwrite: boolean, spec: PartitionSpec): Promise<DataFrame> {
  const path = option(table.options, "path");
  if (path === undefined) throw new AnalysisError(`INSERT INTO ${table.name}: the table has no location; create it with LOCATION '…' or OPTIONS (path '…')`);
  if (existsSync(join(path, SPARK_METADATA_DIR))) {
    throw new AnalysisError(`INSERT INTO ${table.name}: ${path} is the output of a streaming file sink (it holds ${SPARK_METADATA_DIR}), whose readers see only the files its log committed; write to it with a streaming query (INSERT INTO … SELECT … FROM STREAM(…))`);
  }
  const batch = await (df as LocalDataset).executeToBatch("insertInto");
  const options = Object.fromEntries(Object.entries(table.options).filter(([k]) => k.toLowerCase() !== "path"));
  const partitionBy = table.partitionColumns ?? [];
  let mode: "overwrite" | "append" = overwrite ? "overwrite" : "append";
  let partitionOverwriteMode: PartitionOverwriteMode = "static";
  if (overwrite && partitionBy.length > 0) {
    // Spark's InsertIntoHadoopFsRelationCommand: dynamic overwrite (the table's option, else the
    // session's mode) replaces only the partitions written, unless every partition is static;
    // static overwrite replaces what the static values name (the whole table when none).
    const dynamic = partitionOverwriteModeOf(option(table.options, "partitionOverwriteMode"), session.conf.get(PARTITION_OVERWRITE_MODE_KEY)) === "dynamic"
      && staticCount(spec) < partitionBy.length;
    const prefix = staticPartitionPrefix(partitionBy, staticValuesAsWritten(spec, table.schema, sessionZone(session.conf)), escapePathName);
    if (dynamic) partitionOverwriteMode = "dynamic";
    else if (prefix !== "") {
      await rm(join(path, prefix), { recursive: true, force: true });
      mode = "append";
    }
  }
  await writeFilesBatch({
    format: table.format.toLowerCase() as FileSinkFormat, path, mode, options, schema: batch.schema, sessionZone: sessionZone(session.conf),
    partitionBy: partitionBy.length > 0 ? partitionBy : null, partitionOverwriteMode, ignoreNullFieldsDefault: jsonIgnoreNullFields(session.conf),
    maxRecordsPerFileDefault: session.conf.getOption("spark.sql.files.maxRecordsPerFile"),
  }, [batch]);
  // Cached results that read the table are computed again at their next use.
  session.catalog.cacheManager.invalidate();
  await updateStatistics(session, table);
  return session.createDataFrame([], new StructType([]));
}


/**
 * A batch INSERT into a JDBC table (a table or temporary view USING jdbc), as Spark's
 * JDBCRelation.insert: the rows appended, or with OVERWRITE written in mode overwrite (the
 * table emptied first: truncated with the `truncate` option, else dropped and created again).
 */
async function insertJdbc(session: Session, table: TableDefinition, df: DataFrame, overwrite: boolean): Promise<DataFrame> {
  const batch = await (df as LocalDataset).executeToBatch("insertInto");
  await writeJdbcBatch(table.options, overwrite ? "overwrite" : "append", batch);
  session.catalog.cacheManager.invalidate();
  await updateStatistics(session, table);
  return session.createDataFrame([], new StructType([]));
}
