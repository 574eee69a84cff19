import { formatCalendarInterval, formatDayTimeInterval, formatYearMonthInterval, type CalendarInterval } from "./intervals.ts";
import { UTC, type ZoneRules } from "../common/time-zone.ts";
import { assertNever } from "../common/errors.ts";
import type { DataType } from "../types/data-types.ts";
import type { ColumnBatch } from "./column-batch.ts";
import { formatDate, formatTimestamp } from "./temporal.ts";
import { valueAt } from "./vector.ts";
import { formatDecimal } from "./decimal-values.ts";

/**
 * Spark's `Dataset.showString` (what `show()` and the console sink print), on a
 * ColumnBatch: the same borders, padding, truncation, vertical layout and footers, with
 * cells rendered as Spark casts values to strings.
 */

/** How a null cell (and a null inside a struct, array or map) is printed. */
export const NULL_TEXT = "null";

/** Spark's minimum column width. */
const MIN_COL_WIDTH = 3;

/**
 * Renders the first `numRows` rows of `batch`. `truncate`: true = 20 characters, false or
 * 0 = no truncation, a number = that width. `hasMoreRows` says that rows exist beyond the
 * batch (the footer is also printed when the batch itself has more than `numRows`).
 */
export function showString(
  batch: ColumnBatch,
  numRows = 20,
  truncate: boolean | number = true,
  vertical = false,
  hasMoreRows = false,
  /** The session time zone: timestamps are shown as its clocks show them, as Spark's show(). */
  zone: ZoneRules = UTC,
): string {
  const limit = Math.max(0, Math.floor(numRows));
  const width = truncate === true ? 20 : truncate === false ? 0 : Math.floor(truncate);
  const shown = Math.min(limit, batch.numRows);
  const hasMoreData = hasMoreRows || batch.numRows > limit;

  const header = batch.schema.fieldNames.map(escapeMetaCharacters);
  const rows: string[][] = [];
  for (let i = 0; i < shown; i++) {
    rows.push(batch.schema.fields.map((f, k) => truncateCell(escapeMetaCharacters(formatCell(valueAt(batch.columns[k]!, i), f.dataType, zone)), width)));
  }

  const out = vertical ? renderVertical(header, rows) : renderTable(header, rows, width > 0);
  if (vertical && rows.length === 0) return out + "(0 rows)\n";
  if (hasMoreData) return out + `only showing top ${limit} ${limit === 1 ? "row" : "rows"}\n`;
  return out;
}

function renderTable(header: string[], rows: string[][], alignRight: boolean): string {
  const colWidths = header.map(() => MIN_COL_WIDTH);
  for (const row of [header, ...rows]) row.forEach((cell, i) => { colWidths[i] = Math.max(colWidths[i]!, stringHalfWidth(cell)); });
  const pad = (cell: string, i: number): string => {
    const fill = " ".repeat(Math.max(0, colWidths[i]! - stringHalfWidth(cell)));
    return alignRight ? fill + cell : cell + fill;
  };
  const line = (row: string[]): string => `|${row.map(pad).join("|")}|\n`;
  const sep = `+${colWidths.map((w) => "-".repeat(w)).join("+")}+\n`;
  return sep + line(header) + sep + rows.map(line).join("") + sep;
}

function renderVertical(header: string[], rows: string[][]): string {
  const nameWidth = header.reduce((m, name) => Math.max(m, stringHalfWidth(name)), MIN_COL_WIDTH);
  const dataWidth = rows.reduce((m, row) => row.reduce((mm, cell) => Math.max(mm, stringHalfWidth(cell)), m), MIN_COL_WIDTH);
  const rightPad = (s: string, w: number): string => s + " ".repeat(Math.max(0, w - stringHalfWidth(s)));
  let out = "";
  rows.forEach((row, i) => {
    const title = `-RECORD ${i}`;
    out += title + "-".repeat(Math.max(0, nameWidth + dataWidth + 5 - title.length)) + "\n";
    row.forEach((cell, j) => { out += ` ${rightPad(header[j]!, nameWidth)} | ${rightPad(cell, dataWidth)} \n`; });
  });
  return out;
}

function truncateCell(text: string, width: number): string {
  if (width <= 0 || text.length <= width) return text;
  // Spark shows no ellipsis when the width is shorter than 4 characters.
  return width < 4 ? text.substring(0, width) : text.substring(0, width - 3) + "...";
}

