const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Spark's JavaUtils.timeStringAsMs: a whole number with an optional unit (us, ms, s, m or
 * min, h, d; none: milliseconds), as options such as maxFileAge ("7d") and time confs take
 * it; null when the text is not one (the caller names the setting in its error).
 */
export function timeStringAsMs(text: string): number | null {
  const m = /^(-?\d+)([a-z]+)?$/.exec(text.trim().toLowerCase());
  if (m === null) return null;
  const unit = m[2] === undefined ? 1 : UNIT_MS[m[2]];
  if (unit === undefined) return null;
  return Math.floor(Number(m[1]) * unit);
}

/** Spark's wording of what a time string may be. */
export const TIME_STRING_HELP = "a time such as 50s, 100ms, 250us, 10m or 10min, 2h, 7d (no unit: milliseconds)";
