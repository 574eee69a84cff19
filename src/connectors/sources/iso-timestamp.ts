import { daysFromCivil, parseTimestampMicros } from "../../columnar/temporal.ts";

function d2(b: Uint8Array, i: number): number {
  const x = b[i]! - 48, y = b[i + 1]! - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * Microseconds of the timestamp whose UTF-8 text is b[start, end), read from the bytes:
 * a fast path for the common `yyyy-MM-ddTHH:mm:ss[.fraction]Z` form; anything else goes
 * through parseTimestampMicros. Null when it is not a timestamp.
 */
export function timestampMicrosAt(b: Buffer, start: number, end: number): number | null {
  const n = end - start;
  if (n >= 20 && b[end - 1] === 90 /* Z */ && b[start + 4] === 45 && b[start + 7] === 45 &&
      b[start + 10] === 84 /* T */ && b[start + 13] === 58 && b[start + 16] === 58) {
    const y = d2(b, start) * 100 + d2(b, start + 2);
    const mo = d2(b, start + 5), d = d2(b, start + 8), h = d2(b, start + 11), mi = d2(b, start + 14), sec = d2(b, start + 17);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59) {
      let frac = 0;
      let ok = true;
      if (n > 20) {
        if (b[start + 19] !== 46 /* . */ || n === 21) ok = false;
        let scale = 100_000;
        for (let i = start + 20; ok && i < end - 1; i++) {
          const c = b[i]! - 48;
          if (c < 0 || c > 9) ok = false;
          else { frac += c * scale; scale /= 10; }
        }
      }
      if (ok) return daysFromCivil(y, mo, d) * 86_400_000_000 + h * 3_600_000_000 + mi * 60_000_000 + sec * 1_000_000 + Math.floor(frac);
    }
  }
  return parseTimestampMicros(b.toString("utf8", start, end));
}
