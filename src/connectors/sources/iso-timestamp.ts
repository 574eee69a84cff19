import { daysFromCivil, parseTimestampMicros } from "../../columnar/temporal.ts";

function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Microseconds of the timestamp text s[start, end), without slicing it: a fast path for
 * the common `yyyy-MM-ddTHH:mm:ss[.fraction]Z` form; anything else goes through
 * parseTimestampMicros. Null when it is not a timestamp.
 */
export function timestampMicrosAt(s: string, start: number, end: number): number | null {
  const n = end - start;
  if (n >= 20 && s.charCodeAt(end - 1) === 90 /* Z */ && s.charCodeAt(start + 4) === 45 && s.charCodeAt(start + 7) === 45 &&
      s.charCodeAt(start + 10) === 84 /* T */ && s.charCodeAt(start + 13) === 58 && s.charCodeAt(start + 16) === 58) {
    const y = d2(s, start) * 100 + d2(s, start + 2);
    const mo = d2(s, start + 5), d = d2(s, start + 8), h = d2(s, start + 11), mi = d2(s, start + 14), sec = d2(s, start + 17);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) {
      let frac = 0;
      let ok = true;
      if (n > 20) {
        if (s.charCodeAt(start + 19) !== 46 /* . */ || n === 21) ok = false;
        let scale = 100_000;
        for (let i = start + 20; ok && i < end - 1; i++) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) ok = false;
          else { frac += c * scale; scale /= 10; }
        }
      }
      if (ok) return daysFromCivil(y, mo, d) * 86_400_000_000 + h * 3_600_000_000 + mi * 60_000_000 + sec * 1_000_000 + Math.floor(frac);
    }
  }
  return parseTimestampMicros(s.slice(start, end));
}
