import { describe, expect, it } from "vitest";
import {
  civilFromDays, daysFromCivil, formatDate, formatTimestamp, formatTimestampIso, parseDateDays, parseTimestampMicros,
} from "../../src/columnar/temporal.ts";
import { batchToRows, rowsToBatch, toExternal, toInternal } from "../../src/columnar/values.ts";
import { AnalysisError } from "../../src/common/errors.ts";
import {
  ArrayType, BinaryType, BooleanType, DateType, DoubleType, IntegerType, LongType, MapType, StringType, TimestampType,
} from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { fixedOffset } from "../../src/common/time-zone.ts";

const micros = (iso: string): number => Date.parse(iso) * 1000;

describe("civil dates", () => {
  it("counts days from 1970-01-01, before 1970 too", () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    expect(daysFromCivil(2000, 3, 1)).toBe(11017);
    expect(daysFromCivil(1900, 1, 1)).toBe(-25567);
    expect(daysFromCivil(2026, 1, 1)).toBe(Date.UTC(2026, 0, 1) / 86_400_000);
  });

  it("handles leap years: 2000 and 2024 are, 1900 and 2100 are not", () => {
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2);
    expect(daysFromCivil(2024, 3, 1) - daysFromCivil(2024, 2, 28)).toBe(2);
    expect(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28)).toBe(1);
    expect(daysFromCivil(2100, 3, 1) - daysFromCivil(2100, 2, 28)).toBe(1);
    expect(civilFromDays(daysFromCivil(2024, 2, 29))).toEqual([2024, 2, 29]);
    expect(civilFromDays(daysFromCivil(2024, 2, 29) + 1)).toEqual([2024, 3, 1]);
  });

  it("civilFromDays inverts daysFromCivil over four centuries around 1970", () => {
    for (let d = -80_000; d <= 80_000; d += 37) {
      const [y, m, day] = civilFromDays(d);
      expect(daysFromCivil(y, m, day)).toBe(d);
    }
    expect(civilFromDays(-1)).toEqual([1969, 12, 31]);
    expect(civilFromDays(-719_468)).toEqual([0, 3, 1]);
  });
});

describe("parseTimestampMicros", () => {
  it("parses dates, times, 'T' separators and fractions of up to microseconds", () => {
    expect(parseTimestampMicros("2026-01-01")).toBe(micros("2026-01-01T00:00:00Z"));
    expect(parseTimestampMicros("2026-01-01 10:00")).toBe(micros("2026-01-01T10:00:00Z"));
    expect(parseTimestampMicros("2026-01-01T10:00:05")).toBe(micros("2026-01-01T10:00:05Z"));
    expect(parseTimestampMicros("2026-01-01 10:00:05.5")).toBe(micros("2026-01-01T10:00:05Z") + 500_000);
    expect(parseTimestampMicros("2026-01-01 10:00:05.123456")).toBe(micros("2026-01-01T10:00:05Z") + 123_456);
    expect(parseTimestampMicros("  2026-01-01 10:00:05.000001  ")).toBe(micros("2026-01-01T10:00:05Z") + 1);
  });

  it("applies the zone in the text, else the default offset", () => {
    const utc = micros("2026-01-01T10:00:00Z");
    expect(parseTimestampMicros("2026-01-01T10:00:00Z")).toBe(utc);
    expect(parseTimestampMicros("2026-01-01T12:00:00+02:00")).toBe(utc);
    expect(parseTimestampMicros("2026-01-01T05:30:00-0430")).toBe(utc);
    expect(parseTimestampMicros("2026-01-01 10:00:00 UTC")).toBe(utc);
    expect(parseTimestampMicros("2026-01-01 11:00:00", fixedOffset(60))).toBe(utc);
    expect(parseTimestampMicros("2026-01-01 11:00:00Z", fixedOffset(60))).toBe(micros("2026-01-01T11:00:00Z"));
  });

  it("parses times before 1970 as negative microseconds", () => {
    expect(parseTimestampMicros("1969-12-31 23:59:59.5")).toBe(-500_000);
    expect(parseTimestampMicros("1900-01-01")).toBe(-25567 * 86_400_000_000);
  });

  it("returns null for text that is not a timestamp", () => {
    for (const bad of ["", "abc", "202", "2026-13-01", "2026-00-10", "2026-01-32", "2026-01-01 25:00", "2026-01-01 10:61",
      "2026-01-01 10:00:00 junk", "2026/01/01", "2026-01-01T10:00:00+xx"]) {
      expect(parseTimestampMicros(bad), bad).toBeNull();
    }
  });

  it("returns null for days that do not exist in the month", () => {
    expect(parseTimestampMicros("2026-02-30")).toBeNull();
    expect(parseTimestampMicros("2025-02-29")).toBeNull();
    expect(parseTimestampMicros("2026-04-31 10:00:00")).toBeNull();
    expect(parseTimestampMicros("2024-02-29")).toBe(micros("2024-02-29T00:00:00Z"));
  });

  it("parseDateDays takes the day of a date or timestamp text", () => {
    expect(parseDateDays("1970-01-02")).toBe(1);
    expect(parseDateDays("1969-12-31 23:00")).toBe(-1);
    expect(parseDateDays("nope")).toBeNull();
  });
});

