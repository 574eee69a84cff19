import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { AnalysisError } from "../../common/errors.ts";
import { getOption } from "./sink-input.ts";

/** Spark's session default for the writer option of the same meaning (0: no limit). */
export const MAX_RECORDS_PER_FILE_KEY = "spark.sql.files.maxRecordsPerFile";

/**
 * Spark's maxRecordsPerFile (FileFormatWriter): the writer option, else the session's
 * `spark.sql.files.maxRecordsPerFile`; 0 or negative means no limit (returned as Infinity).
 */
export function maxRecordsPerFileOf(options: Readonly<Record<string, string>>, confValue: string | undefined): number {
  const option = getOption(options, "maxRecordsPerFile");
  const text = (option ?? confValue ?? "0").trim();
  const n = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) {
    const where = option !== undefined ? "the writer option maxRecordsPerFile" : `the config "${MAX_RECORDS_PER_FILE_KEY}"`;
    throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${option ?? confValue}' of ${where} is invalid: it must be a whole number of records (0 or negative: no limit).`);
  }
  return n > 0 ? n : Infinity;
}

/**
 * A part file's name as Spark's writers give it: `part-<task, 5 digits>-<uuid>` then the
 * file counter, which Spark's SingleDirectoryDataWriter joins with `-c000` and its dynamic
 * partition writers (partitionBy) with `.c000`, then the format's extension (`.json.gz`).
 */
export function partFileName(task: number, uuid: string, fileCounter: number, extension: string, partitioned: boolean): string {
  const counter = `c${String(fileCounter).padStart(3, "0")}`;
  return `part-${String(task).padStart(5, "0")}-${uuid}${partitioned ? "." : "-"}${counter}${extension}`;
}

/**
 * The rows of one task's output (one partition directory) cut into files of at most
 * `maxRecords` rows each, in order, as Spark's writer opens c001, c002, … when a file is full.
 * No rows: one empty file's worth (an empty list of batches).
 */
export function splitByRecords(batches: readonly ColumnBatch[], maxRecords: number): ColumnBatch[][] {
  if (!Number.isFinite(maxRecords)) return [[...batches]];
  const files: ColumnBatch[][] = [];
  let current: ColumnBatch[] = [];
  let room = maxRecords;
  for (const batch of batches) {
    let start = 0;
    while (start < batch.numRows) {
      if (room === 0) {
        files.push(current);
        current = [];
        room = maxRecords;
      }
      const end = Math.min(batch.numRows, start + room);
      current.push(start === 0 && end === batch.numRows ? batch : batch.slice(start, end));
      room -= end - start;
      start = end;
    }
  }
  files.push(current);
  return files;
}
