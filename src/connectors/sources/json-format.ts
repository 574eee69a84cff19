import { zoneRules } from "../../common/time-zone.ts";
import type { StructType } from "../../types/data-types.ts";
import type { SourcePredicate } from "../source.ts";
import { BatchAssembler } from "./batch-assembler.ts";
import { isCompressedInput, readInputBytes, withoutUtf8Bom } from "./compressed-input.ts";
import type { FileFormat, FileReader } from "./file-format.ts";
import { JsonDatetimePatterns } from "./json-datetime-patterns.ts";
import { JsonLinesDecoder } from "./json-lines-decoder.ts";
import { readJsonDocument } from "./json-multiline.ts";
import { inferJsonSchema, type JsonInferOptions } from "./json-schema-inference.ts";
import { forEachLineBlock } from "./line-chunks.ts";
import { lineSepOf, separatedRecordsAsLines } from "./line-separator.ts";
import { DEFAULT_CORRUPT_RECORD_COLUMN, MalformedRecords, parseModeOf, type ParseMode } from "./parse-mode.ts";
import { readSchemaOf } from "./read-schema.ts";
import type { SourceOptions } from "./source-options.ts";

/** Spark's JSON source: JSON lines, or with multiLine one JSON value per file. */
export class JsonFormat implements FileFormat {
  readonly name = "json";
  readonly mode: ParseMode;
  readonly readsInTasks: boolean;
  readonly corruptRecordColumn: string;
  readonly timeZoneId: string;
  /** Spark's multiLine: each file is one JSON value (an object, or an array of objects). */
  readonly #multiLine: boolean;
  readonly #patterns: JsonDatetimePatterns | null;
  readonly #inferOptions: JsonInferOptions;
  /** Spark's lineSep (JSON lines only): what ends a record instead of a line break. */
  readonly #lineSep: Buffer | null;

  constructor(options: SourceOptions) {
    this.mode = parseModeOf(options);
    this.#multiLine = options.getBoolean("multiLine", false);
    this.#lineSep = lineSepOf(options, "json");
    this.#inferOptions = {
      primitivesAsString: options.getBoolean("primitivesAsString", false), prefersDecimal: options.getBoolean("prefersDecimal", false), multiLine: this.#multiLine,
      lineSep: this.#lineSep,
    };
    this.corruptRecordColumn = options.getString("columnNameOfCorruptRecord", DEFAULT_CORRUPT_RECORD_COLUMN);
    this.timeZoneId = options.getString("timeZone", "UTC");
    this.#patterns = JsonDatetimePatterns.of(options, zoneRules(this.timeZoneId));
    this.readsInTasks = !this.#multiLine && this.#patterns === null && this.#lineSep === null;
  }

  inferSchema(files: readonly string[]): StructType {
    return inferJsonSchema(files, new MalformedRecords(this.mode, this.name), this.corruptRecordColumn, this.#inferOptions);
  }

  createReader(schema: StructType, columns: readonly string[] | undefined, malformed: MalformedRecords, filters?: readonly SourcePredicate[]): FileReader {
    const patterns = this.#patterns;
    if (patterns === null) return this.#reader(schema, columns, malformed, filters);
    // Patterned columns are decoded as text and parsed after; pushed filters are left to the
    // engine (they would compare the text, not the value).
    const outputSchema = readSchemaOf(schema, columns);
    const inner = this.#reader(patterns.textSchema(schema), columns, malformed, undefined);
    return {
      outputSchema,
      async read(path, out, first) {
        const text = new BatchAssembler(inner.outputSchema);
        await inner.read(path, text, first);
        out.appendBatches(patterns.convert(text.finishColumns(), outputSchema, path, malformed));
      },
    };
  }

  #reader(schema: StructType, columns: readonly string[] | undefined, malformed: MalformedRecords, filters?: readonly SourcePredicate[]): FileReader {
    const corruptRecordColumn = this.corruptRecordColumn;
    const decoder = new JsonLinesDecoder(schema, columns, { corruptRecordColumn, malformed, filters, zone: zoneRules(this.timeZoneId) });
    if (this.#multiLine) {
      return {
        outputSchema: decoder.outputSchema,
        async read(path, out, first) {
          first?.then((p) => p.handle.close(), () => {});
          await readJsonDocument(path, decoder, out, malformed, corruptRecordColumn);
        },
      };
    }
    const lineSep = this.#lineSep;
    return {
      outputSchema: decoder.outputSchema,
      async read(path, out, first) {
        if (lineSep !== null) {
          // The decoder cuts at line breaks: the records cut at lineSep are handed over one per line.
          first?.then((p) => p.handle.close(), () => {});
          const lines = separatedRecordsAsLines(withoutUtf8Bom(await readInputBytes(path)), lineSep);
          decoder.decodeLines(lines, 0, lines.length, path, 1, out);
          return;
        }
        if (isCompressedInput(path)) {
          // A compressed file is decompressed whole, then decoded as one block of lines.
          first?.then((p) => p.handle.close(), () => {});
          const bytes = withoutUtf8Bom(await readInputBytes(path));
          decoder.decodeLines(bytes, 0, bytes.length, path, 1, out);
          return;
        }
        let line = 1;
        await forEachLineBlock(path, (b, start, end) => { line += decoder.decodeLines(b, start, end, path, line, out); }, undefined, first);
      },
    };
  }
}
