/**
 * Exact decimals (Spark's DecimalType) as internal values: the unscaled value as a bigint,
 * its scale and precision coming from the column's type (DECIMAL(5,2) holds 123.45 as
 * 12345n). A decimal vector is an "obj" vector of these bigints (vector.ts), so grouping
 * keys, state files (v8 serialization), worker messages and concatenation carry them
 * exactly with no code of their own.
 */

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10.push(p);

/** 10^n as a bigint (n ≥ 0). */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/** Whether `unscaled` has at most `precision` digits. */
export function fitsPrecision(unscaled: bigint, precision: number): boolean {
  const bound = pow10(precision);
  return unscaled < bound && unscaled > -bound;
}

/** `n / d` rounded HALF_UP (ties away from zero), as Java's RoundingMode.HALF_UP; d ≠ 0. */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const dAbs = d < 0n ? -d : d;
  if (twice < dAbs) return q;
  return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
}

/** `n / d` rounded HALF_EVEN (banker's), for bround; d > 0. */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < d) return q;
  if (twice > d) return n < 0n ? q - 1n : q + 1n;
  return q % 2n === 0n ? q : n < 0n ? q - 1n : q + 1n;
}

/** An unscaled value at scale `from` moved to scale `to` (HALF_UP when digits are dropped). */
export function rescale(unscaled: bigint, from: number, to: number): bigint {
  if (to === from) return unscaled;
  if (to > from) return unscaled * pow10(to - from);
  return divideHalfUp(unscaled, pow10(from - to));
}

/**
 * Spark's Decimal.changePrecision(precision, scale, HALF_UP) for a value at scale `from`:
 * the rescaled value, or null when it does not fit (non-ANSI overflow gives NULL).
 */
export function toPrecision(unscaled: bigint, from: number, precision: number, scale: number): bigint | null {
  const r = rescale(unscaled, from, scale);
  return fitsPrecision(r, precision) ? r : null;
}

/** Spark's rendering of a decimal (BigDecimal.toPlainString): "1.00", "-0.50", "12". */
export function formatDecimal(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (scale === 0 ? unscaled : unscaled * pow10(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, "0");
  const point = digits.length - scale;
  return `${negative ? "-" : ""}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * A DECIMAL field's text as Spark's CSV and JSON readers take it in the default (en-US) locale:
 * grouping commas dropped, so "1,000.50" is 1000.50 (ExprUtils.getDecimalParser).
 */
export function withoutGrouping(text: string): string {
  return text.includes(",") ? text.replaceAll(",", "") : text;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Decimal text ("12.5", "-.5", "1e3", "  7 ") as an unscaled value of `scale`, rounded
 * HALF_UP; null for text that is no number. Precision is the caller's to check.
 */
export function parseDecimal(text: string, scale: number): bigint | null {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (m === null) return null;
  const int = m[2]!, frac = m[3] ?? "";
  if (int === "" && frac === "") return null;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return null;
  let unscaled = BigInt(int + frac || "0");
  if (m[1] === "-") unscaled = -unscaled;
  // The text's value is unscaled × 10^(exponent − frac.length).
  return rescale(unscaled, frac.length - exponent, scale);
}

/** The precision and scale a decimal text needs as it is written (Spark's DecimalType.fromBigDecimal): "123.45" → (5, 2), "0.001" → (3, 3). */
export function decimalShape(text: string): { unscaled: bigint; precision: number; scale: number } | null {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (m === null) return null;
  const int = m[2]!, frac = m[3] ?? "";
  if (int === "" && frac === "") return null;
  let scale = frac.length - (m[4] === undefined ? 0 : Number(m[4]));
  let unscaled = BigInt(int + frac || "0");
  // rivulet does not allow negative scales (Spark's default): 1E2BD is 100 at scale 0.
  if (scale < 0) { unscaled *= pow10(-scale); scale = 0; }
  if (m[1] === "-") unscaled = -unscaled;
  const abs = unscaled < 0n ? -unscaled : unscaled;
  const digits = abs === 0n ? 1 : abs.toString().length;
  return { unscaled, precision: Math.max(digits, scale), scale };
}

/** The double nearest to a decimal (through its text, so that 0.1 is 0.1). */
export function decimalToDouble(unscaled: bigint, scale: number): number {
  if (scale === 0) return Number(unscaled);
  return Number(formatDecimal(unscaled, scale));
}

/**
 * A double as a decimal of `scale` (Spark's Decimal(double): through the double's shortest
 * decimal text, so 0.1 is 0.1, not 0.1000000000000000055…), rounded HALF_UP; null for NaN
 * and infinities. Precision is the caller's to check.
 */
export function doubleToDecimal(d: number, scale: number): bigint | null {
  if (!Number.isFinite(d)) return null;
  if (Number.isSafeInteger(d)) return BigInt(d) * pow10(scale);
  return parseDecimal(String(d), scale);
}

/** The integral part of a decimal (truncated toward zero), as Java's BigDecimal.toBigInteger. */
export function truncateDecimal(unscaled: bigint, scale: number): bigint {
  return scale === 0 ? unscaled : unscaled / pow10(scale);
}
