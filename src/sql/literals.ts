import { timestampIsNtz } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import { addUnit, intervalUnit, MICROS_PER_DAY, parseDayTimeString, parseYearMonthString } from "../columnar/intervals.ts";
import { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "../columnar/temporal.ts";
import { Call, Literal, type Expression } from "../expr/expression.ts";
import { LONG_MAX, LONG_MIN, longOfBigInt } from "../columnar/long-values.ts";
import { decimalShape } from "../columnar/decimal-values.ts";
import { binaryLiteral } from "./binary-literal.ts";
import {
  ByteType, DateType, DayTimeIntervalType, DecimalType, DoubleType, FloatType, LongType, MAX_DECIMAL_PRECISION, ShortType, StringType,
  TimestampNTZType, YearMonthIntervalType, type DataType, type DayTimeField, type YearMonthField,
} from "../types/data-types.ts";

/**
 * SQL literals as expression nodes: the values the DataFrame API's `lit(…)` would hold,
 * so that a SQL query and its DataFrame form build the same plan.
 */

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", 0: "\0", Z: "\x1a" };

/** `count` hex digits of `body` at `at`, as a code point (undefined if any is not hex). */
function hexCode(body: string, at: number, count: number): number | undefined {
  const digits = body.slice(at, at + count);
  return digits.length === count && /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : undefined;
}

/**
 * The value of a quoted string token, as Spark's unescapeSQLString: `r'…'` / `R"…"` are raw
 * (no escapes); otherwise `''` (or `""`) is one quote, `\uXXXX` and `\UXXXXXXXX` are code points,
 * `\000`–`\177` octal characters, and the other backslash escapes as in Spark.
 */
export function unquoteString(image: string): string {
  if (image[0] === "r" || image[0] === "R") return image.slice(2, -1);
  const quote = image[0]!;
  const body = image.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < body.length) {
      const next = body[i + 1]!;
      const code = next === "u" ? hexCode(body, i + 2, 4) : next === "U" ? hexCode(body, i + 2, 8) : undefined;
      if (code !== undefined && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += next === "u" ? 5 : 9;
        continue;
      }
      // Spark reads \[01][0-7][0-7] as an octal character.
      if (/^[01][0-7][0-7]$/.test(body.slice(i + 1, i + 4))) {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 4), 8));
        i += 3;
        continue;
      }
      i++;
      // Spark keeps the backslash of \% and \_ (they are LIKE escapes).
      out += ESCAPES[next] ?? (next === "%" || next === "_" ? `\\${next}` : next);
    } else if (ch === quote && body[i + 1] === quote) {
      out += quote;
      i++;
    } else out += ch;
  }
  return out;
}

/** `name` from `` `name` `` (a doubled backquote is one). */
export function unquoteIdentifier(image: string): string {
  return image.startsWith("`") ? image.slice(1, -1).replace(/``/g, "`") : image;
}

const INTEGER_SUFFIX: Record<string, { type: DataType; name: string; min: bigint; max: bigint }> = {
  l: { type: LongType, name: "bigint", min: LONG_MIN, max: LONG_MAX },
  s: { type: ShortType, name: "smallint", min: -32768n, max: 32767n },
  y: { type: ByteType, name: "tinyint", min: -128n, max: 127n },
};

function outOfRange(text: string, name: string, min: bigint, max: bigint): AnalysisError {
  return new AnalysisError(
    `[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal ${text} is outside the valid range for ${name} ` +
    `with minimum value of ${min} and maximum value of ${max}. Please adjust the value accordingly.`,
  );
}

/**
 * 42 → INT (as `lit(42)`), 3000000000 → BIGINT, longer integers → DECIMAL (as Spark);
 * 42L → BIGINT (exact to 64 bits), 42S → SMALLINT, 42Y → TINYINT.
 */
export function integerLiteral(image: string, negative: boolean): Expression {
  const suffix = /[lLsSyY]$/.test(image) ? INTEGER_SUFFIX[image.slice(-1).toLowerCase()]! : null;
  const digits = suffix !== null ? image.slice(0, -1) : image;
  const big = BigInt(digits) * (negative ? -1n : 1n);
  const text = `${negative ? "-" : ""}${digits}`;
  if (suffix !== null) {
    if (big < suffix.min || big > suffix.max) throw outOfRange(text, suffix.name, suffix.min, suffix.max);
    return Literal.create(suffix.type === LongType ? longOfBigInt(big) : Number(big), suffix.type);
  }
  if (BigInt.asIntN(64, big) !== big) return exactDecimalLiteral(text);
  const value = longOfBigInt(big);
  return typeof value === "bigint" ? Literal.create(value, LongType) : Literal.create(value, null);
}

