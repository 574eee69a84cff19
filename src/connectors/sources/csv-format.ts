import type { StructField } from "../../types/data-types.ts";
import { StringType, StructType, typeName } from "../../types/data-types.ts";
import type { BatchAssembler } from "./batch-assembler.ts";
import { readInputBytes, readInputBytesSync } from "./compressed-input.ts";
import { inferCsvType, mergeCsvTypes } from "../../columnar/csv-infer-type.ts";
import type { CsvOptions } from "./csv-options.ts";
import { csvRecords, type CsvRecord } from "../../columnar/csv-tokenizer.ts";
import { convertCsvValue, csvDatum } from "../../columnar/csv-value.ts";
import type { MalformedRecords } from "./parse-mode.ts";
import { readSchemaOf } from "./read-schema.ts";
import { decodeText } from "./text-charset.ts";
import type { DataType } from "../../types/data-types.ts";

export { csvOptionsOf, type CsvOptions } from "./csv-options.ts";

/**
 * Spark's CSVUtils.makeSafeHeader: an empty name (or the nullValue) becomes `_c<i>`, and
 * every occurrence of a name used more than once (case-insensitively unless
 * spark.sql.caseSensitive) gets its position appended: `a,a` → `a0,a1`.
 */
export function safeHeader(names: readonly string[], options: Pick<CsvOptions, "header" | "nullValue">, caseSensitive = false): string[] {
  if (!options.header) return names.map((_, i) => `_c${i}`);
  const key = (n: string): string => (caseSensitive ? n : n.toLowerCase());
  const counts = new Map<string, number>();
  for (const n of names) counts.set(key(n), (counts.get(key(n)) ?? 0) + 1);
  return names.map((n, i) => {
    if (n === "" || n === options.nullValue) return `_c${i}`;
    return counts.get(key(n))! > 1 ? `${n}${i}` : n;
  });
}

/** Names and types of the columns: from the header (or _c0, _c1…), typed with inferSchema=true. */
export function inferCsvSchema(files: readonly string[], options: CsvOptions, malformed: MalformedRecords): StructType {
  let names: string[] | null = null;
  const types: (DataType | null)[] = [];
  for (const path of files) {
    let first = true;
    for (const record of csvRecords(decodeText(readInputBytesSync(path), options.encoding), options)) {
      if (first) {
        first = false;
        names ??= safeHeader(record.fields, options);
        if (options.header) continue;
      }
      if (!options.inferSchema) break;
      const expected = names!.length;
      if (record.error !== null || record.fields.length !== expected) {
        malformed.report(path, record.line, record.error ?? `expected ${expected} fields, found ${record.fields.length}`);
        continue;
      }
      record.fields.forEach((text, i) => {
        const datum = csvDatum(text, record.quoted[i]!, options);
        if (datum === null) return;
        const soFar = types[i] ?? null;
        types[i] = mergeCsvTypes(soFar, inferCsvType(datum, soFar, options));
      });
    }
  }
  const fields: StructField[] = (names ?? []).map((name, i) => ({
    name,
    dataType: options.inferSchema ? (types[i] ?? StringType) : StringType,
    nullable: true,
  }));
  return new StructType(fields);
}

/**
 * Reads CSV files into batches. Columns of the schema (less the corrupt-record column)
 * map to fields by position; a record with another number of fields, or a value that does
 * not convert, is malformed.
 */
export class CsvReader {
  readonly outputSchema: StructType;
  readonly #dataFields: StructField[];
  /** For each output column: its position among the data fields, or -1 for the corrupt-record column. */
  readonly #positions: number[];

  constructor(schema: StructType, columns: readonly string[] | undefined, readonly options: CsvOptions, readonly malformed: MalformedRecords) {
    this.outputSchema = readSchemaOf(schema, columns);
    const isCorrupt = (f: StructField): boolean => f.name === options.corruptRecordColumn && f.dataType.kind === "string";
    this.#dataFields = schema.fields.filter((f) => !isCorrupt(f));
    this.#positions = this.outputSchema.fields.map((f) => (isCorrupt(f) ? -1 : this.#dataFields.indexOf(schema.fields[schema.fieldIndex(f.name)]!)));
  }

  async read(path: string, out: BatchAssembler): Promise<void> {
    const text = decodeText(await readInputBytes(path), this.options.encoding);
    let first = true;
    for (const record of csvRecords(text, this.options)) {
      if (first && this.options.header) { first = false; continue; }
      first = false;
      this.#record(record, path, out);
    }
  }

  #record(record: CsvRecord, path: string, out: BatchAssembler): void {
    const values: unknown[] = new Array(this.#positions.length).fill(null);
    let reason: string | null = record.error;
    if (reason === null && record.fields.length !== this.#dataFields.length) {
      reason = `expected ${this.#dataFields.length} fields, found ${record.fields.length}`;
    }
    this.#positions.forEach((pos, k) => {
      if (pos < 0 || pos >= record.fields.length || record.error !== null) return;
      const datum = csvDatum(record.fields[pos]!, record.quoted[pos]!, this.options);
      if (datum === null) return;
      const type = this.#dataFields[pos]!.dataType;
      const v = convertCsvValue(datum, type, this.options);
      if (v === undefined) {
        reason ??= `column '${this.#dataFields[pos]!.name}': cannot convert '${datum}' to ${typeName(type)}`;
      } else values[k] = v;
    });
    if (reason !== null && !this.malformed.report(path, record.line, reason)) return;
    this.#positions.forEach((pos, k) => {
      out.builders[k]!.append(pos < 0 && reason !== null ? record.raw : values[k]);
    });
    out.rowDone();
  }
}
