import { UTC, type ZoneRules } from "../common/time-zone.ts";
/**
 * Timestamp and date parsing and formatting on epoch numbers, without Date objects in the
 * hot loops. Timestamps are microseconds since 1970-01-01T00:00:00Z, dates days since then.
 */

/** Days since the epoch of a proleptic Gregorian civil date (Howard Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month (1-12), day] of days since the epoch. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [y + (m <= 2 ? 1 : 0), m, d];
}

const DIGIT0 = 48;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function digits(s: string, start: number, count: number): number {
  let v = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - DIGIT0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Parses "2026-01-01", "2026-01-01 10:00:00", "2026-01-01T10:00:00.123456Z",
 * "...+02:00" into microseconds since the epoch; a time without zone is in
 * `zone` (the session time zone, UTC by default), at that wall time. Returns null when the
 * text is not a timestamp (Spark's cast then yields null).
 */
export function parseTimestampMicros(text: string, zone: ZoneRules = UTC): number | null {
  const s = text.trim();
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  let micros = daysFromCivil(y, mo, d) * 86_400_000_000;
  let i = 10;
  let offsetMinutes: number | null = null;
  if (i < n && (s[i] === "T" || s[i] === " ")) {
    i++;
    const h = digits(s, i, 2), mi = digits(s, i + 3, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s[i + 2] !== ":") return null;
    micros += h * 3_600_000_000 + mi * 60_000_000;
    i += 5;
    if (s[i] === ":") {
      const sec = digits(s, i + 1, 2);
      if (sec < 0 || sec > 59) return null;
      micros += sec * 1_000_000;
      i += 3;
      if (s[i] === ".") {
        i++;
        // Microseconds: the first six digits, later ones truncated (as Spark does), in integers.
        let frac = 0, kept = 0;
        while (i < n) {
          const c = s.charCodeAt(i) - DIGIT0;
          if (c < 0 || c > 9) break;
          if (kept < 6) { frac = frac * 10 + c; kept++; }
          i++;
        }
        for (; kept < 6; kept++) frac *= 10;
        micros += frac;
      }
    }
  }
  if (i < n) {
    const c = s[i];
    if (c === "Z" || c === "z") { offsetMinutes = 0; i++; }
    else if (c === "+" || c === "-") {
      const oh = digits(s, i + 1, 2);
      const om = s[i + 3] === ":" ? digits(s, i + 4, 2) : digits(s, i + 3, 2);
      if (oh < 0 || om < 0) return null;
      offsetMinutes = (c === "-" ? -1 : 1) * (oh * 60 + om);
      i += s[i + 3] === ":" ? 6 : 5;
    } else if (s.slice(i).trim().toUpperCase() === "UTC") { offsetMinutes = 0; i = n; }
    if (i < n) return null;
  }
  return offsetMinutes === null ? zone.toUtc(micros) : micros - offsetMinutes * 60_000_000;
}

/** A wall time without zone ("2020-01-01 10:00:00"); an offset in the text is ignored, as Spark's NTZ parsing does. */
export function parseTimestampNtzMicros(text: string): number | null {
  const s = text.trim();
  const m = /^(.*?)(?:[Zz]|[+-]\d{2}:?\d{2}|\s*UTC)$/.exec(s.length > 19 ? s : "");
  return parseTimestampMicros(m && m[1]!.length >= 10 ? m[1]! : s, UTC);
}

export function parseDateDays(text: string): number | null {
  const micros = parseTimestampMicros(text);
  return micros === null ? null : Math.floor(micros / 86_400_000_000);
}

function pad(v: number, width: number): string {
  return String(v).padStart(width, "0");
}

/** "2026-01-01 10:00:00" (Spark's display form) as the clocks of `zone` show it, with fractional seconds when present. */
export function formatTimestamp(micros: number | bigint, zone: ZoneRules = UTC): string {
  let days: number, rest: number;
  if (typeof micros === "bigint") {
    // Beyond ±2^53 µs (years past 2255): split into days and the rest exactly.
    const local = micros + BigInt(Math.round(zone.offsetMinutesAt(Number(micros)) * 60_000_000));
    const dayMicros = 86_400_000_000n;
    const d = local / dayMicros - (local % dayMicros < 0n ? 1n : 0n);
    days = Number(d);
    rest = Number(local - d * dayMicros);
  } else {
    const local = micros + Math.round(zone.offsetMinutesAt(micros) * 60_000_000);
    days = Math.floor(local / 86_400_000_000);
    rest = local - days * 86_400_000_000;
  }
  const [y, m, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000_000);
  const mi = Math.floor((rest % 3_600_000_000) / 60_000_000);
  const sec = Math.floor((rest % 60_000_000) / 1_000_000);
  const frac = rest % 1_000_000;
  const base = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(sec, 2)}`;
  return frac === 0 ? base : `${base}.${pad(frac, 6).replace(/0+$/, "")}`;
}

/** ISO-8601 with 'Z', as JSON sinks write timestamps. */
export function formatTimestampIso(micros: number): string {
  const text = formatTimestamp(micros);
  return `${text.slice(0, 10)}T${text.slice(11)}Z`;
}

export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}
