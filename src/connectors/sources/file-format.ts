import { StringType, StructType } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import type { BatchAssembler } from "./batch-assembler.ts";
import { isCompressedInput, readInputBytes, withoutUtf8Bom } from "./compressed-input.ts";
import { CsvReader, csvOptionsOf, inferCsvSchema, type CsvOptions } from "./csv-format.ts";
import { JsonFormat } from "./json-format.ts";
import { forEachByteLine, forEachLineBlock, type Prefetched } from "./line-chunks.ts";
import { forEachSeparatedRecord, lineSepOf } from "./line-separator.ts";
import { DEFAULT_CORRUPT_RECORD_COLUMN, MalformedRecords, parseModeOf, type ParseMode } from "./parse-mode.ts";
import { readSchemaOf } from "./read-schema.ts";
import type { SourceOptions } from "./source-options.ts";
import { ParquetFormat } from "../parquet/parquet-format.ts";

/** Reads whole files of one format into batches of `outputSchema` (the requested columns). */
export interface FileReader {
  readonly outputSchema: StructType;
  /** `first`: the file's opening, read ahead while the previous file was decoded. */
  read(path: string, out: BatchAssembler, first?: Promise<Prefetched>): Promise<void>;
}

/** A file format (json, csv, text, parquet): how to infer a schema and how to read files. */
export interface FileFormat {
  readonly name: string;
  readonly mode: ParseMode;
  /** JSON and CSV: the column that receives a malformed record's text. */
  readonly corruptRecordColumn?: string;
  /** JSON: the zone of timestamps written without an offset (the timeZone option). */
  readonly timeZoneId?: string;
  /**
   * Whether files can be decoded in worker tasks (json-file-task.ts): JSON lines without
   * options those tasks do not carry (multiLine, datetime patterns). Absent: no.
   */
  readonly readsInTasks?: boolean;
  /** The schema of `files`, which are not empty. */
  inferSchema(files: readonly string[]): StructType;
  /** `filters`: pushed predicates (ReadRequest.filters); a reader may apply any of them, or none. */
  createReader(schema: StructType, columns: readonly string[] | undefined, malformed: MalformedRecords, filters?: readonly SourcePredicate[]): FileReader;
}

export function fileFormatOf(name: "json" | "csv" | "text" | "parquet", options: SourceOptions): FileFormat {
  switch (name) {
    case "parquet": return new ParquetFormat();
    case "json": return new JsonFormat(options);
    case "csv": return new CsvFormat(options);
    case "text": return new TextFormat(options);
  }
}

class CsvFormat implements FileFormat {
  readonly name = "csv";
  readonly readsInTasks = false;
  readonly mode: ParseMode;
  readonly #options: CsvOptions;

  constructor(options: SourceOptions) {
    this.mode = parseModeOf(options);
    this.#options = csvOptionsOf(options, options.getString("columnNameOfCorruptRecord", DEFAULT_CORRUPT_RECORD_COLUMN));
  }

  inferSchema(files: readonly string[]): StructType {
    return inferCsvSchema(files, this.#options, new MalformedRecords(this.mode, this.name));
  }

  createReader(schema: StructType, columns: readonly string[] | undefined, malformed: MalformedRecords): FileReader {
    return new CsvReader(schema, columns, this.#options, malformed);
  }
}

/** Spark's text source: one `value` string per line, or per file with wholetext=true. */
class TextFormat implements FileFormat {
  readonly name = "text";
  readonly readsInTasks = false;
  readonly mode: ParseMode = "PERMISSIVE";
  readonly #wholeText: boolean;
  /** Spark's lineSep: what ends a line instead of \n, \r\n or \r. */
  readonly #lineSep: Buffer | null;

  constructor(options: SourceOptions) {
    this.#wholeText = options.getBoolean("wholetext", false);
    this.#lineSep = lineSepOf(options, "text");
  }

  inferSchema(): StructType {
    return new StructType([{ name: "value", dataType: StringType, nullable: true }]);
  }

  createReader(schema: StructType, columns: readonly string[] | undefined): FileReader {
    const outputSchema = readSchemaOf(schema, columns);
    const emit = outputSchema.length > 0;
    const wholeText = this.#wholeText;
    const lineSep = this.#lineSep;
    return {
      outputSchema,
      async read(path, out) {
        if (wholeText) {
          const text = withoutUtf8Bom(await readInputBytes(path)).toString("utf8");
          if (emit) out.builders[0]!.appendString(text);
          out.rowDone();
          return;
        }
        const onBlock = (block: Buffer, start: number, end: number): void => {
          forEachByteLine(block, start, end, 1, (b, lineStart, lineEnd) => {
            if (emit) out.builders[0]!.appendString(b.toString("utf8", lineStart, lineEnd));
            out.rowDone();
          });
        };
        if (lineSep !== null) {
          // A custom separator: the file is read whole and cut at it (a break inside a line is kept).
          forEachSeparatedRecord(withoutUtf8Bom(await readInputBytes(path)), lineSep, (b, start, end) => {
            if (emit) out.builders[0]!.appendString(b.toString("utf8", start, end));
            out.rowDone();
          });
        } else if (isCompressedInput(path)) {
          const bytes = withoutUtf8Bom(await readInputBytes(path));
          onBlock(bytes, 0, bytes.length);
        } else await forEachLineBlock(path, onBlock);
      },
    };
  }
}
