import { dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";
import { ConnectorError } from "../../common/errors.ts";
import { zoneRules } from "../../common/time-zone.ts";
import type { CsvSyntax } from "../../columnar/csv-tokenizer.ts";
import type { CsvValueOptions } from "../../columnar/csv-value.ts";
import type { SourceOptions } from "./source-options.ts";
import { checkCharset } from "./text-charset.ts";

/**
 * Spark's CSV reader options (CSVOptions, read side). Options Spark has that rivulet does
 * not act on (locale, samplingRatio, maxColumns, maxCharsPerColumn, inputBufferSize,
 * unescapedQuoteHandling, enforceSchema, multiLine: quoted line breaks are always read)
 * are accepted and ignored, as Spark ignores options it does not know.
 */
export interface CsvOptions extends CsvSyntax, CsvValueOptions {
  readonly header: boolean;
  readonly inferSchema: boolean;
  /** The charset of the files (Spark's encoding / charset, UTF-8). */
  readonly encoding: string;
  readonly corruptRecordColumn: string;
  /** Spark's preferDate (true): inference tries a date before a timestamp. */
  readonly preferDate: boolean;
}

/** Spark's getChar: an empty value is the NUL character, which turns the feature off. */
function charOption(options: SourceOptions, key: string, defaultValue: string): string {
  const v = options.get(key);
  if (v === "") return "\u0000";
  return options.getChar(key, defaultValue);
}

/** A datetime pattern option (dateFormat, timestampFormat, timestampNTZFormat) compiled for parsing; null when absent. */
export function patternOption(options: SourceOptions, key: string): DateTimeFormatter | null {
  const pattern = options.get(key);
  if (pattern === undefined) return null;
  try {
    return dateTimeFormatter(pattern, true);
  } catch (e) {
    throw new ConnectorError(`${options.format} source: option '${key}' is not a valid datetime pattern: ${(e as Error).message}`, { cause: e });
  }
}

function lineSepOption(options: SourceOptions): string | null {
  const sep = options.get("lineSep");
  if (sep === undefined) return null;
  if (sep === "") throw new ConnectorError("csv source: 'lineSep' cannot be an empty string.");
  if (sep.length > 2) throw new ConnectorError("csv source: 'lineSep' can contain only 1 character.");
  return sep;
}

export function csvOptionsOf(options: SourceOptions, corruptRecordColumn: string): CsvOptions {
  const encoding = options.get("encoding") ?? options.get("charset") ?? "UTF-8";
  checkCharset(encoding, "csv");
  const comment = charOption(options, "comment", "\u0000");
  return {
    sep: options.has("sep") ? options.getChar("sep", ",") : options.getChar("delimiter", ","),
    quote: charOption(options, "quote", '"'),
    escape: charOption(options, "escape", "\\"),
    comment: comment === "\u0000" ? null : comment,
    ignoreLeadingWhiteSpace: options.getBoolean("ignoreLeadingWhiteSpace", false),
    ignoreTrailingWhiteSpace: options.getBoolean("ignoreTrailingWhiteSpace", false),
    lineSep: lineSepOption(options),
    header: options.getBoolean("header", false),
    inferSchema: options.getBoolean("inferSchema", false),
    nullValue: options.getString("nullValue", ""),
    emptyValue: options.getString("emptyValue", ""),
    nanValue: options.getString("nanValue", "NaN"),
    positiveInf: options.getString("positiveInf", "Inf"),
    negativeInf: options.getString("negativeInf", "-Inf"),
    encoding,
    corruptRecordColumn,
    zone: zoneRules(options.getString("timeZone", "UTC")),
    dateFormat: patternOption(options, "dateFormat"),
    timestampFormat: patternOption(options, "timestampFormat"),
    timestampNTZFormat: patternOption(options, "timestampNTZFormat"),
    preferDate: options.getBoolean("preferDate", true),
  };
}
