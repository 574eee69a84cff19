import {
  DAY_TIME_FIELDS, YEAR_MONTH_FIELDS, type DayTimeField, type YearMonthField,
} from "../types/data-types.ts";

/**
 * Interval values as Spark holds and prints them. A day-time interval (DayTimeIntervalType)
 * is an exact number of microseconds, a year-month interval (YearMonthIntervalType) a number
 * of months, and the legacy CalendarInterval the triple below.
 */

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 86_400_000_000;

/** Spark's CalendarInterval: months, days and microseconds, each with its own sign. */
export interface CalendarInterval {
  readonly months: number;
  readonly days: number;
  readonly microseconds: number;
}

export function calendarInterval(months: number, days: number, microseconds: number): CalendarInterval {
  return Object.freeze({ months, days, microseconds });
}

/** BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString() for micros ≥ 0. */
function secondsText(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_SECOND);
  const frac = micros - whole * MICROS_PER_SECOND;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(6, "0").replace(/0+$/, "")}`;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** `INTERVAL '0 01:00:00' DAY TO SECOND`, `INTERVAL '01' HOUR`: Spark's ANSI style (IntervalUtils.toDayTimeIntervalString). */
export function formatDayTimeInterval(micros: number, start: DayTimeField, end: DayTimeField): string {
  const sign = micros < 0 ? "-" : "";
  let rest = Math.abs(micros);
  let text = sign;
  const take = (unit: number): number => {
    const n = Math.floor(rest / unit);
    rest -= n * unit;
    return n;
  };
  const seconds = (): string => (rest < 10 * MICROS_PER_SECOND ? "0" : "") + secondsText(rest);
  switch (start) {
    case 0: text += String(take(MICROS_PER_DAY)); break;
    case 1: text += pad2(take(MICROS_PER_HOUR)); break;
    case 2: text += pad2(take(MICROS_PER_MINUTE)); break;
    case 3: text += seconds(); break;
  }
  if (start < 1 && end >= 1) text += ` ${pad2(take(MICROS_PER_HOUR))}`;
  if (start < 2 && end >= 2) text += `:${pad2(take(MICROS_PER_MINUTE))}`;
  if (start < 3 && end >= 3) text += `:${seconds()}`;
  const from = DAY_TIME_FIELDS[start].toUpperCase();
  return `INTERVAL '${text}' ${start === end ? from : `${from} TO ${DAY_TIME_FIELDS[end].toUpperCase()}`}`;
}

/** `INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL '3' YEAR`, `INTERVAL '14' MONTH`. */
export function formatYearMonthInterval(months: number, start: YearMonthField, end: YearMonthField): string {
  const sign = months < 0 ? "-" : "";
  const abs = Math.abs(months);
  const year = `${sign}${Math.floor(abs / 12)}`;
  if (start !== end) return `INTERVAL '${year}-${abs % 12}' YEAR TO MONTH`;
  return start === 0 ? `INTERVAL '${year}' YEAR` : `INTERVAL '${months}' MONTH`;
}

/** Hive style, as Spark's HiveResult (spark-sql, golden files) prints a day-time interval: "1 10:00:00.000000000". */
export function formatDayTimeIntervalHive(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  let rest = Math.abs(micros);
  const days = Math.floor(rest / MICROS_PER_DAY);
  rest -= days * MICROS_PER_DAY;
  const h = Math.floor(rest / MICROS_PER_HOUR);
  rest -= h * MICROS_PER_HOUR;
  const m = Math.floor(rest / MICROS_PER_MINUTE);
  rest -= m * MICROS_PER_MINUTE;
  const s = Math.floor(rest / MICROS_PER_SECOND);
  const nanos = (rest - s * MICROS_PER_SECOND) * 1000;
  return `${sign}${days} ${pad2(h)}:${pad2(m)}:${pad2(s)}.${String(nanos).padStart(9, "0")}`;
}

/** Hive style of a year-month interval: "1-2", "-1-2". */
export function formatYearMonthIntervalHive(months: number): string {
  const abs = Math.abs(months);
  return `${months < 0 ? "-" : ""}${Math.floor(abs / 12)}-${abs % 12}`;
}

/** CalendarInterval.toString: "1 years 2 months 3 days 4 hours 5.5 seconds", "0 seconds". */
export function formatCalendarInterval(v: CalendarInterval): string {
  if (v.months === 0 && v.days === 0 && v.microseconds === 0) return "0 seconds";
  const parts: string[] = [];
  const unit = (n: number, name: string): void => { if (n !== 0) parts.push(`${n} ${name}`); };
  unit(Math.trunc(v.months / 12), "years");
  unit(v.months % 12, "months");
  unit(v.days, "days");
  let rest = v.microseconds;
  unit(Math.trunc(rest / MICROS_PER_HOUR), "hours");
  rest %= MICROS_PER_HOUR;
  unit(Math.trunc(rest / MICROS_PER_MINUTE), "minutes");
  rest %= MICROS_PER_MINUTE;
  if (rest !== 0) parts.push(`${rest < 0 ? "-" : ""}${secondsText(Math.abs(rest))} seconds`);
  return parts.join(" ");
}

// ---------- parsing ----------

const UNIT_NAMES: Record<string, string> = {
  year: "year", years: "year", month: "month", months: "month", week: "week", weeks: "week",
  day: "day", days: "day", hour: "hour", hours: "hour", minute: "minute", minutes: "minute",
  second: "second", seconds: "second", millisecond: "millisecond", milliseconds: "millisecond",
  microsecond: "microsecond", microseconds: "microsecond",
};

/** The unit a word names ("HOURS" → "hour"), or undefined. */
export function intervalUnit(word: string): string | undefined {
  return UNIT_NAMES[word.toLowerCase()];
}

const UNIT_MICROS: Record<string, number> = {
  week: 7 * MICROS_PER_DAY, day: MICROS_PER_DAY, hour: MICROS_PER_HOUR, minute: MICROS_PER_MINUTE,
  second: MICROS_PER_SECOND, millisecond: 1000, microsecond: 1,
};

/** Decimal text × unit in whole microseconds, without the rounding of a double product. */
function scaled(value: string, unitMicros: number): number | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return null;
  const frac = (m[3] ?? "").slice(0, 9).padEnd(9, "0");
  const total = BigInt(m[2] || "0") * BigInt(unitMicros) + (BigInt(frac) * BigInt(unitMicros)) / 1_000_000_000n;
  const signed = m[1] === "-" ? -total : total;
  return Number(signed);
}

/** One `value unit` pair added into an interval; null when the value does not fit the unit. */
export function addUnit(acc: { months: number; days: number; micros: number }, value: string, unit: string): boolean {
  if (unit === "year" || unit === "month") {
    if (!/^[+-]?\d+$/.test(value.trim())) return false;
    acc.months += Number(value) * (unit === "year" ? 12 : 1);
    return true;
  }
  if (unit === "day" || unit === "week") {
    if (/^[+-]?\d+$/.test(value.trim())) { acc.days += Number(value) * (unit === "week" ? 7 : 1); return true; }
  }
  const micros = scaled(value, UNIT_MICROS[unit]!);
  if (micros === null) return false;
  acc.micros += micros;
  return true;
}

/** "1 day 2 hours", "interval 3 seconds", "-1 month": a CalendarInterval (Spark's stringToInterval); null if not one. */
export function parseCalendarInterval(text: string): CalendarInterval | null {
  const words = text.trim().split(/\s+/);
  if (words[0]?.toLowerCase() === "interval") words.shift();
  if (words.length === 0 || words[0] === "") return null;
  const acc = { months: 0, days: 0, micros: 0 };
  for (let i = 0; i < words.length; i++) {
    let value = words[i]!;
    // "1day": a number glued to its unit.
    let unitWord = words[i + 1];
    const glued = /^([+-]?[\d.]+)([a-zA-Z]+)$/.exec(value);
    if (glued) { value = glued[1]!; unitWord = glued[2]; } else i++;
    const unit = unitWord === undefined ? undefined : intervalUnit(unitWord);
    if (unit === undefined || !addUnit(acc, value, unit)) return null;
  }
  return calendarInterval(acc.months, acc.days, acc.micros);
}

/** Microseconds of a day-time string of fields `start`..`end` ("1 10:00:00", "10:30", "-05.5"); null if malformed. */
export function parseDayTimeString(text: string, start: DayTimeField, end: DayTimeField): number | null {
  const s = text.trim();
  const m = /^([+-])?(.*)$/.exec(s)!;
  const negative = m[1] === "-";
  const body = m[2]!;
  const separators: string[] = [];
  for (let f = start + 1; f <= end; f++) separators.push(f === 1 ? " " : ":");
  const fields: string[] = [];
  let rest = body;
  for (const sep of separators) {
    const at = rest.indexOf(sep);
    if (at < 0) return null;
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  const limits = [Infinity, 23, 59, 59.999999];
  const units = [MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND];
  let total = 0;
  for (let k = 0; k < fields.length; k++) {
    const f = start + k;
    const text = fields[k]!;
    const ok = f === 3 ? /^\d+(\.\d{0,9})?$/.test(text) : /^\d+$/.test(text);
    if (!ok) return null;
    // The leading field may be as large as it likes; the others stay within a day, an hour, a minute.
    if (k > 0 && Number(text) > limits[f]!) return null;
    total += scaled(text, units[f]!)!;
  }
  return negative ? -total : total;
}

/** Months of "1-2" / "-1-2" (YEAR TO MONTH), or of "14" with one field; null if malformed. */
export function parseYearMonthString(text: string, start: YearMonthField, end: YearMonthField): number | null {
  const s = text.trim();
  if (start !== end) {
    const m = /^([+-])?(\d+)-(\d+)$/.exec(s);
    if (!m || Number(m[3]) > 11) return null;
    const months = Number(m[2]) * 12 + Number(m[3]);
    return m[1] === "-" ? -months : months;
  }
  const m = /^([+-])?(\d+)$/.exec(s);
  if (!m) return null;
  const n = Number(m[2]) * (start === 0 ? 12 : 1);
  return m[1] === "-" ? -n : n;
}

/**
 * The value of a string cast to an ANSI interval type: its ANSI form (`INTERVAL '1 10:00:00'
 * DAY TO SECOND`, whose fields must match) or the bare value in the type's fields.
 */
export function parseAnsiIntervalString(
  text: string, kind: "interval_dt" | "interval_ym", start: number, end: number,
): number | null {
  const ansi = /^\s*interval\s+([+-])?\s*'([^']*)'\s+(\w+)(?:\s+to\s+(\w+))?\s*$/i.exec(text);
  let body = text;
  if (ansi) {
    const names: readonly string[] = kind === "interval_dt" ? DAY_TIME_FIELDS : YEAR_MONTH_FIELDS;
    const from = names.indexOf(ansi[3]!.toLowerCase());
    const to = ansi[4] === undefined ? from : names.indexOf(ansi[4].toLowerCase());
    if (from !== start || to !== end) return null;
    body = ansi[1] === "-" ? (ansi[2]!.trim().startsWith("-") ? ansi[2]!.trim().slice(1) : `-${ansi[2]!.trim()}`) : ansi[2]!;
  }
  return kind === "interval_dt"
    ? parseDayTimeString(body, start as DayTimeField, end as DayTimeField)
    : parseYearMonthString(body, start as YearMonthField, end as YearMonthField);
}
