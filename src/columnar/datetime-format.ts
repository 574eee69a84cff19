import { AnalysisError } from "../common/errors.ts";
import { civilFromDays, daysFromCivil } from "./temporal.ts";
import type { ZoneRules } from "../common/time-zone.ts";
import { zoneName } from "./zone-names.ts";

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

type Node =
  | { readonly kind: "literal"; readonly text: string }
  | { kind: "field"; readonly letter: string; readonly count: number; minWidth: number; maxWidth: number }
  | { readonly kind: "optional"; readonly nodes: Node[] };

const MICROS_PER_DAY = 86_400_000_000;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const QUARTERS = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];

const WEEK_BASED = new Set(["Y", "W", "w", "u", "e", "c"]);
const NOT_FOR_PARSING = new Set(["E", "F", "q", "Q"]);
/** Letter → the largest count Spark accepts. */
const MAX_COUNT: Record<string, number> = {
  G: 4, y: 6, M: 4, L: 4, d: 2, D: 3, Q: 4, q: 4, E: 4, F: 1, a: 1,
  h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, V: 2, z: 4, O: 4, v: 4, X: 5, x: 5, Z: 5,
};

function isNumeric(n: Node): boolean {
  if (n.kind !== "field") return false;
  if ("MLQq".includes(n.letter)) return n.count <= 2;
  return "yDdFhKkHmsS".includes(n.letter);
}

function widths(letter: string, count: number): [number, number] {
  switch (letter) {
    case "y": return count === 2 ? [2, 2] : [count, 10];
    case "D": return [count, 3];
    case "S": return [1, count];
    case "Q": case "q": case "F": return [count, count];
    default: return count === 1 ? [1, 2] : [2, 2];
  }
}

function invalid(pattern: string, why: string): never {
  throw new AnalysisError(`invalid datetime pattern '${pattern}': ${why}`);
}

