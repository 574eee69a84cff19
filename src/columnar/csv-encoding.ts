import { formatDecimal } from "./decimal-values.ts";
import { formatDouble, formatFloat, formatLong } from "./show-string.ts";
import type { TemporalText } from "./temporal-text.ts";
import type { DataType } from "../types/data-types.ts";

// CSV text of values as Spark's univocity writer gives it: shared by the CSV sink and to_csv.

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

/** The text of one non-null value of `type` (dates and timestamps as `text` writes them). */
export function csvText(value: unknown, type: DataType, text: TemporalText): string {
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

/**
 * A value's text as a cell: trimmed (ignore*WhiteSpace), the emptyValue when empty, quoted
 * when it holds the separator, a quote or a line break (every one with quoteAll), a quote
 * inside escaped with the escape character.
 */
export function csvCellWriter(options: CsvWriteOptions): (text: string) => string {
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