// East Asian full-width ranges Spark counts as two columns (Utils.stringHalfWidth).
const FULL_WIDTH = /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F\uFF00-\uFF60\uFFE0-\uFFE6]/g;

/** Display width: UTF-16 length plus one for each full-width character (Spark's rule). */
export function stringHalfWidth(text: string): number {
  const wide = text.match(FULL_WIDTH);
  return text.length + (wide === null ? 0 : wide.length);
}

const META: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\b": "\\b", "\u000B": "\\v", "\u0007": "\\a" };

/** Spark's SchemaUtils.escapeMetaCharacters: control characters would break the table. */
export function escapeMetaCharacters(text: string): string {
  return text.replace(/[\n\r\t\f\b\u000B\u0007]/g, (c) => META[c]!);
}

/**
 * One value (internal representation, see vector.ts) as Spark casts it to a string for
 * display: `1.0E10`, `2026-01-01 10:00:00`, `{a, b}`, `[a, b]`, `{k -> v}`, `[41 42]`.
 * Timestamps are shown as the clocks of `zone` (the session time zone, UTC by default) show them.
 */
export function formatCell(value: unknown, type: DataType, zone: ZoneRules = UTC): string {
  if (value === null || value === undefined) return NULL_TEXT;
  switch (type.kind) {
    case "null": return NULL_TEXT;
    case "string": return value as string;
    case "boolean": return value ? "true" : "false";
    case "byte": case "short": case "int": return String(value);
    case "long": return formatLong(value as number);
    case "float": return formatFloat(value as number);
    case "double": return formatDouble(value as number);
    case "decimal": return formatDecimal(value as bigint, type.scale);
    case "timestamp": return formatTimestamp(value as number, zone);
    case "date": return formatDate(value as number);
    case "timestamp_ntz": return formatTimestamp(value as number);
    case "interval_dt": return formatDayTimeInterval(value as number, type.startField, type.endField);
    case "interval_ym": return formatYearMonthInterval(value as number, type.startField, type.endField);
    case "interval": return formatCalendarInterval(value as CalendarInterval);
    case "binary": return formatBinary(value as Uint8Array);
    case "struct": {
      const obj = value as Record<string, unknown>;
      return `{${type.fields.map((f) => formatCell(obj[f.name], f.dataType, zone)).join(", ")}}`;
    }
    case "array": return `[${(value as unknown[]).map((v) => formatCell(v, type.elementType, zone)).join(", ")}]`;
    case "map": {
      const entries = [...(value as Map<unknown, unknown>)];
      return `{${entries.map(([k, v]) => `${formatCell(k, type.keyType, zone)} -> ${formatCell(v, type.valueType, zone)}`).join(", ")}}`;
    }
    default: return assertNever(type, "data type");
  }
}

/** A long held as a JS number (or bigint), without decimals or exponent. */
export function formatLong(value: number | bigint): string {
  if (typeof value === "bigint") return value.toString();
  return Number.isSafeInteger(value) ? String(value) : BigInt(Math.trunc(value)).toString();
}

/**
 * Java's `Double.toString`, which Spark uses when it casts a double to a string:
 * `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.5E-4`, `NaN`, `Infinity`, `-0.0`.
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(value);
    return text.includes(".") ? text : `${text}.0`;
  }
  // toExponential() without digits gives the shortest round-tripping mantissa.
  const [mantissa, exponent] = value.toExponential().split("e") as [string, string];
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}E${exponent.startsWith("+") ? exponent.slice(1) : exponent}`;
}

/**
 * Java's `Float.toString` for a single-precision value (held as its double): the fewest
 * digits that read back as the same float, so 0.1F prints `0.1`, not 0.10000000149011612.
 */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value) || value === 0) return formatDouble(value);
  for (let digits = 1; digits < 9; digits++) {
    const shortest = Number(value.toPrecision(digits));
    if (Math.fround(shortest) === value) return formatDouble(shortest);
  }
  return formatDouble(Number(value.toPrecision(9)));
}

/** Spark's display of binary values: upper-case hex bytes in brackets, `[41 42]`. */
export function formatBinary(bytes: Uint8Array): string {
  let out = "[";
  for (let i = 0; i < bytes.length; i++) out += (i > 0 ? " " : "") + bytes[i]!.toString(16).toUpperCase().padStart(2, "0");
  return out + "]";
}
