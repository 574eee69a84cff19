import { UTC, zoneRules, type ZoneRules } from "../common/time-zone.ts";
import { daysFromCivil } from "./temporal.ts";

/**
 * Spark's lenient string → DATE / TIMESTAMP parsing (SparkDateTimeUtils.stringToDate and
 * parseTimestampString), used by casts, typed literals and the file readers:
 * - dates: `[+-]yyyy*`, `[+-]yyyy*-[m]m`, `[+-]yyyy*-[m]m-[d]d`, and after a full date a space or
 *   `T` and anything at all;
 * - timestamps: the same dates, then `[ T][h]h:[m]m[:[s]s[.fraction]][zone]`, or a time alone
 *   (`[T][h]h:[m]m…`, on today's date in the zone); the zone is `Z`, `+|-[h]h[:[m]m]`, `UTC`,
 *   `GMT+1`, a region…
 * Text around is trimmed (whitespace and control characters); anything else is null.
 */

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const DIGIT0 = 48;

const isBlank = (c: number): boolean => c <= 32 || c === 127;

function trimmedRange(s: string): [number, number] {
  let a = 0, b = s.length;
  while (a < b && isBlank(s.charCodeAt(a))) a++;
  while (b > a && isBlank(s.charCodeAt(b - 1))) b--;
  return [a, b];
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** Days since the epoch of a date string, as Spark's stringToDate; null when it is not one. */
export function parseDateDays(text: string): number | null {
  const [start, end] = trimmedRange(text);
  if (start === end) return null;
  let j = start, sign = 1;
  const first = text.charCodeAt(j);
  if (first === 45 || first === 43) { sign = first === 45 ? -1 : 1; j++; }
  const segments = [1, 1, 1];
  let i = 0, value = 0, digits = 0;
  const validDigits = (): boolean => (i === 0 ? digits >= 4 && digits <= 7 : digits > 0 && digits <= 2);
  for (; j < end && i < 3; j++) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 84) break; // ' ' or 'T': the rest is ignored
    if (i < 2 && c === 45) {
      if (!validDigits()) return null;
      segments[i++] = value;
      value = 0;
      digits = 0;
    } else {
      const d = c - DIGIT0;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
      digits++;
    }
  }
  if (!validDigits()) return null;
  // `yyyy` and `yyyy-[m]m` must be the whole text.
  if (i < 2 && j < end) return null;
  segments[i] = value;
  const y = sign * segments[0]!, m = segments[1]!, d = segments[2]!;
  return validDate(y, m, d) ? daysFromCivil(y, m, d) : null;
}

/** A timestamp string's fields: the wall time as µs since 1970-01-01T00:00, the zone written in it, and whether it had no date. */
interface TimestampFields {
  readonly localMicros: number;
  readonly zone: string | null;
  readonly justTime: boolean;
}

/** Spark's parseTimestampString: segments year, month, day, hour, minute, second, fraction, then a zone. */
function timestampFields(text: string): TimestampFields | null {
  const [start, end] = trimmedRange(text);
  if (start === end) return null;
  const segments = [1, 1, 1, 0, 0, 0, 0, 0, 0];
  let i = 0, value = 0, digits = 0, fractionDigits = 0;
  let j = start, yearSign = 0, justTime = false;
  let zone: string | null = null;
  const first = text.charCodeAt(j);
  if (first === 45 || first === 43) { yearSign = first === 45 ? -1 : 1; j++; }
  const validDigits = (segment: number): boolean => segment === 6
    || (segment === 0 && digits >= 4 && digits <= 6)
    || (segment === 7 && digits <= 2)
    || (segment !== 0 && segment !== 6 && segment !== 7 && digits > 0 && digits <= 2);
  const close = (segment: number): boolean => {
    if (!validDigits(segment)) return false;
    segments[segment] = value;
    value = 0;
    digits = 0;
    return true;
  };
  for (; j < end; j++) {
    const c = text.charCodeAt(j);
    const d = c - DIGIT0;
    if (d >= 0 && d <= 9) {
      if (i === 6) fractionDigits++;
      // Digits past the microseconds are dropped.
      if (i !== 6 || digits < 6) value = value * 10 + d;
      digits++;
      continue;
    }
    if (j === start && c === 84) { justTime = true; i += 3; }
    else if (i < 2) {
      if (c === 45) { if (!close(i)) return null; i++; }
      else if (i === 0 && c === 58 && yearSign === 0) {
        justTime = true;
        if (!close(3)) return null;
        i = 4;
      } else return null;
    } else if (i === 2) {
      if (c !== 32 && c !== 84) return null;
      if (!close(i)) return null;
      i++;
    } else if (i === 3 || i === 4) {
      if (c !== 58 || !close(i)) return null;
      i++;
    } else if (i === 5 || i === 6) {
      if (c === 46 && i === 5) {
        if (!close(i)) return null;
        i++;
      } else {
        if (!close(i)) return null;
        i++;
        zone = text.slice(j, end);
        j = end - 1;
        if (i === 6) i++;
      }
    } else {
      if (!(i < segments.length && (c === 58 || c === 32)) || !close(i)) return null;
      i++;
    }
  }
  if (!close(i)) return null;
  let fraction = segments[6]!;
  for (; fractionDigits < 6; fractionDigits++) fraction *= 10;
  const [y, mo, d, h, mi, s] = segments as [number, number, number, number, number, number];
  const year = yearSign === 0 ? y : yearSign * y;
  if (h > 23 || mi > 59 || s > 59) return null;
  if (!justTime && !validDate(year, mo, d)) return null;
  const time = ((h * 60 + mi) * 60 + s) * MICROS_PER_SECOND + fraction;
  return { localMicros: (justTime ? 0 : daysFromCivil(year, mo, d) * MICROS_PER_DAY) + time, zone, justTime };
}

/** A zone written in a timestamp, as Spark's getZoneId (also `+h:mm` and `+hh:m`); null when unknown. */
function writtenZone(text: string): ZoneRules | null {
  const id = text.trim().replace(/^([+-])(\d):/, "$10$2:").replace(/^([+-]\d\d):(\d)$/, "$1:0$2");
  try {
    return zoneRules(id);
  } catch {
    return null;
  }
}

/**
 * Microseconds since the epoch of a timestamp string, as Spark's stringToTimestamp: a wall time
 * without a zone is in `zone` (the session time zone); null when the text is not a timestamp.
 */
export function parseTimestampMicros(text: string, zone: ZoneRules = UTC): number | null {
  const f = timestampFields(text);
  if (f === null) return null;
  const rules = f.zone === null ? zone : writtenZone(f.zone);
  if (rules === null) return null;
  if (!f.justTime) return rules.toUtc(f.localMicros);
  // A time alone is on today's date in that zone.
  const now = Date.now() * 1000;
  const today = Math.floor((now + rules.offsetMinutesAt(now) * 60_000_000) / MICROS_PER_DAY);
  return rules.toUtc(today * MICROS_PER_DAY + f.localMicros);
}

/** A wall time without zone ("2020-01-01 10:00:00"); a zone in the text is ignored, as Spark's stringToTimestampWithoutTimeZone. */
export function parseTimestampNtzMicros(text: string): number | null {
  const f = timestampFields(text);
  return f === null || f.justTime ? null : f.localMicros;
}