/** Pattern text → nodes; throws AnalysisError on patterns Spark 3 rejects. */
function compilePattern(pattern: string, forParsing: boolean): Node[] {
  const stack: Node[][] = [[]];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === "'") {
      let j = i + 1, text = "";
      for (;;) {
        if (j >= pattern.length) invalid(pattern, "unterminated quote");
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      top.push({ kind: "literal", text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if (c === "[") {
      const nodes: Node[] = [];
      top.push({ kind: "optional", nodes });
      stack.push(nodes);
      i++;
    } else if (c === "]") {
      if (stack.length === 1) invalid(pattern, "']' without a matching '['");
      stack.pop();
      i++;
    } else if (/[a-zA-Z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const count = j - i;
      if (WEEK_BASED.has(c)) {
        throw new AnalysisError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_WEEK_BASED_PATTERN] You may get a different result due to the upgrading to Spark >= 3.0: All week-based patterns are unsupported since Spark 3.0, detected week-based character: ${c}. Please use the SQL function EXTRACT instead.`);
      }
      const max = MAX_COUNT[c];
      if (max === undefined) invalid(pattern, `illegal pattern character '${c}'`);
      if (count > max || ((c === "O" || c === "v") && count !== 1 && count !== 4) || (c === "V" && count !== 2)) invalid(pattern, `too many pattern letters: ${c.repeat(count)}`);
      if (forParsing && NOT_FOR_PARSING.has(c)) invalid(pattern, `the symbol '${c}' can only be used for datetime formatting, not parsing`);
      const [minWidth, maxWidth] = widths(c, count);
      top.push({ kind: "field", letter: c, count, minWidth, maxWidth });
      i = j;
    } else if (c === "{" || c === "}" || c === "#") {
      invalid(pattern, `reserved character '${c}'`);
    } else {
      top.push({ kind: "literal", text: c });
      i++;
    }
  }
  if (stack.length !== 1) invalid(pattern, "'[' without a matching ']'");
  fixAdjacentWidths(stack[0]!);
  return stack[0]!;
}

/** Java's adjacent value parsing: a variable-width number right before another number takes its minimum width ("yyyyMMdd"). */
function fixAdjacentWidths(nodes: Node[]): void {
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.kind === "optional") fixAdjacentWidths(n.nodes);
    else if (n.kind === "field" && isNumeric(n) && nodes[k + 1] !== undefined && isNumeric(nodes[k + 1]!)) {
      if (n.letter === "y" && n.count !== 2) n.minWidth = n.maxWidth = Math.max(n.count, 4);
      else if (n.letter === "S") n.minWidth = n.maxWidth = n.count;
      else n.maxWidth = n.minWidth;
    }
  }
}

// ---------- formatting ----------

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

// ---------- parsing ----------

interface Parsed {
  year: number | null; month: number | null; day: number | null; dayOfYear: number | null;
  hour: number | null; hour12: number | null; hour0to11: number | null; pm: boolean | null;
  minute: number; second: number; micros: number; offset: number | null;
}

const emptyParsed = (): Parsed => ({
  year: null, month: null, day: null, dayOfYear: null, hour: null, hour12: null, hour0to11: null, pm: null,
  minute: 0, second: 0, micros: 0, offset: null,
});

/** Reads min..max ASCII digits at `pos`; returns [value, end] or null. */
function readDigits(s: string, pos: number, min: number, max: number): [number, number] | null {
  let v = 0, i = pos;
  while (i < s.length && i - pos < max) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
    i++;
  }
  return i - pos < min ? null : [v, i];
}

function readWord(s: string, pos: number, words: readonly string[]): [number, number] | null {
  // Longest match first, case-insensitively (Spark's formatters parse case-insensitively).
  let best: [number, number] | null = null;
  words.forEach((w, k) => {
    if (s.length - pos >= w.length && s.slice(pos, pos + w.length).toLowerCase() === w.toLowerCase() && (best === null || w.length > best[1] - pos)) {
      best = [k, pos + w.length];
    }
  });
  return best;
}

/** [+-]HH, [+-]HHMM, [+-]HH:MM as the pattern allows; returns [minutes, end]. */
function readOffset(s: string, pos: number, form: "HH[MM]" | "HHMM" | "HH:MM", zText: boolean): [number, number] | null {
  if (zText && (s[pos] === "Z" || s[pos] === "z")) return [0, pos + 1];
  const sign = s[pos] === "+" ? 1 : s[pos] === "-" ? -1 : 0;
  if (sign === 0) return null;
  const h = readDigits(s, pos + 1, 2, 2);
  if (h === null || h[0] > 18) return null;
  let end = h[1], m = 0;
  if (form === "HH:MM") {
    if (s[end] !== ":") return null;
    const mm = readDigits(s, end + 1, 2, 2);
    if (mm === null) return null;
    [m, end] = mm;
  } else {
    const mm = readDigits(s, end, 2, 2);
    if (mm !== null) [m, end] = mm;
    else if (form === "HHMM") return null;
  }
  if (m > 59) return null;
  return [sign * (h[0] * 60 + m), end];
}

function readGmt(s: string, pos: number): [number, number] | null {
  if (s.slice(pos, pos + 3).toUpperCase() !== "GMT") return null;
  const p = pos + 3;
  const sign = s[p] === "+" ? 1 : s[p] === "-" ? -1 : 0;
  if (sign === 0) return [0, p];
  const h = readDigits(s, p + 1, 1, 2);
  if (h === null) return null;
  let m = 0, end = h[1];
  if (s[end] === ":") {
    const mm = readDigits(s, end + 1, 2, 2);
    if (mm === null) return null;
    [m, end] = mm;
  }
  return [sign * (h[0] * 60 + m), end];
}

/** Zone names without a time-zone database: UTC/GMT/UT/Z and their offset forms. */
function readZoneName(s: string, pos: number): [number, number] | null {
  const rest = s.slice(pos);
  const m = /^(?:Etc\/)?(UTC|GMT|UT|Z)(?=$|[^A-Za-z])/i.exec(rest);
  if (m) {
    const after = pos + m[0].length;
    const off = readOffset(s, after, "HH:MM", false) ?? readOffset(s, after, "HH[MM]", false);
    return off ?? [0, after];
  }
  return readOffset(s, pos, "HH:MM", false);
}

function parseField(n: Extract<Node, { kind: "field" }>, s: string, pos: number, out: Parsed): number {
  const num = (): [number, number] | null => readDigits(s, pos, n.minWidth, n.maxWidth);
  let r: [number, number] | null;
  switch (n.letter) {
    case "G": r = readWord(s, pos, ["AD", "Anno Domini"]); break;
    case "y":
      r = num();
      if (r) out.year = n.count === 2 ? 2000 + r[0] : r[0];
      break;
    case "M": case "L":
      r = n.count === 3 ? readWord(s, pos, MONTHS.map((x) => x.slice(0, 3))) : n.count === 4 ? readWord(s, pos, MONTHS) : num();
      if (r) out.month = n.count >= 3 ? r[0] + 1 : r[0];
      break;
    case "d": r = num(); if (r) out.day = r[0]; break;
    case "D": r = num(); if (r) out.dayOfYear = r[0]; break;
    case "a":
      r = readWord(s, pos, ["AM", "PM"]);
      if (r) out.pm = r[0] === 1;
      break;
    case "H": r = num(); if (r) out.hour = r[0]; break;
    case "k": r = num(); if (r) out.hour = r[0] === 24 ? 0 : r[0] > 24 ? 99 : r[0]; break;
    case "h": r = num(); if (r) out.hour12 = r[0]; break;
    case "K": r = num(); if (r) out.hour0to11 = r[0]; break;
    case "m": r = num(); if (r) out.minute = r[0]; break;
    case "s": r = num(); if (r) out.second = r[0]; break;
    case "S":
      r = num();
      if (r) {
        const digits = r[1] - pos;
        out.micros = digits <= 6 ? r[0] * 10 ** (6 - digits) : Math.floor(r[0] / 10 ** (digits - 6));
      }
      break;
    case "Z":
      r = n.count === 4 ? readGmt(s, pos) : n.count === 5 ? readOffset(s, pos, "HH:MM", true) : readOffset(s, pos, "HHMM", false);
      if (r) out.offset = r[0];
      break;
    case "X": case "x": {
      const form = n.count === 1 ? "HH[MM]" : n.count === 3 || n.count === 5 ? "HH:MM" : "HHMM";
      r = readOffset(s, pos, form, n.letter === "X");
      if (r) out.offset = r[0];
      break;
    }
    case "O": r = readGmt(s, pos); if (r) out.offset = r[0]; break;
    case "z": case "V": case "v": r = readZoneName(s, pos); if (r) out.offset = r[0]; break;
    default: r = null;
  }
  return r === null ? -1 : r[1];
}

/** Parses `nodes` from `pos`; returns the end position or -1. */
function parseNodes(nodes: readonly Node[], s: string, pos: number, out: Parsed): number {
  for (const n of nodes) {
    if (n.kind === "literal") {
      if (s.slice(pos, pos + n.text.length).toLowerCase() !== n.text.toLowerCase()) return -1;
      pos += n.text.length;
    } else if (n.kind === "optional") {
      const trial = { ...out };
      const end = parseNodes(n.nodes, s, pos, trial);
      if (end >= 0) { Object.assign(out, trial); pos = end; }
    } else {
      pos = parseField(n, s, pos, out);
      if (pos < 0) return -1;
    }
  }
  return pos;
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** Resolves parsed fields strictly: invalid dates and times give null. */
function resolveParsed(p: Parsed, zone: ZoneRules): number | null {
  const year = p.year ?? 1970;
  let days: number;
  if (p.dayOfYear !== null && p.month === null && p.day === null) {
    const len = daysFromCivil(year + 1, 1, 1) - daysFromCivil(year, 1, 1);
    if (p.dayOfYear < 1 || p.dayOfYear > len) return null;
    days = daysFromCivil(year, 1, 1) + p.dayOfYear - 1;
  } else {
    const month = p.month ?? 1, day = p.day ?? 1;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    days = daysFromCivil(year, month, day);
    if (p.dayOfYear !== null && days - daysFromCivil(year, 1, 1) + 1 !== p.dayOfYear) return null;
  }
  let hour = p.hour;
  if (hour === null && (p.hour12 !== null || p.hour0to11 !== null)) {
    const h12 = p.hour12 ?? p.hour0to11!;
    if (p.hour12 !== null && (h12 < 1 || h12 > 12)) return null;
    if (p.hour0to11 !== null && h12 > 11) return null;
    hour = (h12 % 12) + (p.pm ? 12 : 0);
  } else if (hour !== null && p.pm !== null && (hour >= 12) !== p.pm) {
    return null;
  }
  // Spark: a missing hour with PM is noon, otherwise midnight.
  hour ??= p.pm ? 12 : 0;
  if (hour > 23 || p.minute > 59 || p.second > 59) return null;
  const local = days * MICROS_PER_DAY + hour * 3_600_000_000 + p.minute * 60_000_000 + p.second * 1_000_000 + p.micros;
  return p.offset !== null ? local - p.offset * 60_000_000 : zone.toUtc(local);
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