describe("formatting", () => {
  it("formats as Spark displays timestamps, fractions without trailing zeros", () => {
    expect(formatTimestamp(micros("2026-01-01T10:00:00Z"))).toBe("2026-01-01 10:00:00");
    expect(formatTimestamp(micros("2026-01-01T10:00:00Z") + 120_000)).toBe("2026-01-01 10:00:00.12");
    expect(formatTimestamp(micros("2026-01-01T10:00:00Z") + 1)).toBe("2026-01-01 10:00:00.000001");
    expect(formatTimestamp(micros("2026-01-01T10:00:00Z"), fixedOffset(90))).toBe("2026-01-01 11:30:00");
    expect(formatTimestamp(micros("2026-01-01T00:30:00Z"), fixedOffset(-60))).toBe("2025-12-31 23:30:00");
  });

  it("formats negative timestamps", () => {
    expect(formatTimestamp(-1)).toBe("1969-12-31 23:59:59.999999");
    expect(formatTimestamp(-86_400_000_000)).toBe("1969-12-31 00:00:00");
    expect(formatTimestampIso(-500_000)).toBe("1969-12-31T23:59:59.5Z");
  });

  it("formats dates", () => {
    expect(formatDate(0)).toBe("1970-01-01");
    expect(formatDate(-1)).toBe("1969-12-31");
    expect(formatDate(daysFromCivil(2024, 2, 29))).toBe("2024-02-29");
  });

  it("parse and format are inverse for a range of instants", () => {
    for (const t of [0, 1, -1, 1_700_000_000_123_456, -2_208_988_800_000_000, 951_782_400_000_000]) {
      expect(parseTimestampMicros(formatTimestamp(t))).toBe(t);
    }
  });
});