/** A decimal literal as written: 123.45 is DECIMAL(5,2) (Spark's DecimalType.fromBigDecimal). */
function exactDecimalLiteral(text: string): Literal {
  const shape = decimalShape(text)!;
  if (shape.precision > MAX_DECIMAL_PRECISION) {
    throw new AnalysisError(
      `[DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION] Decimal precision ${shape.precision} exceeds max precision ${MAX_DECIMAL_PRECISION}.`,
    );
  }
  return Literal.create(shape.unscaled, DecimalType(shape.precision, shape.scale));
}

/**
 * Spark's fractional literals: 1.5 and .5 are DECIMAL (exact, as written); with an exponent
 * (1e3, 1.5E-2) DOUBLE; suffixes D → DOUBLE, F → FLOAT, BD → DECIMAL.
 */
export function decimalLiteral(image: string, negative: boolean): Expression {
  const lower = image.toLowerCase();
  const sign = negative ? "-" : "";
  if (lower.endsWith("bd")) return exactDecimalLiteral(sign + image.slice(0, -2));
  if (lower.endsWith("f")) return Literal.create(Math.fround(Number(sign + image.slice(0, -1))), FloatType);
  if (lower.endsWith("d")) return Literal.create(Number(sign + image.slice(0, -1)), DoubleType);
  if (lower.includes("e")) return Literal.create(Number(sign + image), DoubleType);
  return exactDecimalLiteral(sign + image);
}

export function stringLiteral(value: string): Literal {
  return Literal.create(value, null);
}

/**
 * DATE '2026-01-01' is a literal; TIMESTAMP '2026-01-01 00:00:00' is a wall time of the
 * session time zone (unless the text has an offset), which the parser does not know: it is
 * checked here and becomes CAST('…' AS TIMESTAMP), which constant folding (or each batch)
 * evaluates in the session's zone, as Spark reads the literal. X '4142' is a binary, as X'4142'.
 */
export function typedLiteral(kind: string, text: string, origin?: { line: number; column: number }): Expression {
  // Bare TIMESTAMP '…' is of spark.sql.timestampType (Spark 3.4+).
  if (kind === "TIMESTAMP" && timestampIsNtz()) kind = "TIMESTAMP_NTZ";
  if (kind === "TIMESTAMP_NTZ") {
    const micros = parseTimestampNtzMicros(text.trim());
    if (micros === null) throw new AnalysisError(`[INVALID_TYPED_LITERAL] The value of the typed literal "TIMESTAMP_NTZ" is invalid: '${text}'.`);
    return Literal.create(micros, TimestampNTZType);
  }
  if (kind === "TIMESTAMP_LTZ") kind = "TIMESTAMP";
  // X '4142' (a space before the quote) is the typed literal form of X'4142'.
  if (kind === "X") return binaryLiteral(`X'${text}'`, origin?.line, origin?.column);
  if (kind !== "DATE" && kind !== "TIMESTAMP") {
    throw new AnalysisError(`[UNSUPPORTED_TYPED_LITERAL] Literals of the type "${kind}" are not supported. Supported types are "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP", "INTERVAL", "X".`);
  }
  if (kind === "DATE") {
    const days = parseDateDays(text.trim());
    if (days === null) throw new AnalysisError(`[INVALID_TYPED_LITERAL] The value of the typed literal DATE '${text}' is invalid`);
    return Literal.create(days, DateType);
  }
  if (parseTimestampMicros(text.trim()) === null) throw new AnalysisError(`[INVALID_TYPED_LITERAL] The value of the typed literal TIMESTAMP '${text}' is invalid`);
  // Spark names it TIMESTAMP '…' (not a CAST): a call that prints so and casts in the session zone.
  return Call.create("timestamp_literal", [Literal.create(text.trim(), StringType)]);
}

export interface IntervalPart {
  /** The value as written, a minus sign before it included ("-3", "1-2", "1 10:00:00"). */
  readonly value: string;
  readonly quoted: boolean;
  readonly unit: string | null;
  /** `… DAY TO SECOND`: the unit after TO. */
  readonly toUnit: string | null;
}

const DT_FIELD: Record<string, DayTimeField> = { week: 0, day: 0, hour: 1, minute: 2, second: 3, millisecond: 3, microsecond: 3 };
const YM_FIELD: Record<string, YearMonthField> = { year: 0, month: 1 };

function invalidInterval(source: string, detail: string): AnalysisError {
  return new AnalysisError(`[INVALID_INTERVAL_FORMAT] Error parsing '${source}' to interval: ${detail}.`);
}

