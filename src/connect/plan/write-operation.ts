import { create } from "@bufbuild/protobuf";
import type { BatchWriteSettings } from "../../api/data-frame-writer.ts";
import type { SaveMode } from "../../connectors/sinks/file-batch-write.ts";
import {
  WriteOperationSchema, WriteOperation_SaveMode, WriteOperation_SaveTable_TableSaveMethod, type WriteOperation,
} from "../gen/spark/connect/commands_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";

/** Where `save(path)`, `insertInto(t)` and `saveAsTable(t)` write; nothing for a plain `save()` (the `path` option, if any). */
export type WriteDestination =
  | { readonly path: string }
  | { readonly tableName: string; readonly method: "insertInto" | "saveAsTable" }
  | null;

const SAVE_MODES: Record<SaveMode, WriteOperation_SaveMode> = {
  append: WriteOperation_SaveMode.APPEND,
  overwrite: WriteOperation_SaveMode.OVERWRITE,
  ignore: WriteOperation_SaveMode.IGNORE,
  errorifexists: WriteOperation_SaveMode.ERROR_IF_EXISTS,
};

/**
 * The WriteOperation `df.write…save()` sends, as Spark 4.0's Scala client builds it: the
 * save mode always (error-if-exists by default), the source only when `format` was
 * called, partitioning, sort, clustering and bucket columns only when set, the options
 * as written, and a path or a table (saved as a table, or inserted into) as the call says.
 */
export function writeOperation(input: Relation, settings: BatchWriteSettings, destination: WriteDestination): WriteOperation {
  const saveType = destination === null ? undefined
    : "path" in destination ? { case: "path" as const, value: destination.path }
      : {
        case: "table" as const,
        value: {
          tableName: destination.tableName,
          saveMethod: destination.method === "insertInto"
            ? WriteOperation_SaveTable_TableSaveMethod.INSERT_INTO : WriteOperation_SaveTable_TableSaveMethod.SAVE_AS_TABLE,
        },
      };
  return create(WriteOperationSchema, {
    input,
    ...(settings.format === null || settings.format === "" ? {} : { source: settings.format }),
    ...(saveType === undefined ? {} : { saveType }),
    mode: SAVE_MODES[settings.mode],
    sortColumnNames: [...(settings.sortBy ?? [])],
    partitioningColumns: [...(settings.partitionBy ?? [])],
    ...(settings.bucketBy === null ? {} : { bucketBy: { numBuckets: settings.bucketBy.numBuckets, bucketColumnNames: [...settings.bucketBy.columns] } }),
    options: { ...settings.options },
    clusteringColumns: [...(settings.clusterBy ?? [])],
  });
}
