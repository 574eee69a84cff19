import { AnalysisError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";
import { parseDateDays, parseTimestampMicros } from "../columnar/temporal.ts";
import { Cast, Literal, anyNode, type Expression } from "../expr/expression.ts";
import { longOfBigInt } from "../columnar/long-values.ts";
import { DateType, DoubleType, LongType, StringType, TimestampType } from "../types/data-types.ts";

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

/** 42 → INT (as `lit(42)`), 3000000000 → BIGINT, 42L → BIGINT (exact to 64 bits). */
export function integerLiteral(image: string, negative: boolean): Literal {
  const isLong = /[lL]$/.test(image);
  const digits = isLong ? image.slice(0, -1) : image;
  const big = BigInt(digits) * (negative ? -1n : 1n);
  if (BigInt.asIntN(64, big) !== big) {
    // Spark reads a longer integer without a suffix as a DECIMAL, which rivulet does not have yet.
    throw new AnalysisError(
      `[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal ${negative ? "-" : ""}${digits} is outside the valid range for bigint ` +
      "with minimum value of -9223372036854775808 and maximum value of 9223372036854775807. Please adjust the value accordingly.",
    );
  }
  const value = longOfBigInt(big);
  return isLong || typeof value === "bigint" ? Literal.create(value, LongType) : Literal.create(value, null);
}

/** 1.5, 1e3, 2.0D → DOUBLE (rivulet holds decimals as doubles). */
export function decimalLiteral(image: string, negative: boolean): Literal {
  const value = Number(image.replace(/[dD]$/, ""));
  return Literal.create(negative ? -value : value, DoubleType);
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
