import { daysFromCivil, parseTimestampMicros } from "../../columnar/temporal.ts";
import { UTC, type ZoneRules } from "../../common/time-zone.ts";

/** The value of the two ASCII digits at b[i], or a negative number if either is not a digit. */
function d2(b: Uint8Array, i: number): number {
  const x = b[i]! - 48, y = b[i + 1]! - 48;
  return (x >>> 0) <= 9 && (y >>> 0) <= 9 ? x * 10 + y : -1_000_000;
}

// Consecutive events mostly share their date: the day number of the last one is kept.
let lastDateKey = -1;
let lastDays = 0;

/**
 * Microseconds of the timestamp whose UTF-8 text is b[start, end), read from the bytes:
 * a fast path for the common `yyyy-MM-ddTHH:mm:ss[.fraction]Z` form (days of month up to
 * 28, the ones every month has); anything else goes through parseTimestampMicros, which
 * gives the same value for the same text, reading a time without offset in `zone` (the
 * source's timeZone option, the session zone by default). Null when it is not a timestamp.
 */
export function timestampMicrosAt(b: Buffer, start: number, end: number, zone: ZoneRules = UTC): number | null {
  const n = end - start;
  if (n >= 20 && b[end - 1] === 90 /* Z */ && b[start + 4] === 45 && b[start + 7] === 45 &&
      b[start + 10] === 84 /* T */ && b[start + 13] === 58 && b[start + 16] === 58) {
    const y = d2(b, start) * 100 + d2(b, start + 2);
    const mo = d2(b, start + 5), d = d2(b, start + 8), h = d2(b, start + 11), mi = d2(b, start + 14), sec = d2(b, start + 17);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) {
      // The fraction: digits after the dot, to microseconds (later digits are checked, not kept).
      let frac = 0;
      let ok = n === 20;
      if (!ok && b[start + 19] === 46 /* . */ && n > 21) {
        ok = true;
        let kept = 0;
        for (let i = start + 20; i < end - 1; i++) {
          const c = b[i]! - 48;
          if ((c >>> 0) > 9) { ok = false; break; }
          if (kept < 6) { frac = frac * 10 + c; kept++; }
        }
        for (; kept < 6; kept++) frac *= 10;
      }
      if (ok) {
        const dateKey = (y * 16 + mo) * 32 + d;
        if (dateKey !== lastDateKey) {
          lastDays = daysFromCivil(y, mo, d);
          lastDateKey = dateKey;
        }
        return lastDays * 86_400_000_000 + h * 3_600_000_000 + mi * 60_000_000 + sec * 1_000_000 + frac;
      }
    }
  }
  return parseTimestampMicros(b.toString("utf8", start, end), zone);
}
