import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { longOfBigInt } from "../../columnar/long-values.ts";
import { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "../../columnar/temporal.ts";
import { UTC, zoneRules, type ZoneRules } from "../../common/time-zone.ts";
import type { DataType, StructField } from "../../types/data-types.ts";
import { DoubleType, StringType, StructType, typeName } from "../../types/data-types.ts";
import { fitsPrecision, parseDecimal } from "../../columnar/decimal-values.ts";
import type { BatchAssembler } from "./batch-assembler.ts";
import { csvRecords, type CsvRecord, type CsvSyntax } from "./csv-tokenizer.ts";
import type { MalformedRecords } from "./parse-mode.ts";
import { readSchemaOf } from "./read-schema.ts";
import type { SourceOptions } from "./source-options.ts";

/** Spark's CSV reader options. */
export interface CsvOptions extends CsvSyntax {
  readonly header: boolean;
  readonly nullValue: string;
  readonly inferSchema: boolean;
  readonly corruptRecordColumn: string;
  /** The zone of timestamps without an offset (the timeZone option, the session zone by default). */
  readonly zone: ZoneRules;
}

export function csvOptionsOf(options: SourceOptions, corruptRecordColumn: string): CsvOptions {
  return {
    sep: options.has("sep") ? options.getChar("sep", ",") : options.getChar("delimiter", ","),
    quote: options.getChar("quote", '"'),
    escape: options.getChar("escape", "\\"),
    header: options.getBoolean("header", false),
    nullValue: options.getString("nullValue", ""),
    inferSchema: options.getBoolean("inferSchema", false),
    corruptRecordColumn,
    zone: zoneRules(options.getString("timeZone", "UTC")),
  };
}

function isNullToken(text: string, quoted: boolean, options: CsvOptions): boolean {
  return !quoted && text === options.nullValue;
}

/** Converts one field's text; undefined when it does not fit the type. */
function convert(text: string, type: DataType, zone: ZoneRules = UTC): unknown {
  switch (type.kind) {
    case "string": return text;
    case "int": {
      const v = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : undefined;
    }
    case "long": {
      // Long.parseLong: beyond 15 digits read exactly, beyond the long range no value.
      const t = text.trim();
      if (!/^[+-]?\d+$/.test(t)) return undefined;
      if (t.length <= 15) return Number(t);
      const b = BigInt(t);
      return BigInt.asIntN(64, b) === b ? longOfBigInt(b) : undefined;
    }
    case "double": {
      const t = text.trim();
      if (t === "NaN") return NaN;
      if (t === "Inf" || t === "Infinity" || t === "+Inf") return Infinity;
      if (t === "-Inf" || t === "-Infinity") return -Infinity;
      const v = t === "" ? NaN : Number(t);
      return Number.isFinite(v) ? v : undefined;
    }
    case "boolean": {
      const t = text.trim().toLowerCase();
      return t === "true" ? true : t === "false" ? false : undefined;
    }
    case "byte": case "short": {
      const v = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
      const bound = type.kind === "byte" ? 128 : 32768;
      return Number.isInteger(v) && v >= -bound && v < bound ? v : undefined;
    }
    case "float": {
      const v = convert(text, DoubleType);
      return typeof v === "number" ? Math.fround(v) : undefined;
    }
    case "decimal": {
      // The field's own digits, HALF_UP to the scale; beyond the precision no value.
      const u = text.trim() === "" ? null : parseDecimal(text, type.scale);
      return u !== null && fitsPrecision(u, type.precision) ? u : undefined;
    }
    case "timestamp": return parseTimestampMicros(text, zone) ?? undefined;
    case "timestamp_ntz": return parseTimestampNtzMicros(text) ?? undefined;
    case "date": return parseDateDays(text) ?? undefined;
    default: return undefined;
  }
}

// Spark's order of attempts when inferring a CSV column's type.
const INFER_ORDER: DataType["kind"][] = ["int", "long", "double", "boolean", "timestamp", "string"];
const WIDEN: Record<string, number> = { int: 0, long: 1, double: 2 };

function inferToken(text: string, current: DataType["kind"]): DataType["kind"] {
  for (const kind of INFER_ORDER.slice(Math.max(0, INFER_ORDER.indexOf(current)))) {
    if (kind === "string" || convert(text, { kind } as DataType) !== undefined) return kind;
  }
  return "string";
}

function mergeKinds(a: DataType["kind"] | null, b: DataType["kind"]): DataType["kind"] {
  if (a === null || a === b) return b;
  if (a in WIDEN && b in WIDEN) return WIDEN[a]! > WIDEN[b]! ? a : b;
  return "string";
}

/** Names and types of the columns: from the header (or _c0, _c1…), typed with inferSchema=true. */
export function inferCsvSchema(files: readonly string[], options: CsvOptions, malformed: MalformedRecords): StructType {
  let names: string[] | null = null;
  const kinds: (DataType["kind"] | null)[] = [];
  for (const path of files) {
    let first = true;
    for (const record of csvRecords(readFileSync(path, "utf8"), options)) {
      if (first) {
        first = false;
        if (names === null) {
          names = record.fields.map((f, i) => (options.header && f.trim() !== "" ? f : `_c${i}`));
          names = names.map((n, i) => (names!.indexOf(n) !== i ? `${n}${i}` : n));
        }
        if (options.header) continue;
      }
      if (!options.inferSchema) break;
      const expected = names!.length;
      if (record.error !== null || record.fields.length !== expected) {
        malformed.report(path, record.line, record.error ?? `expected ${expected} fields, found ${record.fields.length}`);
        continue;
      }
      record.fields.forEach((text, i) => {
        if (isNullToken(text, record.quoted[i]!, options)) return;
        kinds[i] = mergeKinds(kinds[i] ?? null, inferToken(text, kinds[i] ?? "int"));
      });
    }
  }
  const fields: StructField[] = (names ?? []).map((name, i) => ({
    name,
    dataType: (options.inferSchema ? ({ kind: kinds[i] ?? "string" } as DataType) : StringType),
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
    const text = await readFile(path, "utf8");
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
      const text = record.fields[pos]!;
      if (isNullToken(text, record.quoted[pos]!, this.options)) return;
      const type = this.#dataFields[pos]!.dataType;
      const v = convert(text, type, this.options.zone);
      if (v === undefined) {
        reason ??= `column '${this.#dataFields[pos]!.name}': cannot convert '${text}' to ${typeName(type)}`;
      } else values[k] = v;
    });
    if (reason !== null && !this.malformed.report(path, record.line, reason)) return;
    this.#positions.forEach((pos, k) => {
      out.builders[k]!.append(pos < 0 && reason !== null ? record.raw : values[k]);
    });
    out.rowDone();
  }
}
