import type { StructType } from "../../types/data-types.ts";
import { DEFAULT_BATCH_ROWS } from "../sources/batch-assembler.ts";
import type { FileFormat, FileReader } from "../sources/file-format.ts";
import type { ParseMode } from "../sources/parse-mode.ts";
import { readSchemaOf } from "../sources/read-schema.ts";
import { readParquetFile, readParquetSchema } from "./parquet-reader.ts";

/**
 * Spark's Parquet source: the schema from the footer of the first file (Spark's default,
 * without mergeSchema), columns matched by name case-insensitively, only the wanted
 * columns decoded. A file that is not Parquet fails the read naming it.
 */
export class ParquetFormat implements FileFormat {
  readonly name = "parquet";
  readonly mode: ParseMode = "FAILFAST";

  inferSchema(files: readonly string[]): StructType {
    return readParquetSchema(files[0]!);
  }

  createReader(schema: StructType, columns: readonly string[] | undefined): FileReader {
    const outputSchema = readSchemaOf(schema, columns);
    return {
      outputSchema,
      async read(path, out) {
        out.appendBatches(await readParquetFile(path, outputSchema, DEFAULT_BATCH_ROWS));
      },
    };
  }
}
