import { formatDecimal } from "../../columnar/decimal-values.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { formatDouble, formatFloat, formatLong } from "../../columnar/show-string.ts";
import { valueAt } from "../../columnar/vector.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import { typeName } from "../../types/data-types.ts";
import type { TemporalText } from "../../columnar/temporal-text.ts";
import { booleanOption, getOption } from "./sink-input.ts";

/** Spark's CSV writer options (CSVOptions.asWriterSettings). */
export interface CsvWriteOptions {
  /** Field separator (Spark's `sep` / `delimiter`, ","). */
  readonly sep: string;
  /** Write the column names as the first line of each file (Spark's `header`, false). */
  readonly header: boolean;
  /** Dates and timestamps as text (Spark's dateFormat, timestampFormat, timeZone options). */
  readonly temporalText: TemporalText;
  /** Written for a null (Spark's nullValue, ""). */
  readonly nullValue?: string;
  /** Written for an empty string (Spark's emptyValue, `""`). */
  readonly emptyValue?: string;
  readonly quote?: string;
  /** Escapes a quote inside a quoted value (Spark's escape, `\`). */
  readonly escape?: string;
  /** Quote every value (Spark's quoteAll, false). */
  readonly quoteAll?: boolean;
  /** Quote values holding a quote and escape it (Spark's escapeQuotes, true). */
  readonly escapeQuotes?: boolean;
  /** Trim values' leading / trailing whitespace (Spark's ignoreLeading/TrailingWhiteSpace: true when writing). */
  readonly ignoreLeadingWhiteSpace?: boolean;
  readonly ignoreTrailingWhiteSpace?: boolean;
  /** Ends each record (Spark's lineSep, "\n"). */
  readonly lineSep?: string;
}

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
  const cell = cellWriter(options);
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

function csvText(value: unknown, type: DataType, text: TemporalText): string {
  switch (type.kind) {
    case "string": return value as string;
    case "boolean": return value ? "true" : "false";
    case "long": return formatLong(value as number);
    case "double": return formatDouble(value as number);
    case "float": return formatFloat(value as number);
    case "decimal": return formatDecimal(value as bigint, type.scale);
    case "timestamp": return text.timestamp(value as number);
    case "timestamp_ntz": return text.timestampNtz(value as number);
    case "date": return text.date(value as number);
    case "binary": return Buffer.from(value as Uint8Array).toString("base64");
    default: return String(value);
  }
}

function cellWriter(options: CsvWriteOptions): (text: string) => string {
  const { sep } = options;
  const quote = options.quote ?? '"';
  const escape = options.escape ?? "\\";
  const emptyValue = options.emptyValue ?? "\"\"";
  const quoteAll = options.quoteAll === true;
  const escapeQuotes = options.escapeQuotes !== false;
  const trimLeading = options.ignoreLeadingWhiteSpace !== false;
  const trimTrailing = options.ignoreTrailingWhiteSpace !== false;
  const quoting = quote !== "\u0000";
  // An escape that is the quote itself doubles quotes (RFC 4180); NUL: quotes are written as they are.
  const escapeWith = escape === "\u0000" ? "" : escape;
  return (raw) => {
    let text = raw;
    if (trimLeading) text = text.replace(/^[\u0000-\u0020]+/, "");
    if (trimTrailing) text = text.replace(/[\u0000-\u0020]+$/, "");
    if (text === "") return emptyValue;
    if (!quoting) return text;
    const hasQuote = text.includes(quote);
    const needsQuotes = quoteAll || text.includes(sep) || text.includes("\n") || text.includes("\r") || (escapeQuotes && hasQuote) ||
      (!trimLeading && raw !== raw.trimStart()) || (!trimTrailing && raw !== raw.trimEnd());
    if (!needsQuotes) return text;
    return quote + (hasQuote ? text.split(quote).join(escapeWith + quote) : text) + quote;
  };
}
