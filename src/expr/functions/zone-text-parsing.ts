import { zoneRules, UTC, type ZoneRules } from "../../common/time-zone.ts";
import { dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";

/**
 * Parsing zone names as java.time's DateTimeFormatter does for Spark: `VV` reads a zone id
 * (Europe/Paris), `z` a zone id or a name (PST, CET, JST…, Java's preferred zone for each),
 * `zzzz` and `vvvv` a long name (Pacific Standard Time, Central European Summer Time, Pacific
 * Time), and the wall time read with it is placed in that zone's rules (so PST and PDT both
 * read as America/Los_Angeles at that date, as Java resolves a name to its zone, not to the
 * offset the name stands for). Text is matched case-insensitively (Spark's formatters are).
 * The base formatter reads UTC/GMT and offsets itself.
 */

/** Java's zone for the abbreviations `z` reads (Locale.US, as Spark's formatters). */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  PST: "America/Los_Angeles", PDT: "America/Los_Angeles", PT: "America/Los_Angeles",
  MST: "America/Denver", MDT: "America/Denver", MT: "America/Denver",
  CST: "America/Chicago", CDT: "America/Chicago", CT: "America/Chicago",
  EST: "America/New_York", EDT: "America/New_York", ET: "America/New_York",
  AKST: "America/Anchorage", AKDT: "America/Anchorage", HST: "Pacific/Honolulu",
  BST: "Europe/London", CET: "Europe/Paris", CEST: "Europe/Paris", EET: "Europe/Helsinki", EEST: "Europe/Helsinki",
  WET: "Europe/Lisbon", WEST: "Europe/Lisbon", MSK: "Europe/Moscow", IST: "Asia/Kolkata", JST: "Asia/Tokyo", KST: "Asia/Seoul",
  HKT: "Asia/Hong_Kong", SGT: "Asia/Singapore", AEST: "Australia/Sydney", AEDT: "Australia/Sydney", NZST: "Pacific/Auckland", NZDT: "Pacific/Auckland",
};

/** A run of zone-name letters (V, z, v) outside quotes, replaced by an offset field the base formatter reads. */
function withOffsetField(pattern: string): string | null {
  let out = "";
  let quoted = false;
  let replaced = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "'") { quoted = !quoted; out += c; continue; }
    if (!quoted && (c === "V" || c === "z" || c === "v")) {
      while (pattern[i + 1] === c) i++;
      out += "XXX";
      replaced = true;
      continue;
    }
    out += c;
  }
  return replaced ? out : null;
}

/**
 * The zone Java resolves a long name to (its metazone's zone for Locale.US, else the
 * metazone's main zone): the zones above first, then one that keeps daylight time, then the
 * first by id. The names are CLDR's, as Intl gives them.
 */
const PREFERRED_ZONES = [
  ...new Set(Object.values(ABBREVIATIONS)), "Europe/Bucharest", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Halifax",
  "America/St_Johns", "Africa/Johannesburg", "Africa/Nairobi", "Africa/Maputo", "Africa/Lagos", "Asia/Shanghai", "Asia/Jerusalem",
  "Asia/Karachi", "Asia/Dubai", "Asia/Bangkok", "Asia/Jakarta", "Australia/Adelaide", "Australia/Perth",
];

let longNames: readonly (readonly [string, string])[] | null = null;

/** [lower-case long name, zone id], longest names first (so "… Standard Time" is not read as a shorter name). */
function longZoneNames(): readonly (readonly [string, string])[] {
  if (longNames !== null) return longNames;
  const byName = new Map<string, { id: string; rank: number }>();
  const winter = Date.UTC(2024, 0, 15), summer = Date.UTC(2024, 6, 15);
  const zones = [...Intl.supportedValuesOf("timeZone")].sort();
  for (const id of zones) {
    const found: string[] = [];
    for (const style of ["long", "longGeneric"] as const) {
      const f = new Intl.DateTimeFormat("en-US", { timeZone: id, timeZoneName: style });
      for (const at of [winter, summer]) {
        const name = f.formatToParts(at).find((p) => p.type === "timeZoneName")?.value;
        if (name !== undefined && !/^GMT[+-]/.test(name)) found.push(name.toLowerCase());
      }
    }
    const preferred = PREFERRED_ZONES.indexOf(id);
    const daylight = new Set(found).size > 2;
    const rank = preferred >= 0 ? preferred : PREFERRED_ZONES.length + (daylight ? 0 : 1);
    for (const name of found) {
      const held = byName.get(name);
      if (held === undefined || rank < held.rank) byName.set(name, { id, rank });
    }
  }
  byName.set("greenwich mean time", { id: "UTC", rank: 0 });
  byName.set("coordinated universal time", { id: "UTC", rank: 0 });
  longNames = [...byName].map(([name, { id }]) => [name, id] as const).sort((a, b) => b[0].length - a[0].length);
  return longNames;
}

/** The first long zone name in `text` (a whole word run), as [start, end, zone id]. */
function findLongName(text: string): [number, number, string] | null {
  const lower = text.toLowerCase();
  let best: [number, number, string] | null = null;
  for (const [name, id] of longZoneNames()) {
    const at = lower.indexOf(name);
    if (at < 0 || /[a-z]/.test(lower[at - 1] ?? "") || /[a-z]/.test(lower[at + name.length] ?? "")) continue;
    if (best === null || at < best[0]) best = [at, at + name.length, id];
  }
  return best;
}

function zoneNamed(name: string): ZoneRules | null {
  const id = ABBREVIATIONS[name.toUpperCase()] ?? name;
  // A region id has a slash (Europe/Paris); a bare word is only an abbreviation above (or UTC-like, which the base formatter reads).
  if (ABBREVIATIONS[name.toUpperCase()] === undefined && !id.includes("/")) return null;
  try {
    return zoneRules(id);
  } catch {
    return null;
  }
}

const ZONE_TEXT = /[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)+|\b[A-Z]{2,5}\b/g;

/** `fmt.parse`, reading the zone ids and names the base formatter does not know. */
export function parseWithZoneText(fmt: DateTimeFormatter, text: string, zone: ZoneRules): number | null {
  const direct = fmt.parse(text, zone);
  if (direct !== null) return direct;
  const offsetPattern = withOffsetField(fmt.pattern);
  if (offsetPattern === null) return null;
  const withOffset = dateTimeFormatter(offsetPattern, true);
  for (const m of text.matchAll(ZONE_TEXT)) {
    const rules = zoneNamed(m[0]);
    if (rules === null) continue;
    // The wall time, read as if at offset +00:00, then placed in the named zone.
    const wall = withOffset.parse(text.slice(0, m.index) + "+00:00" + text.slice(m.index + m[0].length), UTC);
    if (wall !== null) return rules.toUtc(wall);
  }
  if (!/z{4}|v{4}/.test(offsetPattern === null ? "" : fmt.pattern)) return null;
  const long = findLongName(text);
  if (long === null) return null;
  const wall = withOffset.parse(text.slice(0, long[0]) + "+00:00" + text.slice(long[1]), UTC);
  return wall === null ? null : zoneRules(long[2]).toUtc(wall);
}
