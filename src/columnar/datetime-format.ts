import { civilFromDays, daysFromCivil } from "./temporal.ts";
import type { ZoneRules } from "../common/time-zone.ts";
import { zoneName } from "./zone-names.ts";
import { compilePattern, MICROS_PER_DAY, MONTHS, QUARTERS, WEEKDAYS, type Node } from "./datetime-pattern.ts";
import { emptyParsed, parseNodes, resolveParsed } from "./datetime-pattern-parse.ts";

/**
 * Spark 3 datetime patterns (`yyyy-MM-dd HH:mm:ss`, `dd/MMM/yyyy:HH:mm:ss Z`,
 * `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`) compiled once into a formatter and a strict parser over
 * epoch microseconds, as Spark's DateTimeFormatter-based TimestampFormatter behaves:
 * English names, case-insensitive text, the whole input must match, invalid dates fail,
 * fractions parse 1..n digits, missing fields default to 1970-01-01 00:00:00.
 */
export interface DateTimeFormatter {
  readonly pattern: string;
  /** Formats µs since the epoch as the clocks of `zone` show that instant. */
  format(micros: number, zone: ZoneRules): string;
  /** µs since the epoch, or null when `text` does not match; text without a zone is a wall time of `zone`. */
  parse(text: string, zone: ZoneRules): number | null;
}


interface Parts {
  year: number; month: number; day: number; dayOfYear: number; dayOfWeek: number;
  hour: number; minute: number; second: number; micros: number; offsetMinutes: number;
  /** The zone and the instant, for zone names (z, v, VV). */
  zoneId: string; utcMicros: number;
}

function partsOf(micros: number, offsetMinutes: number, zoneId: string): Parts {
  const local = micros + Math.round(offsetMinutes * 60_000_000);
  const days = Math.floor(local / MICROS_PER_DAY);
  const tod = local - days * MICROS_PER_DAY;
  const [year, month, day] = civilFromDays(days);
  return {
    year, month, day,
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
    dayOfWeek: (((days + 3) % 7) + 7) % 7, // 0 = Monday
    hour: Math.floor(tod / 3_600_000_000),
    minute: Math.floor((tod % 3_600_000_000) / 60_000_000),
    second: Math.floor((tod % 60_000_000) / 1_000_000),
    micros: tod % 1_000_000,
    offsetMinutes,
    zoneId, utcMicros: micros,
  };
}

const pad = (v: number, width: number): string => (v < 0 ? "-" + String(-v).padStart(width, "0") : String(v).padStart(width, "0"));

/** Seconds east of UTC: an offset in minutes may be fractional (a local mean time such as -07:52:58). */
const offsetSeconds = (minutes: number): number => Math.round(minutes * 60);

/**
 * java.time's offset patterns: "+HHmm" (minutes only when not zero), "+HHMM", "+HH:MM",
 * "+HHMMss" and "+HH:MM:ss" (seconds only when not zero). Seconds a pattern has no place
 * for are dropped, as Java's.
 */
function offsetText(minutes: number, colon: boolean, shape: "HHmm" | "HHMM" | "HHMMss"): string {
  const total = offsetSeconds(minutes);
  const sign = total < 0 ? "-" : "+";
  const a = Math.abs(total);
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), sec = a % 60;
  const sep = colon ? ":" : "";
  let out = sign + pad(h, 2);
  if (shape === "HHmm" && m === 0) return out;
  out += sep + pad(m, 2);
  if (shape === "HHMMss" && sec !== 0) out += sep + pad(sec, 2);
  return out;
}

/** Localized offsets (O, OOOO, ZZZZ): GMT+H[:MM[:SS]] short, GMT+HH:MM[:SS] long; GMT for zero. */
function gmtText(minutes: number, long: boolean): string {
  const total = offsetSeconds(minutes);
  if (total === 0) return "GMT";
  const sign = total < 0 ? "-" : "+";
  const a = Math.abs(total), h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60), sec = a % 60;
  const seconds = sec === 0 ? "" : `:${pad(sec, 2)}`;
  if (long) return `GMT${sign}${pad(h, 2)}:${pad(m, 2)}${seconds}`;
  return `GMT${sign}${h}${m === 0 && sec === 0 ? "" : ":" + pad(m, 2)}${seconds}`;
}

