import type { StructVec, Vec } from "../../columnar/vector.ts";
import { constantVec } from "../../expr/vec-ops.ts";
import { LongType, StringType, StructType, TimestampType } from "../../types/data-types.ts";
import type { FileStatus } from "./file-listing.ts";

/**
 * Spark's file-constant metadata column `_metadata` (FileFormat.METADATA_NAME): a struct
 * a file scan fills per file, read only when a query names it, and never part of `*`.
 */
export const FILE_METADATA_COLUMN = "_metadata";

/** Spark's BASE_METADATA_FIELDS, in its order; none is nullable. */
export const FileMetadataType = new StructType([
  { name: "file_path", dataType: StringType, nullable: false },
  { name: "file_name", dataType: StringType, nullable: false },
  { name: "file_size", dataType: LongType, nullable: false },
  { name: "file_block_start", dataType: LongType, nullable: false },
  { name: "file_block_length", dataType: LongType, nullable: false },
  { name: "file_modification_time", dataType: TimestampType, nullable: false },
]);

export function isFileMetadataColumn(name: string): boolean {
  return name.toLowerCase() === FILE_METADATA_COLUMN;
}

/** Hadoop's `Path.toUri.toString` of a local file: `file:/dir/a%20b.json` (Spark's file_path). */
export function fileUriOf(path: string): string {
  return `file:${encodeURI(path.replaceAll("\\", "/")).replaceAll("?", "%3F").replaceAll("#", "%23")}`;
}

/**
 * One file's `_metadata` value repeated `rows` times. A file is read whole (never split),
 * so its one block starts at 0 and spans the file, as Spark reports an unsplit file.
 */
export function fileMetadataVec(file: FileStatus, rows: number): StructVec {
  // Spark takes the name from the URI's raw path: percent-encoded as file_path is.
  const name = fileUriOf(file.path).split("/").pop() ?? "";
  const values: unknown[] = [fileUriOf(file.path), name, file.size, 0, file.size, file.modificationTime * 1000];
  const children: Vec[] = FileMetadataType.fields.map((f, i) => constantVec(values[i], f.dataType, rows));
  return { kind: "struct", type: FileMetadataType, length: rows, children, valid: null };
}
