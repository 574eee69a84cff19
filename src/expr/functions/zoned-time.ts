import type { ZoneRules } from "../../common/time-zone.ts";
import { civilFromDays, daysFromCivil } from "../../columnar/temporal.ts";
import { MICROS_PER_DAY, MICROS_PER_MINUTE } from "../../columnar/intervals.ts";

/**
 * Calendar arithmetic on instants as Java's ZonedDateTime does it, which Spark uses: add to
 * the wall time the zone's clocks show, then find the instant of the new wall time, keeping
 * the old offset when it is still valid there (so adding a day across a DST change keeps the
 * clock time, and adding an exact duration never moves it). TIMESTAMP_NTZ uses UTC's rules.
 */

export const floorDiv = (a: number, b: number): number => Math.floor(a / b);

/** The offset of `zone` at instant `t`, in µs. */
export function offsetMicros(zone: ZoneRules, t: number): number {
  return Math.round(zone.offsetMinutesAt(t) * MICROS_PER_MINUTE);
}

/** The wall time (µs since 1970-01-01T00:00 local) that `zone`'s clocks show at instant `t`. */
export function localMicros(zone: ZoneRules, t: number): number {
  return t + offsetMicros(zone, t);
}

/** ZonedDateTime.ofLocal(local, zone, preferredOffset): the old offset if valid, else the zone's resolution. */
export function resolveLocal(zone: ZoneRules, local: number, preferredOffset: number): number {
  const keep = local - preferredOffset;
  return offsetMicros(zone, keep) === preferredOffset ? keep : zone.toUtc(local);
}

/** Whole days since the epoch of a wall time, and the µs into that day. */
function split(local: number): [number, number] {
  const days = floorDiv(local, MICROS_PER_DAY);
  return [days, local - days * MICROS_PER_DAY];
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** LocalDate.plusMonths: the day of month clamped to the new month's length. */
export function addMonthsToDays(days: number, months: number): number {
  const [y, m, d] = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12), nm = total - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/** ZonedDateTime.plusMonths(months).plusDays(days).plus(micros) of the instant `t`. */
export function addInterval(zone: ZoneRules, t: number, months: number, days: number, micros: number): number {
  let result = t;
  if (months !== 0 || days !== 0) {
    const offset = offsetMicros(zone, t);
    let [d, time] = split(t + offset);
    if (months !== 0) d = addMonthsToDays(d, months);
    const afterMonths = months === 0 ? t : resolveLocal(zone, d * MICROS_PER_DAY + time, offset);
    if (days === 0) result = afterMonths;
    else {
      const offset2 = offsetMicros(zone, afterMonths);
      [d, time] = split(afterMonths + offset2);
      result = resolveLocal(zone, (d + days) * MICROS_PER_DAY + time, offset2);
    }
  }
  return result + micros;
}

/** Spark's timestampAddDayTime: whole days as calendar days in the zone, the rest as an exact duration. */
export function addDayTime(zone: ZoneRules, t: number, dayTime: number): number {
  const days = Math.trunc(dayTime / MICROS_PER_DAY);
  return addInterval(zone, t, 0, days, dayTime - days * MICROS_PER_DAY);
}

/** Days since the epoch of the wall date at instant `t`. */
export function localDay(zone: ZoneRules, t: number): number {
  return floorDiv(localMicros(zone, t), MICROS_PER_DAY);
}

/** LocalDateTime.until(end, MONTHS) on two wall times. */
export function monthsBetweenLocal(start: number, end: number): number {
  const [sd, st] = split(start);
  let [ed, et] = split(end);
  if (ed > sd && et < st) ed -= 1;
  else if (ed < sd && et > st) ed += 1;
  const [y1, m1, d1] = civilFromDays(sd);
  const [y2, m2, d2] = civilFromDays(ed);
  const packed1 = (y1 * 12 + m1 - 1) * 32 + d1;
  const packed2 = (y2 * 12 + m2 - 1) * 32 + d2;
  return Math.trunc((packed2 - packed1) / 32);
}
