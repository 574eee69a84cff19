import { AnalysisError } from "../common/errors.ts";
import { jsonIgnoreNullFields } from "../common/spark-sql-conf.ts";
import { shortFormatName } from "../connectors/format-names.ts";
import { writeFilesBatch } from "../connectors/sinks/file-batch-write.ts";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../connectors/sinks/file-encoder.ts";
import { sessionZone } from "../execution/time-zone.ts";
import { StructType } from "../types/data-types.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import { node, token, type Children } from "./cst.ts";
import { unquoteString } from "./literals.ts";
import type { StatementResult } from "./sql-statement.ts";
import type { StatementTools } from "./table-statements.ts";

/**
 * INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] USING format [OPTIONS (…)] query, as Spark's
 * InsertIntoDataSourceDirCommand: the query's rows replace whatever the directory held, written
 * as the format's files (the path may be OPTIONS' `path` instead). LOCAL changes nothing here:
 * every path is the local file system's.
 */
export function insertOverwriteDirectory(ctx: Children, tools: StatementTools): StatementResult {
  const format = shortFormatName(tools.nameText(node(ctx, "format")!)).toLowerCase();
  const options = tools.options(ctx);
  const pathKey = Object.keys(options).find((k) => k.toLowerCase() === "path");
  const literal = token(ctx, "path");
  if (literal !== undefined && pathKey !== undefined) {
    throw new AnalysisError("Directory path and 'path' in OPTIONS should be specified one, but not both");
  }
  const path = literal !== undefined ? unquoteString(literal.image) : pathKey === undefined ? undefined : options[pathKey];
  if (path === undefined || path === "") throw new AnalysisError("INSERT OVERWRITE DIRECTORY: give the directory ('path' after DIRECTORY, or OPTIONS (path '…'))");
  if (!(FILE_SINK_FORMATS as readonly string[]).includes(format)) {
    throw new AnalysisError(`INSERT OVERWRITE DIRECTORY … USING ${format}: only file formats are written to a directory (${FILE_SINK_FORMATS.join(", ")})`);
  }
  const plan = tools.query(node(ctx, "query")!);
  if (plan.isStreaming) {
    throw new AnalysisError("INSERT OVERWRITE DIRECTORY: Queries with streaming sources must be executed with writeStream.start(); write a stream to files with writeStream.format(…).option(\"path\", …)");
  }
  const session = tools.session;
  const writeOptions = Object.fromEntries(Object.entries(options).filter(([k]) => k.toLowerCase() !== "path"));
  return { kind: "pending", run: async () => {
    const batch = await new LocalDataset(session, plan).executeToBatch("insertOverwriteDirectory");
    await writeFilesBatch({
      format: format as FileSinkFormat, path, mode: "overwrite", options: writeOptions, schema: batch.schema, sessionZone: sessionZone(session.conf),
      partitionBy: null, partitionOverwriteMode: "static", ignoreNullFieldsDefault: jsonIgnoreNullFields(session.conf),
      maxRecordsPerFileDefault: session.conf.getOption("spark.sql.files.maxRecordsPerFile"),
    }, [batch]);
    session.catalog.cacheManager.invalidate();
    return session.createDataFrame([], new StructType([]));
  } };
}
