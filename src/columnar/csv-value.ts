import { fitsPrecision, parseDecimal, withoutGrouping } from "./decimal-values.ts";
import { longOfBigInt } from "./long-values.ts";
import { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "./temporal.ts";
import type { DateTimeFormatter } from "./datetime-format.ts";
import { UTC, type ZoneRules } from "../common/time-zone.ts";
import type { DataType } from "../types/data-types.ts";

const MICROS_PER_DAY = 86_400_000_000;

/**
 * The options a field's conversion reads (Spark's CSVOptions of the same names): shared by
 * the CSV source, its inference, and from_csv / schema_of_csv.
 */
export interface CsvValueOptions {
  /** A field equal to it is null; an unquoted empty field reads as it (Spark's nullValue, ""). */
  readonly nullValue: string;
  /** What a quoted empty field `""` reads as (Spark's emptyValue, ""). */
  readonly emptyValue: string;
  readonly nanValue: string;
  readonly positiveInf: string;
  readonly negativeInf: string;
  /** The zone of timestamps without an offset (the timeZone option, the session zone by default). */
  readonly zone: ZoneRules;
  /** Custom patterns (dateFormat, timestampFormat, timestampNTZFormat); null: Spark's lenient ISO parsing. */
  readonly dateFormat: DateTimeFormatter | null;
  readonly timestampFormat: DateTimeFormatter | null;
  readonly timestampNTZFormat: DateTimeFormatter | null;
}

/**
 * A field's datum as Spark's univocity settings give it: an unquoted empty field is the
 * nullValue, a quoted empty one the emptyValue; a datum equal to the nullValue is null
 * (UnivocityParser.nullSafeDatum), whether it was quoted or not.
 */
export function csvDatum(text: string, quoted: boolean, options: Pick<CsvValueOptions, "nullValue" | "emptyValue">): string | null {
  const datum = text === "" ? (quoted ? options.emptyValue : options.nullValue) : text;
  return datum === options.nullValue ? null : datum;
}

function parseDouble(t: string, options: CsvValueOptions): number | undefined {
  if (t === options.nanValue) return NaN;
  if (t === options.positiveInf) return Infinity;
  if (t === options.negativeInf) return -Infinity;
  // Java's Double.parseDouble: NaN, [+-]Infinity, surrounding whitespace, a trailing d/f.
  const s = t.trim().replace(/[dDfF]$/, "");
  if (s === "NaN") return NaN;
  if (s === "Infinity" || s === "+Infinity") return Infinity;
  if (s === "-Infinity") return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/**
 * Converts one field's datum to `type`; undefined when it does not fit the type. As Spark's
 * UnivocityParser: integers (Integer.parseInt…), booleans and decimals (new BigDecimal) take
 * no surrounding spaces (" 12" is malformed unless ignoreLeading/TrailingWhiteSpace trimmed
 * it), while doubles (Double.parseDouble) and dates/timestamps (stringToDate) do.
 */
export function convertCsvValue(text: string, type: DataType, options: CsvValueOptions): unknown {
  switch (type.kind) {
    case "string": return text;
    case "int": {
      const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : undefined;
    }
    case "long": {
      // Long.parseLong: beyond 15 digits read exactly, beyond the long range no value.
      const t = text;
      if (!/^[+-]?\d+$/.test(t)) return undefined;
      if (t.length <= 15) return Number(t);
      const b = BigInt(t);
      return BigInt.asIntN(64, b) === b ? longOfBigInt(b) : undefined;
    }
    case "double": return parseDouble(text, options);
    case "float": {
      const v = parseDouble(text, options);
      return v === undefined ? undefined : Math.fround(v);
    }
    case "boolean": {
      const t = text.toLowerCase();
      return t === "true" ? true : t === "false" ? false : undefined;
    }
    case "byte": case "short": {
      const v = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
      const bound = type.kind === "byte" ? 128 : 32768;
      return Number.isInteger(v) && v >= -bound && v < bound ? v : undefined;
    }
    case "decimal": {
      // The field's own digits, HALF_UP to the scale; beyond the precision no value.
      const u = text === "" || text.trim() !== text ? null : parseDecimal(withoutGrouping(text), type.scale);
      return u !== null && fitsPrecision(u, type.precision) ? u : undefined;
    }
    case "timestamp":
      return (options.timestampFormat !== null ? options.timestampFormat.parse(text, options.zone) : parseTimestampMicros(text, options.zone)) ?? undefined;
    case "timestamp_ntz":
      return (options.timestampNTZFormat !== null ? options.timestampNTZFormat.parse(text, UTC) : parseTimestampNtzMicros(text)) ?? undefined;
    case "date": {
      if (options.dateFormat === null) return parseDateDays(text) ?? undefined;
      const micros = options.dateFormat.parse(text, UTC);
      return micros === null ? undefined : Math.floor(micros / MICROS_PER_DAY);
    }
    default: return undefined;
  }
}