/** `-'1'` is `'-1'`, `-'-1'` is `'1'`, as Spark negates a quoted interval value. */
export function negateIntervalValue(text: string): string {
  const t = text.trim();
  return t.startsWith("-") ? t.slice(1) : `-${t}`;
}

/**
 * An INTERVAL literal as Spark 3.2+ reads it (non-legacy): `INTERVAL '1-2' YEAR TO MONTH` and
 * `INTERVAL 3 YEARS` are year-month intervals, `INTERVAL '1 10:00:00' DAY TO SECOND`,
 * `INTERVAL '1' HOUR` and `INTERVAL 3 DAY 1 SECOND` day-time intervals whose fields are the
 * units written; mixing the two families is an error.
 */
export function intervalLiteral(parts: readonly IntervalPart[], source: string): Literal {
  const fromTo = parts.find((p) => p.toUnit !== null);
  if (fromTo !== undefined) {
    if (parts.length > 1) throw invalidInterval(source, "Can only have a single from-to unit in the interval literal syntax");
    if (!fromTo.quoted) throw invalidInterval(source, "The value of from-to unit must be a string");
    const from = fromTo.unit!.toLowerCase(), to = fromTo.toUnit!.toLowerCase();
    if (from === "year" && to === "month") {
      const months = parseYearMonthString(fromTo.value, 0, 1);
      if (months === null) throw invalidInterval(source, `Interval string does not match year-month format of \`[+|-]y-m\``);
      return Literal.create(months, YearMonthIntervalType(0, 1));
    }
    const f = DT_FIELD[from], t = DT_FIELD[to];
    if (f === undefined || t === undefined || from === "week" || to === "week" || t <= f || !(from in DT_FIELD && to in DT_FIELD)) {
      throw new AnalysisError(`[UNSUPPORTED_FROM_TO_INTERVAL] Intervals FROM ${from.toUpperCase()} TO ${to.toUpperCase()} are not supported.`);
    }
    const micros = parseDayTimeString(fromTo.value, f, t);
    if (micros === null) throw invalidInterval(source, `Interval string does not match day-time format of '${from.toUpperCase()} TO ${to.toUpperCase()}'`);
    return Literal.create(micros, DayTimeIntervalType(f, t));
  }
  const acc = { months: 0, days: 0, micros: 0 };
  const units: string[] = [];
  for (const p of parts) {
    if (p.unit === null) {
      // INTERVAL '1 day 2 hours': the units are in the string.
      const words = p.value.trim().replace(/^interval\s+/i, "").split(/\s+/);
      for (let i = 0; i + 1 < words.length; i += 2) {
        const unit = intervalUnit(words[i + 1]!);
        if (unit === undefined || !addUnit(acc, words[i]!, unit)) throw invalidInterval(source, `invalid unit '${words[i + 1]}'`);
        units.push(unit);
      }
      if (words.length % 2 !== 0 || words.length === 0) throw invalidInterval(source, "at least one time unit should be given for interval literal");
      continue;
    }
    const unit = intervalUnit(p.unit);
    if (unit === undefined) throw invalidInterval(source, `invalid unit '${p.unit}'`);
    if (p.quoted && /[a-z]/i.test(p.value)) {
      throw invalidInterval(source, `Can only use numbers in the interval value part for multiple unit value pairs interval form, but got invalid value: ${p.value}`);
    }
    if (!addUnit(acc, p.value, unit)) throw invalidInterval(source, `invalid value '${p.value}' for ${unit}`);
    units.push(unit);
  }
  const ym = units.filter((u) => u in YM_FIELD).map((u) => YM_FIELD[u]!);
  const dt = units.filter((u) => !(u in YM_FIELD)).map((u) => DT_FIELD[u]!);
  if (ym.length > 0 && dt.length > 0) throw new AnalysisError(`[MIXED_INTERVAL_UNITS] Cannot mix year-month and day-time fields: ${source}.`);
  if (ym.length > 0) return Literal.create(acc.months, YearMonthIntervalType(Math.min(...ym) as YearMonthField, Math.max(...ym) as YearMonthField));
  return Literal.create(acc.days * MICROS_PER_DAY + acc.micros, DayTimeIntervalType(Math.min(...dt) as DayTimeField, Math.max(...dt) as DayTimeField));
}

/** A duration for window() and WATERMARK … DELAY OF from an interval literal: "3600000000 microseconds", "2 months". */
export function intervalDurationText(e: Expression): string | undefined {
  if (e.kind !== "Literal" || e.dataType === null || typeof e.value !== "number") return undefined;
  if (e.dataType.kind === "interval_dt") return `${e.value} microseconds`;
  if (e.dataType.kind === "interval_ym") return `${e.value} months`;
  return undefined;
}
