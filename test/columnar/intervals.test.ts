import { describe, expect, it } from "vitest";
import {
  calendarInterval, formatCalendarInterval, formatDayTimeInterval, formatYearMonthInterval,
  parseAnsiIntervalString, parseCalendarInterval, parseDayTimeString, parseYearMonthString,
} from "../../src/columnar/intervals.ts";
import { parseDataType } from "../../src/types/ddl.ts";
import { typeName } from "../../src/types/data-types.ts";

const H = 3_600_000_000, M = 60_000_000, S = 1_000_000, D = 24 * H;

describe("interval values as Spark prints them (ANSI style)", () => {
  it("day-time intervals of every field range", () => {
    expect(formatDayTimeInterval(H, 0, 3)).toBe("INTERVAL '0 01:00:00' DAY TO SECOND");
    expect(formatDayTimeInterval(H, 1, 1)).toBe("INTERVAL '01' HOUR");
    expect(formatDayTimeInterval(D + 10 * H, 0, 3)).toBe("INTERVAL '1 10:00:00' DAY TO SECOND");
    expect(formatDayTimeInterval(3 * D, 0, 0)).toBe("INTERVAL '3' DAY");
    expect(formatDayTimeInterval(90 * M, 1, 2)).toBe("INTERVAL '01:30' HOUR TO MINUTE");
    expect(formatDayTimeInterval(2 * S, 3, 3)).toBe("INTERVAL '02' SECOND");
    expect(formatDayTimeInterval(1_500_000, 2, 3)).toBe("INTERVAL '00:01.5' MINUTE TO SECOND");
    expect(formatDayTimeInterval(-(D + 1), 0, 3)).toBe("INTERVAL '-1 00:00:00.000001' DAY TO SECOND");
    expect(formatDayTimeInterval(100 * H, 1, 1)).toBe("INTERVAL '100' HOUR");
  });

  it("year-month intervals", () => {
    expect(formatYearMonthInterval(14, 0, 1)).toBe("INTERVAL '1-2' YEAR TO MONTH");
    expect(formatYearMonthInterval(-14, 0, 1)).toBe("INTERVAL '-1-2' YEAR TO MONTH");
    expect(formatYearMonthInterval(36, 0, 0)).toBe("INTERVAL '3' YEAR");
    expect(formatYearMonthInterval(14, 1, 1)).toBe("INTERVAL '14' MONTH");
  });

  it("legacy calendar intervals (CalendarInterval.toString)", () => {
    expect(formatCalendarInterval(calendarInterval(14, 3, 4 * H + 5 * M + 6_500_000))).toBe("1 years 2 months 3 days 4 hours 5 minutes 6.5 seconds");
    expect(formatCalendarInterval(calendarInterval(0, 0, 0))).toBe("0 seconds");
    expect(formatCalendarInterval(calendarInterval(-1, -2, -S))).toBe("-1 months -2 days -1 seconds");
  });
});

describe("interval text read back", () => {
  it("day-time strings of the from-to forms", () => {
    expect(parseDayTimeString("1 10:00:00", 0, 3)).toBe(D + 10 * H);
    expect(parseDayTimeString("-1 10:00:00.5", 0, 3)).toBe(-(D + 10 * H + 500_000));
    expect(parseDayTimeString("10:30", 1, 2)).toBe(10 * H + 30 * M);
    expect(parseDayTimeString("1 25:00:00", 0, 3)).toBeNull();
    expect(parseDayTimeString("abc", 0, 3)).toBeNull();
  });

  it("year-month strings", () => {
    expect(parseYearMonthString("1-2", 0, 1)).toBe(14);
    expect(parseYearMonthString("-1-2", 0, 1)).toBe(-14);
    expect(parseYearMonthString("1-12", 0, 1)).toBeNull();
    expect(parseYearMonthString("3", 0, 0)).toBe(36);
  });

  it("a string cast to an ANSI interval takes its ANSI form (fields must match) or the bare value", () => {
    expect(parseAnsiIntervalString("INTERVAL '0 01:00:00' DAY TO SECOND", "interval_dt", 0, 3)).toBe(H);
    expect(parseAnsiIntervalString("interval -'1' hour", "interval_dt", 1, 1)).toBe(-H);
    expect(parseAnsiIntervalString("INTERVAL '01' HOUR", "interval_dt", 0, 3)).toBeNull();
    expect(parseAnsiIntervalString("1 10:00:00", "interval_dt", 0, 3)).toBe(D + 10 * H);
    expect(parseAnsiIntervalString("INTERVAL '1-2' YEAR TO MONTH", "interval_ym", 0, 1)).toBe(14);
  });

  it("multi-unit strings as calendar intervals", () => {
    expect(parseCalendarInterval("1 day 2 hours")).toEqual(calendarInterval(0, 1, 2 * H));
    expect(parseCalendarInterval("interval 1 year -1 month 1.5 seconds")).toEqual(calendarInterval(11, 0, 1_500_000));
    expect(parseCalendarInterval("1 fortnight")).toBeNull();
  });
});

describe("interval and NTZ type names", () => {
  it("parse from DDL and print as Spark's simpleString", () => {
    for (const name of ["interval day to second", "interval year to month", "interval hour", "interval minute to second", "interval", "timestamp_ntz", "interval day"]) {
      expect(typeName(parseDataType(name))).toBe(name);
    }
    expect(typeName(parseDataType("INTERVAL HOUR TO SECOND"))).toBe("interval hour to second");
    expect(() => parseDataType("interval second to day")).toThrow(/not supported/);
  });
});
