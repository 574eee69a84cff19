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

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

/** stringToDate's digit counts: years 4–7 digits, month and day 1–2. */
function validDateDigits(segment: number, digits: number): boolean {
  return segment === 0 ? digits >= 4 && digits <= 7 : digits > 0 && digits <= 2;
}

/** Year, month, day of the date being parsed: reused, never escapes. */
const dateFields = new Int32Array(3);

/** Days since the epoch of a date string, as Spark's stringToDate; null when it is not one. */
export function parseDateDays(text: string): number | null {
  let start = 0, end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  let j = start, sign = 1;
  const first = text.charCodeAt(j);
  if (first === 45 || first === 43) { sign = first === 45 ? -1 : 1; j++; }
  const fields = dateFields;
  fields[0] = 1; fields[1] = 1; fields[2] = 1;
  let i = 0, value = 0, digits = 0;
  for (; j < end && i < 3; j++) {
    const c = text.charCodeAt(j);
    if (c === 32 || c === 84) break; // ' ' or 'T': the rest is ignored
    if (i < 2 && c === 45) {
      if (!validDateDigits(i, digits)) return null;
      fields[i++] = value;
      value = 0;
      digits = 0;
    } else {
      const d = c - DIGIT0;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
      digits++;
    }
  }
  if (!validDateDigits(i, digits)) return null;
  // `yyyy` and `yyyy-[m]m` must be the whole text.
  if (i < 2 && j < end) return null;
  fields[i] = value;
  const y = sign * fields[0]!, m = fields[1]!, d = fields[2]!;
  return validDate(y, m, d) ? daysFromCivil(y, m, d) : null;
}

/** What timestampFields read besides the wall time (µs since 1970-01-01T00:00): the zone written, and whether there was no date. */
let parsedZone: string | null = null;
let parsedJustTime = false;

/** parseTimestampString's digit counts: years 4–6 digits, the fraction any (truncated), a zone's hours 0–2, the rest 1–2. */
function validTimestampDigits(segment: number, digits: number): boolean {
  return segment === 6 || (segment === 0 ? digits >= 4 && digits <= 6 : segment === 7 ? digits <= 2 : digits > 0 && digits <= 2);
}

/** Segment values of the timestamp being parsed (year, month, day, hour, minute, second, µs, zone parts): reused, never escapes. */
const segments = new Int32Array(9);

/** Spark's parseTimestampString: segments year, month, day, hour, minute, second, fraction, then a zone. */
function timestampFields(text: string): number | null {
  let start = 0, end = text.length;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  if (start === end) return null;
  segments.fill(0);
  segments[0] = 1; segments[1] = 1; segments[2] = 1;
  let i = 0, value = 0, digits = 0, fractionDigits = 0;
  let j = start, yearSign = 0, justTime = false;
  let zone: string | null = null;
  const first = text.charCodeAt(j);
  if (first === 45 || first === 43) { yearSign = first === 45 ? -1 : 1; j++; }
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
    // Which segment the separator closes, or -1 when the text is not a timestamp.
    let closes = -1;
    if (j === 0 && c === 84) { justTime = true; i += 3; continue; }
    if (i < 2) {
      if (c === 45) closes = i;
      else if (i === 0 && c === 58 && yearSign === 0) { justTime = true; closes = 3; }
    } else if (i === 2) {
      if (c === 32 || c === 84) closes = 2;
    } else if (i === 3 || i === 4) {
      if (c === 58) closes = i;
    } else if (i === 5 || i === 6) {
      closes = i;
      if (c !== 46 || i === 6) { zone = c === 90 && j === end - 1 ? "Z" : text.slice(j, end); j = end - 1; }
    } else if (i < 9 && (c === 58 || c === 32)) {
      closes = i;
    }
    if (closes < 0 || !validTimestampDigits(closes, digits)) return null;
    segments[closes] = value;
    value = 0;
    digits = 0;
    i = closes === 3 && justTime && i === 0 ? 4 : closes + 1;
    if (zone !== null && i === 6) i = 7;
  }
  if (!validTimestampDigits(i, digits)) return null;
  segments[i] = value;
  let fraction = segments[6]!;
  for (; fractionDigits < 6; fractionDigits++) fraction *= 10;
  const year = yearSign === 0 ? segments[0]! : yearSign * segments[0]!;
  const mo = segments[1]!, d = segments[2]!, h = segments[3]!, mi = segments[4]!, sec = segments[5]!;
  if (h > 23 || mi > 59 || sec > 59) return null;
  if (!justTime && !validDate(year, mo, d)) return null;
  const time = ((h * 60 + mi) * 60 + sec) * MICROS_PER_SECOND + fraction;
  parsedZone = zone;
  parsedJustTime = justTime;
  return (justTime ? 0 : daysFromCivil(year, mo, d) * MICROS_PER_DAY) + time;
}

/** Zones as written in timestamps, looked up once per spelling (a file repeats one or two). */
const writtenZones = new Map<string, ZoneRules | null>();

/** A zone written in a timestamp, as Spark's getZoneId (also `+h:mm` and `+hh:m`); null when unknown. */
function writtenZone(text: string): ZoneRules | null {
  if (text === "Z") return UTC;
  let rules = writtenZones.get(text);
  if (rules !== undefined) return rules;
  const id = text.trim().replace(/^([+-])(\d):/, "$10$2:").replace(/^([+-]\d\d):(\d)$/, "$1:0$2");
  try {
    rules = zoneRules(id);
  } catch {
    rules = null;
  }
  if (writtenZones.size >= 1000) writtenZones.clear();
  writtenZones.set(text, rules);
  return rules;
}

/**
 * Microseconds since the epoch of a timestamp string, as Spark's stringToTimestamp: a wall time
 * without a zone is in `zone` (the session time zone); null when the text is not a timestamp.
 */
export function parseTimestampMicros(text: string, zone: ZoneRules = UTC): number | null {
  const local = timestampFields(text);
  if (local === null) return null;
  const rules = parsedZone === null ? zone : writtenZone(parsedZone);
  if (rules === null) return null;
  if (!parsedJustTime) return rules.toUtc(local);
  // A time alone is on today's date in that zone.
  const now = Date.now() * 1000;
  const today = Math.floor((now + rules.offsetMinutesAt(now) * 60_000_000) / MICROS_PER_DAY);
  return rules.toUtc(today * MICROS_PER_DAY + local);
}

/** A wall time without zone ("2020-01-01 10:00:00"); a zone in the text is ignored, as Spark's stringToTimestampWithoutTimeZone. */
export function parseTimestampNtzMicros(text: string): number | null {
  const local = timestampFields(text);
  return local === null || parsedJustTime ? null : local;
}
