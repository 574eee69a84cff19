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

export { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "./datetime-parsing.ts";

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
