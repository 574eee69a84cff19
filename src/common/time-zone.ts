import { AnalysisError } from "./errors.ts";

/**
 * A time zone's rules (spark.sql.session.timeZone): the offset from UTC at each instant, as
 * Java's ZoneRules. A region such as "America/Los_Angeles" has the offset its rules give at
 * that instant (summer time included), never one fixed offset taken when the query starts.
 */
export interface ZoneRules {
  readonly id: string;
  /** Minutes east of UTC at the instant `utcMicros` (a fraction for old local mean times). */
  offsetMinutesAt(utcMicros: number): number;
  /**
   * The instant at which the zone's clocks show `localMicros` (a wall time as µs since
   * 1970-01-01T00:00 local): the earlier instant in an overlap, and moved later by the
   * gap's length in a gap, as Java's ZonedDateTime.ofLocal.
   */
  toUtc(localMicros: number): number;
}

const MICROS_PER_MINUTE = 60_000_000;
const MICROS_PER_DAY = 86_400_000_000;

function fixed(id: string, minutes: number): ZoneRules {
  return { id, offsetMinutesAt: () => minutes, toUtc: (local) => local - minutes * MICROS_PER_MINUTE };
}

export const UTC: ZoneRules = fixed("UTC", 0);

/** A zone always `minutes` east of UTC ("+02:00"). */
export function fixedOffset(minutes: number): ZoneRules {
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return fixed(`${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`, minutes);
}

/** Offsets are cached per quarter hour of UTC: real zones change offset only on such boundaries. */
const BUCKET_MICROS = 15 * MICROS_PER_MINUTE;
const MAX_CACHED = 200_000;

function region(id: string): ZoneRules {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: id, hourCycle: "h23", era: "short",
    year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  });
  const cache = new Map<number, number>();
  const compute = (utcMs: number): number => {
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(new Date(utcMs))) parts[p.type] = p.value;
    const year = parts.era === "BC" || parts.era === "B" ? 1 - Number(parts.year) : Number(parts.year);
    const local = new Date(0);
    local.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
    local.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
    const utcSeconds = Math.floor(utcMs / 1000) * 1000;
    return (local.getTime() - utcSeconds) / 60_000;
  };
  const offsetMinutesAt = (utcMicros: number): number => {
    const bucket = Math.floor(utcMicros / BUCKET_MICROS);
    let minutes = cache.get(bucket);
    if (minutes === undefined) {
      if (cache.size >= MAX_CACHED) cache.clear();
      minutes = compute((bucket * BUCKET_MICROS) / 1000);
      cache.set(bucket, minutes);
    }
    return minutes;
  };
  const toUtc = (local: number): number => {
    // The offsets a day either side; transitions are never closer together than that.
    const before = offsetMinutesAt(local - MICROS_PER_DAY);
    const after = offsetMinutesAt(local + MICROS_PER_DAY);
    const early = local - Math.round(before * MICROS_PER_MINUTE);
    const late = local - Math.round(after * MICROS_PER_MINUTE);
    const earlyValid = offsetMinutesAt(early) === before;
    const lateValid = offsetMinutesAt(late) === after;
    if (earlyValid && lateValid) return Math.min(early, late);
    if (earlyValid) return early;
    if (lateValid) return late;
    return early; // in a gap: the wall time moved later by the gap's length
  };
  return { id, offsetMinutesAt, toUtc };
}

const zones = new Map<string, ZoneRules>([["UTC", UTC]]);

/**
 * The rules of a zone ID as Spark accepts them: a region ("Europe/Paris"), "UTC"/"GMT"/"Z",
 * or an offset ("+02:00", "-0800", "UTC+5", "GMT-05:30"). An unknown ID is an error with
 * Spark's words, never UTC in disguise.
 */
export function zoneRules(id: string): ZoneRules {
  const known = zones.get(id);
  if (known !== undefined) return known;
  const rules = parseZone(id.trim());
  if (rules === null) {
    throw new AnalysisError(
      `[INVALID_CONF_VALUE.TIME_ZONE] The value '${id}' in the config "spark.sql.session.timeZone" is invalid. Cannot resolve the given timezone.`,
    );
  }
  zones.set(id, rules);
  return rules;
}

function parseZone(id: string): ZoneRules | null {
  if (/^(UTC|GMT|UT|Z)$/i.test(id)) return fixed(id, 0);
  const m = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(id);
  if (m) {
    const hours = Number(m[2]), minutes = Number(m[3] ?? 0);
    if (hours > 18 || minutes > 59) return null;
    return fixed(id, (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes));
  }
  try {
    return region(id);
  } catch {
    return null;
  }
}
