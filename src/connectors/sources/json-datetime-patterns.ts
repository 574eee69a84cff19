import type { DateTimeFormatter } from "../../columnar/datetime-format.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import { InternalError } from "../../common/errors.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";
import { StringType, StructType, typeName, type DataType } from "../../types/data-types.ts";
import { patternOption } from "./csv-options.ts";
import type { MalformedRecords } from "./parse-mode.ts";
import type { SourceOptions } from "./source-options.ts";

const MICROS_PER_DAY = 86_400_000_000;

/**
 * Spark's JSON dateFormat, timestampFormat and timestampNTZFormat when reading: the
 * columns of those types are decoded as their text, then parsed with the pattern. As in
 * Spark, a pattern the user set is strict (no fallback to ISO parsing): a value it does
 * not match is a malformed record. Top-level columns only; nested ones parse as ISO text.
 */
export class JsonDatetimePatterns {
  private constructor(
    readonly date: DateTimeFormatter | null,
    readonly timestamp: DateTimeFormatter | null,
    readonly timestampNtz: DateTimeFormatter | null,
    readonly zone: ZoneRules,
  ) {}

  /** The patterns the options set, or null when they set none. */
  static of(options: SourceOptions, zone: ZoneRules): JsonDatetimePatterns | null {
    const date = patternOption(options, "dateFormat");
    const timestamp = patternOption(options, "timestampFormat");
    const ntz = patternOption(options, "timestampNTZFormat");
    return date === null && timestamp === null && ntz === null ? null : new JsonDatetimePatterns(date, timestamp, ntz, zone);
  }

  #formatterOf(type: DataType): DateTimeFormatter | null {
    switch (type.kind) {
      case "date": return this.date;
      case "timestamp": return this.timestamp;
      case "timestamp_ntz": return this.timestampNtz;
      default: return null;
    }
  }

  /** `schema` with the columns a pattern parses as strings: what the decoder reads. */
  textSchema(schema: StructType): StructType {
    return new StructType(schema.fields.map((f) => (this.#formatterOf(f.dataType) === null ? f : { ...f, dataType: StringType })));
  }

  /**
   * Batches of `output` from batches decoded with textSchema(output): patterned columns
   * parsed; a row with a value that does not parse goes to the parse mode (null there
   * in PERMISSIVE, dropped in DROPMALFORMED, an error in FAILFAST).
   */
  convert(batches: readonly ColumnBatch[], output: StructType, path: string, malformed: MalformedRecords): ColumnBatch[] {
    const parsed = output.fields.flatMap((f, k) => {
      const formatter = this.#formatterOf(f.dataType);
      return formatter === null ? [] : [{ k, formatter, type: f.dataType }];
    });
    return batches.map((batch) => {
      const columns = [...batch.columns];
      const reasons: (string | undefined)[] = new Array(batch.numRows);
      for (const { k, formatter, type } of parsed) columns[k] = this.#parseColumn(batch.column(k), type, formatter, reasons, output.fields[k]!.name);
      const whole = new ColumnBatch(output, columns, batch.numRows);
      if (!reasons.some((r) => r !== undefined)) return whole;
      const kept: number[] = [];
      for (let i = 0; i < batch.numRows; i++) {
        const reason = reasons[i];
        if (reason === undefined || malformed.report(path, null, reason)) kept.push(i);
      }
      return whole.take(Int32Array.from(kept));
    });
  }

  #parseColumn(text: Vec, type: DataType, formatter: DateTimeFormatter, reasons: (string | undefined)[], name: string): Vec {
    if (text.kind !== "str") throw new InternalError(`json source: the ${typeName(type)} column '${name}' was not decoded as text`);
    const zone = type.kind === "timestamp" ? this.zone : UTC;
    // Each distinct text is parsed once: the vector holds dictionary codes.
    const values = text.dict.map((t) => {
      const micros = formatter.parse(t, zone);
      return micros === null ? null : type.kind === "date" ? Math.floor(micros / MICROS_PER_DAY) : micros;
    });
    const out = new VecBuilder(type, text.length);
    for (let i = 0; i < text.length; i++) {
      if (text.valid !== null && text.valid[i] === 0) { out.appendNull(); continue; }
      const v = values[text.codes[i]!]!;
      if (v !== null) out.appendNumber(v);
      else {
        reasons[i] ??= `field '${name}': cannot parse '${text.dict[text.codes[i]!]}' as ${typeName(type)} with the pattern '${formatter.pattern}'`;
        out.appendNull();
      }
    }
    return out.finish();
  }
}
