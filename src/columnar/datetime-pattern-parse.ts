import type { ZoneRules } from "../common/time-zone.ts";
import { MICROS_PER_DAY, MONTHS, type Node } from "./datetime-pattern.ts";
import { daysFromCivil } from "./temporal.ts";

/** Strict parsing of text against compiled datetime pattern nodes (Spark's TimestampFormatter.parse). */
interface Parsed {
  year: number | null; month: number | null; day: number | null; dayOfYear: number | null;
  hour: number | null; hour12: number | null; hour0to11: number | null; pm: boolean | null;
  minute: number; second: number; micros: number; offset: number | null;
}

export const emptyParsed = (): Parsed => ({
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
export function parseNodes(nodes: readonly Node[], s: string, pos: number, out: Parsed): number {
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
export function resolveParsed(p: Parsed, zone: ZoneRules): number | null {
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
