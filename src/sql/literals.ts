import { AnalysisError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";
import { parseDateDays, parseTimestampMicros } from "../columnar/temporal.ts";
import { Cast, Literal, anyNode, type Expression } from "../expr/expression.ts";
import { LONG_MAX, LONG_MIN, longOfBigInt } from "../columnar/long-values.ts";
import { decimalShape } from "../columnar/decimal-values.ts";
import {
  ByteType, DateType, DecimalType, DoubleType, FloatType, LongType, MAX_DECIMAL_PRECISION, ShortType, StringType,
  TimestampType, type DataType,
} from "../types/data-types.ts";

/**
 * SQL literals as expression nodes: the values the DataFrame API's `lit(…)` would hold,
 * so that a SQL query and its DataFrame form build the same plan.
 */

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", 0: "\0", Z: "\x1a" };

/** The value of a quoted string token: `''` (or `""`) is one quote; backslash escapes as in Spark. */
export function unquoteString(image: string): string {
  const quote = image[0]!;
  const body = image.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\" && i + 1 < body.length) {
      const next = body[++i]!;
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
 * evaluates in the session's zone, as Spark reads the literal.
 */
export function typedLiteral(kind: "TIMESTAMP" | "DATE", text: string): Expression {
  if (kind === "DATE") {
    const days = parseDateDays(text.trim());
    if (days === null) throw new AnalysisError(`[INVALID_TYPED_LITERAL] The value of the typed literal DATE '${text}' is invalid`);
    return Literal.create(days, DateType);
  }
  if (parseTimestampMicros(text.trim()) === null) throw new AnalysisError(`[INVALID_TYPED_LITERAL] The value of the typed literal TIMESTAMP '${text}' is invalid`);
  return Cast.create(Literal.create(text.trim(), StringType), TimestampType);
}

/**
 * rivulet has no interval type: an INTERVAL literal is its text ("10 minutes") wherever
 * Spark takes a duration — window() durations and WATERMARK … DELAY OF. It is marked so
 * that any other use is reported rather than read as a string.
 */
const intervals = new WeakSet<Expression>();

export function intervalLiteral(parts: readonly { value: string; unit: string | null }[]): Literal {
  const text = parts.map((p) => (p.unit === null ? p.value : `${p.value} ${p.unit}`)).join(" ");
  parseDuration(text, "INTERVAL literal", { allowMonths: true });
  const lit = Literal.create(text, StringType);
  intervals.add(lit);
  return lit;
}

export function isIntervalLiteral(e: Expression): boolean {
  return intervals.has(e);
}

/** Rejects interval literals left where no duration is taken. */
export function checkNoIntervals(e: Expression): Expression {
  if (anyNode(e, (x) => intervals.has(x))) {
    throw new AnalysisError("INTERVAL literals are supported as window() durations and in WATERMARK … DELAY OF; rivulet has no interval arithmetic yet");
  }
  return e;
}