function formatField(letter: string, count: number, p: Parts): string {
  switch (letter) {
    case "G": return count === 4 ? "Anno Domini" : "AD";
    case "y": return count === 2 ? pad(((p.year % 100) + 100) % 100, 2) : pad(p.year, count);
    case "M": case "L":
      if (count === 3) return MONTHS[p.month - 1]!.slice(0, 3);
      if (count === 4) return MONTHS[p.month - 1]!;
      return pad(p.month, count);
    case "d": return pad(p.day, count);
    case "D": return pad(p.dayOfYear, count);
    case "Q": case "q": {
      const q = Math.floor((p.month - 1) / 3) + 1;
      return count === 3 ? `Q${q}` : count === 4 ? QUARTERS[q - 1]! : pad(q, count);
    }
    case "E": return count === 4 ? WEEKDAYS[p.dayOfWeek]! : WEEKDAYS[p.dayOfWeek]!.slice(0, 3);
    case "F": return String(Math.floor((p.day - 1) / 7) + 1);
    case "a": return p.hour < 12 ? "AM" : "PM";
    case "H": return pad(p.hour, count);
    case "k": return pad(p.hour === 0 ? 24 : p.hour, count);
    case "K": return pad(p.hour % 12, count);
    case "h": return pad(p.hour % 12 === 0 ? 12 : p.hour % 12, count);
    case "m": return pad(p.minute, count);
    case "s": return pad(p.second, count);
    case "S": return (pad(p.micros, 6) + "000").slice(0, count);
    case "Z":
      if (count === 4) return gmtText(p.offsetMinutes, true);
      if (count === 5) return offsetSeconds(p.offsetMinutes) === 0 ? "Z" : offsetText(p.offsetMinutes, true, "HHMMss");
      return offsetText(p.offsetMinutes, false, "HHMM");
    case "X": case "x": {
      if (letter === "X" && offsetSeconds(p.offsetMinutes) === 0) return "Z";
      if (count === 1) return offsetText(p.offsetMinutes, false, "HHmm");
      return offsetText(p.offsetMinutes, count === 3 || count === 5, count >= 4 ? "HHMMss" : "HHMM");
    }
    case "O": return gmtText(p.offsetMinutes, count === 4);
    case "z": return zoneName(p.zoneId, p.utcMicros, p.offsetMinutes, count === 4 ? "long" : "short");
    case "v": return zoneName(p.zoneId, p.utcMicros, p.offsetMinutes, count === 4 ? "longGeneric" : "shortGeneric");
    case "V": return p.zoneId;
    default: return "";
  }
}

function formatNodes(nodes: readonly Node[], p: Parts): string {
  let out = "";
  for (const n of nodes) {
    if (n.kind === "literal") out += n.text;
    else if (n.kind === "optional") out += formatNodes(n.nodes, p);
    else out += formatField(n.letter, n.count, p);
  }
  return out;
}

const cache = new Map<string, DateTimeFormatter>();

/**
 * The formatter for a Spark datetime pattern, compiled once and cached. `forParsing`
 * also rejects the letters Spark allows only for formatting (E, F, q, Q).
 */
export function dateTimeFormatter(pattern: string, forParsing = false): DateTimeFormatter {
  const key = `${forParsing ? "p" : "f"}:${pattern}`;
  let f = cache.get(key);
  if (f === undefined) {
    const nodes = compilePattern(pattern, forParsing);
    f = {
      pattern,
      format: (micros, zone) => formatNodes(nodes, partsOf(micros, zone.offsetMinutesAt(micros), zone.id)),
      parse(text, zone) {
        const parsed = emptyParsed();
        const end = parseNodes(nodes, text, 0, parsed);
        return end !== text.length ? null : resolveParsed(parsed, zone);
      },
    };
    if (cache.size > 256) cache.clear();
    cache.set(key, f);
  }
  return f;
}

/** Spark's default pattern for unix_timestamp and from_unixtime. */
export const DEFAULT_TIMESTAMP_PATTERN = "yyyy-MM-dd HH:mm:ss";
