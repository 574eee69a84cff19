import { zoneRules, UTC, type ZoneRules } from "../../common/time-zone.ts";
import { dateTimeFormatter, type DateTimeFormatter } from "../../columnar/datetime-format.ts";

/**
 * Parsing zone names as java.time's DateTimeFormatter does for Spark: `VV` reads a zone id
 * (Europe/Paris), `z` a zone id or a name (PST, CET, JST…, Java's preferred zone for each),
 * and the wall time read with it is placed in that zone's rules (so PST and PDT both read as
 * America/Los_Angeles at that date). The base formatter reads UTC/GMT and offsets itself.
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

function zoneNamed(name: string): ZoneRules | null {
  const id = ABBREVIATIONS[name] ?? name;
  // A region id has a slash (Europe/Paris); a bare word is only an abbreviation above (or UTC-like, which the base formatter reads).
  if (ABBREVIATIONS[name] === undefined && !id.includes("/")) return null;
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
  return null;
}
