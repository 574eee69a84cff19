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

/** Names by zone, style and offset: a zone's name changes with its offset (summer time), and Intl is slow per row. */
const names = new Map<string, string>();

/** Java names GMT as such; ICU calls it UTC. */
const GMT_NAMES: Readonly<Record<ZoneNameStyle, string>> = { short: "GMT", long: "Greenwich Mean Time", shortGeneric: "GMT", longGeneric: "Greenwich Mean Time" };

/** The zone's name at the instant `utcMicros` (when its offset is `offsetMinutes`) in `style` (see the file comment). */
export function zoneName(zoneId: string, utcMicros: number, offsetMinutes: number, style: ZoneNameStyle): string {
  if (zoneId === "GMT" || zoneId === "Etc/GMT") return GMT_NAMES[style];
  const key = `${zoneId}|${style}|${offsetMinutes}`;
  let name = names.get(key);
  if (name === undefined) {
    name = computeName(zoneId, Math.floor(utcMicros / 1000), style);
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
