import { zoneRules } from "../common/time-zone.ts";

/**
 * Time-zone names as java.time's DateTimeFormatter prints them in Locale.US (Spark's
 * formatters): `z` PDT, `zzzz` Pacific Daylight Time, `v` PT, `vvvv` Pacific Time, `VV` the
 * zone id. Node's ICU gives the long names Java takes from CLDR; for short names ICU's en-US
 * data knows only the American abbreviations and prints "GMT+2" elsewhere, where Java falls
 * back to its own abbreviations (CEST, IST, JST…): those come from the long name below.
 * A zone Intl does not know (a fixed offset such as +05:30) is named by its id, as Java
 * names a ZoneOffset.
 */
export type ZoneNameStyle = "short" | "long" | "shortGeneric" | "longGeneric";

/** Java's abbreviation for a CLDR long (or generic) name ICU has no en-US abbreviation for. */
const JAVA_ABBREVIATIONS: Readonly<Record<string, string>> = {
  "Coordinated Universal Time": "UTC", "Greenwich Mean Time": "GMT", "British Summer Time": "BST", "Irish Standard Time": "IST",
  "Central European Standard Time": "CET", "Central European Summer Time": "CEST", "Central European Time": "CET",
  "Eastern European Standard Time": "EET", "Eastern European Summer Time": "EEST", "Eastern European Time": "EET",
  "Western European Standard Time": "WET", "Western European Summer Time": "WEST", "Western European Time": "WET",
  "Moscow Standard Time": "MSK", "India Standard Time": "IST", "Pakistan Standard Time": "PKT", "Gulf Standard Time": "GST",
  "Israel Standard Time": "IST", "Israel Daylight Time": "IDT", "Israel Time": "IT",
  "China Standard Time": "CST", "Japan Standard Time": "JST", "Korean Standard Time": "KST", "Hong Kong Standard Time": "HKT",
  "Singapore Standard Time": "SGT", "Indochina Time": "ICT", "Western Indonesia Time": "WIB",
  "Australian Eastern Standard Time": "AEST", "Australian Eastern Daylight Time": "AEDT", "Australian Eastern Time": "AET",
  "Australian Central Standard Time": "ACST", "Australian Central Daylight Time": "ACDT", "Australian Central Time": "ACT",
  "Australian Western Standard Time": "AWST", "Australian Western Time": "AWT",
  "New Zealand Standard Time": "NZST", "New Zealand Daylight Time": "NZDT", "New Zealand Time": "NZT",
  "Brasilia Standard Time": "BRT", "Brasilia Summer Time": "BRST", "Argentina Standard Time": "ART",
  "South Africa Standard Time": "SAST", "East Africa Time": "EAT", "Central Africa Time": "CAT", "West Africa Standard Time": "WAT",
};

const formats = new Map<string, Intl.DateTimeFormat | null>();

function intlFormat(zoneId: string, style: ZoneNameStyle): Intl.DateTimeFormat | null {
  const key = `${style}|${zoneId}`;
  let f = formats.get(key);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", { timeZone: zoneId, timeZoneName: style });
    } catch {
      f = null; // not a zone Intl knows: a fixed offset
    }
    formats.set(key, f);
  }
  return f;
}

function intlName(zoneId: string, style: ZoneNameStyle, utcMs: number): string | null {
  const f = intlFormat(zoneId, style);
  return f === null ? null : f.formatToParts(utcMs).find((p) => p.type === "timeZoneName")?.value ?? null;
}

/**
 * Names by zone, style and daylight saving: what Java's name depends on (its names are fixed
 * per zone — standard, daylight, generic — whatever the year). Intl is slow per row.
 */
const names = new Map<string, string>();

/** Java names GMT as such; ICU calls it UTC. */
const GMT_NAMES: Readonly<Record<ZoneNameStyle, string>> = { short: "GMT", long: "Greenwich Mean Time", shortGeneric: "GMT", longGeneric: "Greenwich Mean Time" };

const MICROS_PER_MS = 1000;

function yearStartMs(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  return d.getTime();
}

/** Whether the zone observes daylight saving at the instant: its offset then is above the smaller of that year's January and July offsets. */
function isDaylight(zoneId: string, utcMicros: number, offsetMinutes: number): boolean {
  let rules;
  try {
    rules = zoneRules(zoneId);
  } catch {
    return false;
  }
  const year = new Date(Math.floor(utcMicros / MICROS_PER_MS)).getUTCFullYear();
  const jan = rules.offsetMinutesAt(yearStartMs(year, 0) * MICROS_PER_MS);
  const jul = rules.offsetMinutesAt(yearStartMs(year, 6) * MICROS_PER_MS);
  return offsetMinutes > Math.min(jan, jul);
}

/**
 * An instant of a recent year at which the zone is in standard (or daylight) time, where
 * ICU knows its names (it has none before 1970); null when the zone no longer has daylight time.
 */
function referenceMs(zoneId: string, daylight: boolean): number | null {
  const winter = Date.UTC(2024, 0, 15), summer = Date.UTC(2024, 6, 15);
  let rules;
  try {
    rules = zoneRules(zoneId);
  } catch {
    return daylight ? null : winter;
  }
  const w = rules.offsetMinutesAt(winter * MICROS_PER_MS), s = rules.offsetMinutesAt(summer * MICROS_PER_MS);
  if (w === s) return daylight ? null : winter;
  const standardFirst = w < s;
  return daylight === standardFirst ? summer : winter;
}

/**
 * The zone's name at the instant `utcMicros` (when its offset is `offsetMinutes`) in `style`
 * (see the file comment). The answer depends on the zone, the style and whether daylight
 * time is in effect only, so that a row's name never depends on the rows formatted before.
 */
export function zoneName(zoneId: string, utcMicros: number, offsetMinutes: number, style: ZoneNameStyle): string {
  if (zoneId === "GMT" || zoneId === "Etc/GMT") return GMT_NAMES[style];
  const generic = style === "shortGeneric" || style === "longGeneric";
  const daylight = !generic && isDaylight(zoneId, utcMicros, offsetMinutes);
  const key = `${zoneId}|${style}|${daylight}`;
  let name = names.get(key);
  if (name === undefined) {
    const reference = referenceMs(zoneId, daylight);
    // A daylight time the zone no longer observes: named at the instant itself, uncached.
    if (reference === null) return computeName(zoneId, Math.floor(utcMicros / MICROS_PER_MS), style);
    name = computeName(zoneId, reference, style);
    if (names.size > 10_000) names.clear();
    names.set(key, name);
  }
  return name;
}

function computeName(zoneId: string, utcMs: number, style: ZoneNameStyle): string {
  const name = intlName(zoneId, style, utcMs);
  if (name === null) return zoneId;
  if (style === "longGeneric" && /^GMT[+-]/.test(name)) return computeName(zoneId, utcMs, "long"); // UTC: Coordinated Universal Time
  if (style === "long" || style === "longGeneric") return /^GMT[+-]/.test(name) ? zoneId : name;
  if (/^[A-Z]{2,5}$/.test(name)) return name; // PDT, EST, UTC, PT
  const long = intlName(zoneId, style === "short" ? "long" : "longGeneric", utcMs);
  const abbreviation = long === null ? undefined : JAVA_ABBREVIATIONS[long];
  if (abbreviation !== undefined) return abbreviation;
  return style === "shortGeneric" ? computeName(zoneId, utcMs, "short") : name;
}
