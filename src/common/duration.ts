import { AnalysisError } from "./errors.ts";

/** Microseconds in each unit Spark accepts in interval strings ("10 minutes", "1 hour"). */
const UNIT_MICROS: Record<string, number> = {
  microsecond: 1,
  millisecond: 1_000,
  second: 1_000_000,
  minute: 60_000_000,
  hour: 3_600_000_000,
  day: 86_400_000_000,
  week: 7 * 86_400_000_000,
};

const UNIT_ALIASES: Record<string, string> = {
  us: "microsecond", micro: "microsecond", micros: "microsecond",
  ms: "millisecond", milli: "millisecond", millis: "millisecond",
  s: "second", sec: "second", secs: "second",
  m: "minute", min: "minute", mins: "minute",
  h: "hour", hr: "hour", hrs: "hour",
  d: "day",
  w: "week",
};

/**
 * Months and years, where a duration may hold them (a watermark delay): Spark turns them into
 * a duration with 31 days a month (IntervalUtils.getDuration), so that a delay never falls short.
 */
const MONTH_MICROS = 31 * UNIT_MICROS.day!;
const MONTH_UNITS: Record<string, number> = { month: MONTH_MICROS, year: 12 * MONTH_MICROS };

function unitMicros(word: string, allowMonths: boolean): number | undefined {
  const lower = word.toLowerCase();
  const units = allowMonths ? { ...UNIT_MICROS, ...MONTH_UNITS } : UNIT_MICROS;
  const singular = lower.endsWith("s") && units[lower.slice(0, -1)] !== undefined ? lower.slice(0, -1) : lower;
  return units[singular] ?? units[UNIT_ALIASES[lower] ?? ""];
}

/**
 * Parses a Spark interval string ("1 hour", "10 minutes 30 seconds", "interval 5 seconds",
 * "-1 second") into microseconds. `what` names the argument in the error. Months and years
 * are accepted only with `allowMonths` (a watermark delay; a window cannot be a month long).
 */
export function parseDuration(text: string, what = "interval", { allowMonths = false } = {}): number {
  const trimmed = text.trim().replace(/^interval\s+/i, "");
  const parts = trimmed.split(/\s+/);
  if (trimmed === "" || parts.length % 2 !== 0) {
    throw new AnalysisError(`cannot parse ${what} '${text}': expected '<number> <unit>' pairs such as '10 minutes'`);
  }
  let total = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const amount = Number(parts[i]);
    const micros = unitMicros(parts[i + 1]!, allowMonths);
    if (!Number.isFinite(amount) || micros === undefined) {
      const units = [...Object.keys(UNIT_MICROS), ...(allowMonths ? Object.keys(MONTH_UNITS) : [])];
      throw new AnalysisError(
        `cannot parse ${what} '${text}': '${parts[i]} ${parts[i + 1]}' is not '<number> <unit>' with unit one of ${units.join(", ")}`,
      );
    }
    total += amount * micros;
  }
  return Math.round(total);
}

/** Renders microseconds back as Spark prints intervals in plans: "10 minutes", "1 hours 30 minutes". */
export function formatDuration(micros: number): string {
  if (micros === 0) return "0 seconds";
  const parts: string[] = [];
  let rest = Math.abs(micros);
  for (const unit of ["day", "hour", "minute", "second", "millisecond", "microsecond"]) {
    const size = UNIT_MICROS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}s`);
    rest -= n * size;
  }
  return (micros < 0 ? "-" : "") + parts.join(" ");
}