describe("toInternal", () => {
  it("converts Dates, millisecond numbers and strings to timestamp microseconds", () => {
    expect(toInternal(new Date("2026-01-01T00:00:00.123Z"), TimestampType, "x")).toBe(micros("2026-01-01T00:00:00.123Z"));
    expect(toInternal(1_000, TimestampType, "x")).toBe(1_000_000);
    expect(toInternal("1970-01-01 00:00:01", TimestampType, "x")).toBe(1_000_000);
    expect(toInternal(new Date("1969-12-31T12:00:00Z"), DateType, "x")).toBe(-1);
    expect(toInternal("2024-02-29", DateType, "x")).toBe(daysFromCivil(2024, 2, 29));
    expect(toInternal(5, DateType, "x")).toBe(5);
  });

  it("converts bigints to longs and checks int range", () => {
    expect(toInternal(12n, LongType, "x")).toBe(12);
    expect(toInternal(-(2n ** 40n), LongType, "x")).toBe(-(2 ** 40));
    expect(toInternal(7n, IntegerType, "x")).toBe(7);
    expect(toInternal(2147483647, IntegerType, "x")).toBe(2147483647);
    expect(() => toInternal(2147483648, IntegerType, "x")).toThrow(AnalysisError);
    expect(() => toInternal(1.5, IntegerType, "x")).toThrow(AnalysisError);
    expect(() => toInternal(1.5, LongType, "x")).toThrow(AnalysisError);
    expect(toInternal(3n, DoubleType, "x")).toBe(3);
  });

  it("converts strings, binary, maps and arrays", () => {
    expect(toInternal(42, StringType, "x")).toBe("42");
    expect(toInternal("hi", BinaryType, "x")).toEqual(new Uint8Array([104, 105]));
    expect(toInternal({ a: 1 }, MapType(StringType, LongType), "x")).toEqual(new Map([["a", 1]]));
    expect(toInternal([new Date(1), null], ArrayType(TimestampType), "x")).toEqual([1000, null]);
    expect(toInternal(undefined, BooleanType, "x")).toBeNull();
  });

  it("errors name where the bad value was and what type was expected", () => {
    expect(() => toInternal("yes", BooleanType, "createDataFrame row 3, column ok")).toThrow(
      'createDataFrame row 3, column ok: cannot use "yes" as boolean',
    );
    expect(() => toInternal("not a time", TimestampType, "t")).toThrow('t: cannot use "not a time" as timestamp');
    expect(() => toInternal([1, "x"], ArrayType(IntegerType), "arr")).toThrow('arr[1]: cannot use "x" as int');
  });

  it("rowsToBatch names the row and the column in errors", () => {
    const schema = parseSchema("id INT, t TIMESTAMP");
    expect(() => rowsToBatch(schema, [{ id: 1, t: 0 }, { id: "two", t: 0 }], "createDataFrame")).toThrow(
      'createDataFrame row 1, column id: cannot use "two" as int',
    );
    expect(() => rowsToBatch(schema, [5], "createDataFrame")).toThrow("createDataFrame row 0: expected an object with fields id, t");
  });

  it("rowsToBatch takes objects or arrays in column order, and bare values for one column", () => {
    const schema = parseSchema("id INT, name STRING");
    expect(batchToRows(rowsToBatch(schema, [{ id: 1, name: "a" }, [2, "b"]], "t"))).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    expect(batchToRows(rowsToBatch(parseSchema("v LONG"), [1, null, 3], "t"))).toEqual([{ v: 1 }, { v: null }, { v: 3 }]);
  });
});

describe("toExternal", () => {
  it("gives Dates for timestamps and dates", () => {
    expect(toExternal(1_500, TimestampType)).toEqual(new Date(1));
    expect(toExternal(-1_500, TimestampType)).toEqual(new Date(-2));
    expect(toExternal(1, DateType)).toEqual(new Date("1970-01-02T00:00:00Z"));
  });

  it("gives numbers for safe longs and bigints beyond 2^53", () => {
    expect(toExternal(2 ** 53 - 1, LongType)).toBe(2 ** 53 - 1);
    expect(toExternal(2 ** 60, LongType)).toBe(2n ** 60n);
    expect(toExternal(-(2 ** 60), LongType)).toBe(-(2n ** 60n));
    expect(toExternal(null, LongType)).toBeNull();
  });

  it("converts nested values", () => {
    const schema = parseSchema("s STRUCT<t: TIMESTAMP, n: BIGINT>, a ARRAY<DATE>");
    expect(toExternal({ t: 0, n: 2 ** 60 }, schema.fields[0]!.dataType)).toEqual({ t: new Date(0), n: 2n ** 60n });
    expect(toExternal([0, null], schema.fields[1]!.dataType)).toEqual([new Date(0), null]);
  });
});
