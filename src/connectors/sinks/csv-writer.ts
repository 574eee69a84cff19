import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { csvCellWriter, csvText, type CsvWriteOptions } from "../../columnar/csv-encoding.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { typeName } from "../../types/data-types.ts";
import type { TemporalText } from "../../columnar/temporal-text.ts";
import { booleanOption, getOption } from "./sink-input.ts";

export type { CsvWriteOptions };

function charOption(options: Readonly<Record<string, string>>, key: string, defaultValue: string): string {
  const v = getOption(options, key);
  if (v === undefined) return defaultValue;
  if (v === "") return "\u0000";
  if (v.length !== 1) throw new ConnectorError(`csv sink: option '${key}' must be a single character, not '${v}'`);
  return v;
}

/** The writer options of `options` (case-insensitive keys); errors name the option. */
export function csvWriteOptionsOf(options: Readonly<Record<string, string>>, temporalText: TemporalText): CsvWriteOptions {
  const sep = getOption(options, "sep") ?? getOption(options, "delimiter") ?? ",";
  if (sep.length === 0) throw new ConnectorError("csv sink: option 'sep' must not be empty");
  const lineSep = getOption(options, "lineSep") ?? "\n";
  if (lineSep.length === 0 || lineSep.length > 2) throw new ConnectorError("csv sink: 'lineSep' can contain only 1 character.");
  const where = "csv sink";
  return {
    sep,
    header: booleanOption(options, "header", false, where),
    temporalText,
    nullValue: getOption(options, "nullValue") ?? "",
    emptyValue: getOption(options, "emptyValue") ?? "\"\"",
    quote: charOption(options, "quote", '"'),
    escape: charOption(options, "escape", "\\"),
    quoteAll: booleanOption(options, "quoteAll", false, where),
    escapeQuotes: booleanOption(options, "escapeQuotes", true, where),
    ignoreLeadingWhiteSpace: booleanOption(options, "ignoreLeadingWhiteSpace", true, where),
    ignoreTrailingWhiteSpace: booleanOption(options, "ignoreTrailingWhiteSpace", true, where),
    lineSep,
  };
}

/**
 * Rows as Spark's univocity CsvWriter writes them: a null is the nullValue, an empty string
 * the emptyValue (`""`), both as they are; other values are trimmed (ignore*WhiteSpace) and
 * quoted when they hold the separator, a quote or a line break (every one with quoteAll), a
 * quote inside escaped with the escape character (`"a\"b"`). Timestamps
 * `2026-01-01T10:00:00.000Z` in UTC (the session time zone's offset otherwise), dates `yyyy-MM-dd`.
 */
export function encodeCsv(batch: ColumnBatch, options: CsvWriteOptions): string {
  const fields = batch.schema.fields;
  const lineSep = options.lineSep ?? "\n";
  const cell = csvCellWriter(options);
  let out = options.header ? fields.map((f) => cell(f.name)).join(options.sep) + lineSep : "";
  for (let i = 0; i < batch.numRows; i++) {
    const cells = new Array<string>(fields.length);
    for (let k = 0; k < fields.length; k++) {
      const v = valueAt(batch.columns[k]!, i);
      cells[k] = v === null || v === undefined ? (options.nullValue ?? "") : cell(csvText(v, fields[k]!.dataType, options.temporalText));
    }
    out += cells.join(options.sep) + lineSep;
  }
  return out;
}

/** Spark's CSV source supports only atomic types; nested ones fail when the query starts. */
export function checkCsvSchema(schema: StructType): void {
  for (const f of schema.fields) {
    const k = f.dataType.kind;
    if (k === "struct" || k === "array" || k === "map") {
      throw new ConnectorError(`CSV data source does not support ${typeName(f.dataType)} data type (column ${f.name}); use to_json() or the json format`);
    }
  }
}
