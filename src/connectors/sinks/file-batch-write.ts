import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { AnalysisError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import type { ZoneRules } from "../../common/time-zone.ts";
import { fileEncoderOf, type FileSinkFormat } from "./file-encoder.ts";
import { PartitionedLayout } from "./partitioned-layout.ts";
import { maxRecordsPerFileOf, partFileName, splitByRecords } from "./part-files.ts";

/** Spark's SaveMode: what a batch write does when the output path exists. */
export type SaveMode = "append" | "overwrite" | "ignore" | "errorifexists";

export function saveModeOf(text: string): SaveMode {
  switch (text.trim().toLowerCase()) {
    case "append": return "append";
    case "overwrite": return "overwrite";
    case "ignore": return "ignore";
    case "error": case "errorifexists": case "default": return "errorifexists";
    default:
      throw new AnalysisError(`[INVALID_SAVE_MODE] The specified save mode "${text}" is invalid. Valid save modes include "append", "overwrite", "ignore", "error", "errorifexists", and "default".`);
  }
}

export interface FileBatchWrite {
  readonly format: FileSinkFormat;
  readonly path: string;
  readonly mode: SaveMode;
  readonly options: Readonly<Record<string, string>>;
  readonly schema: StructType;
  /** The session time zone: JSON and CSV write timestamps in it unless option timeZone says otherwise. */
  readonly sessionZone: ZoneRules;
  /** partitionBy columns: rows go to `col=value/` directories, without those columns. */
  readonly partitionBy?: readonly string[] | null;
  /**
   * Spark's `partitionOverwriteMode` in overwrite mode with partitionBy: `static` (default)
   * replaces the whole directory, `dynamic` only the partitions the rows go to.
   */
  readonly partitionOverwriteMode?: PartitionOverwriteMode;
  /** The session's spark.sql.jsonGenerator.ignoreNullFields: a JSON write's ignoreNullFields when the option is not given (default true). */
  readonly ignoreNullFieldsDefault?: boolean;
  /** The session's spark.sql.files.maxRecordsPerFile: the limit when option maxRecordsPerFile is not given (0 or absent: none). */
  readonly maxRecordsPerFileDefault?: string;
}

export type PartitionOverwriteMode = "static" | "dynamic";

/** The writer option `partitionOverwriteMode`, else the session's `spark.sql.sources.partitionOverwriteMode`. */
export function partitionOverwriteModeOf(option: string | undefined, conf: string | undefined): PartitionOverwriteMode {
  const text = (option ?? conf ?? "static").trim().toLowerCase();
  if (text === "static" || text === "dynamic") return text;
  throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${option ?? conf}' in the config "spark.sql.sources.partitionOverwriteMode" is invalid: it must be one of STATIC, DYNAMIC.`);
}

/**
 * Spark's batch write of files (`df.write.format(f).mode(m).save(path)`): a part file
 * `part-00000-<uuid>-c000<ext>` (with partitionBy one per `col=value/` directory, named
 * `….c000<ext>` there) written under a hidden temp name and renamed, then an empty
 * `_SUCCESS` marker; with maxRecordsPerFile, `c001`, `c002`, … hold the rows past each
 * file's limit. The uuid is the write's (Spark's job id), the same in every file. Even an empty result writes a part file when the format can
 * hold the schema without rows (Parquet), so that the directory reads back with its
 * columns. Returns the files written (none when `ignore` found the path).
 */
export async function writeFilesBatch(write: FileBatchWrite, batches: readonly ColumnBatch[]): Promise<string[]> {
  const partitioning = write.partitionBy == null || write.partitionBy.length === 0 ? null : new PartitionedLayout(write.schema, write.partitionBy, write.sessionZone);
  const encoder = fileEncoderOf(write.format, write.options, partitioning?.dataSchema ?? write.schema, write.sessionZone, write.ignoreNullFieldsDefault ?? true);
  const maxRecords = maxRecordsPerFileOf(write.options, write.maxRecordsPerFileDefault); // fails before anything is replaced
  const dir = resolve(write.path);
  const rows = batches.filter((b) => b.numRows > 0);
  const groups = partitioning?.group(rows) ?? null;
  if (existsSync(dir)) {
    if (write.mode === "errorifexists") {
      throw new AnalysisError(`[PATH_ALREADY_EXISTS] Path ${pathToFileURL(dir).href} already exists. Set mode as "overwrite" to overwrite the existing path.`);
    }
    if (write.mode === "ignore") return [];
    if (write.mode === "overwrite") {
      if (groups !== null && write.partitionOverwriteMode === "dynamic") {
        // Only the partitions this write has rows for are replaced; the others stay as they are.
        for (const group of groups) await rm(join(dir, group.directory), { recursive: true, force: true });
      } else {
        await rm(dir, { recursive: true, force: true });
      }
    }
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const jobId = randomUUID();
  const writeGroup = async (directory: string, batches: readonly ColumnBatch[]): Promise<void> => {
    const partitioned = groups !== null;
    if (directory !== "") await mkdir(join(dir, directory), { recursive: true });
    for (const [counter, fileBatches] of splitByRecords(batches, maxRecords).entries()) {
      const file = join(dir, directory, partFileName(0, jobId, counter, encoder.extension, partitioned));
      await writeFileAtomic(file, encoder.encode(fileBatches));
      written.push(file);
    }
  };
  if (groups !== null) {
    // Spark's dynamic partition writes: files per partition directory that has rows.
    for (const group of groups) await writeGroup(group.directory, group.batches);
  } else if (rows.length > 0 || write.format === "parquet") {
    await writeGroup("", rows);
  }
  await writeFile(join(dir, "_SUCCESS"), "");
  return written;
}
