import { describe, expect, it } from "vitest";
import { rowsToBatch, toExternal } from "../../../src/columnar/values.ts";
import { valueAt } from "../../../src/columnar/vector.ts";
import { AnalysisError } from "../../../src/common/errors.ts";
import { compileExpression } from "../../../src/expr/compile.ts";
import { displayExpression } from "../../../src/expr/display.ts";
import type { EvalContext } from "../../../src/expr/eval-context.ts";
import { Call, ColumnRef, Literal, type Expression } from "../../../src/expr/expression.ts";
import { lookupFunction } from "../../../src/expr/functions/registry.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { UTC as UTC_ZONE, fixedOffset } from "../../../src/common/time-zone.ts";

const BATCH_TIME = Date.UTC(2026, 0, 1, 23, 30, 15, 250) * 1000;
const UTC: EvalContext = { batchTimestampMicros: BATCH_TIME, timeZoneId: UTC_ZONE.id };
const col = (name: string): Expression => ColumnRef.create(name);
const lit = (v: unknown): Expression => Literal.create(v, null);
const fn = (name: string, ...args: Expression[]): Expression => Call.create(name, args);

function run(ddl: string, rows: readonly unknown[], e: Expression, ctx: EvalContext = UTC): unknown[] {
  const schema = parseSchema(ddl);
  const batch = rowsToBatch(schema, rows, "test");
  const resolved = resolveExpression(e, scopeOf(schema));
  const vec = compileExpression(resolved)(batch, ctx);
  return Array.from({ length: batch.numRows }, (_, i) => {
    const v = toExternal(valueAt(vec, i), resolved.dataType!);
    // Timestamps and dates as ISO text, to compare readably.
    if (v instanceof Date) return resolved.dataType!.kind === "date" ? v.toISOString().slice(0, 10) : v.toISOString();
    return v;
  });
}

const scalar = (e: Expression, ctx: EvalContext = UTC): unknown => run("x INT", [{ x: 1 }], e, ctx)[0];
const onStrings = (rows: readonly (string | null)[], e: Expression, ctx: EvalContext = UTC): unknown[] => run("s STRING", rows, e, ctx);
const onTimestamps = (rows: readonly (string | null)[], e: Expression, ctx: EvalContext = UTC): unknown[] => run("t TIMESTAMP", rows, e, ctx);
const at = (offsetMinutes: number): EvalContext => ({ batchTimestampMicros: BATCH_TIME, timeZoneId: fixedOffset(offsetMinutes).id });

describe("to_timestamp and to_date", () => {
  it("parses Apache access-log times with a zone offset", () => {
    const e = fn("to_timestamp", col("s"), lit("dd/MMM/yyyy:HH:mm:ss Z"));
    expect(onStrings(["10/Oct/2000:13:55:36 -0700", "10/oct/2000:13:55:36 +0000", "10/Oct/2000 13:55:36 -0700", null], e))
      .toEqual(["2000-10-10T20:55:36.000Z", "2000-10-10T13:55:36.000Z", null, null]);
  });

  it("without a pattern behaves as a cast, in the session time zone", () => {
    expect(onStrings(["2016-12-31 00:12:00", "2016-12-31", "junk"], fn("to_timestamp", col("s"))))
      .toEqual(["2016-12-31T00:12:00.000Z", "2016-12-31T00:00:00.000Z", null]);
    expect(onStrings(["2016-12-31 00:12:00"], fn("to_timestamp", col("s")), at(60))).toEqual(["2016-12-30T23:12:00.000Z"]);
  });

  it("parses ISO patterns with variable-length fractions and XXX offsets", () => {
    const e = fn("to_timestamp", col("s"), lit("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));
    expect(onStrings(["2026-01-01T10:00:00.123+02:00", "2026-01-01T10:00:00.1Z", "2026-01-01T10:00:00.123", "2026-01-01T10:00:00.1234Z"], e))
      .toEqual(["2026-01-01T08:00:00.123Z", "2026-01-01T10:00:00.100Z", null, null]);
  });

  it("is strict: invalid dates, trailing text and wrong widths give null", () => {
    const e = fn("to_timestamp", col("s"), lit("yyyy-MM-dd HH:mm:ss"));
    expect(onStrings(["2026-02-30 00:00:00", "2026-01-01 10:00:00 extra", "2026-1-01 10:00:00", "2024-02-29 23:59:59"], e))
      .toEqual([null, null, null, "2024-02-29T23:59:59.000Z"]);
    expect(scalar(fn("to_timestamp", lit("20260102"), lit("yyyyMMdd")))).toBe("2026-01-02T00:00:00.000Z");
    expect(scalar(fn("to_timestamp", lit("12/31/99 7:05 PM"), lit("MM/dd/yy h:mm a")))).toBe("2099-12-31T19:05:00.000Z");
    expect(scalar(fn("to_timestamp", lit("2026-01-02"), lit("yyyy-MM-dd[ HH:mm]")))).toBe("2026-01-02T00:00:00.000Z");
    expect(scalar(fn("to_timestamp", lit("2026-01-02 03:04"), lit("yyyy-MM-dd[ HH:mm]")))).toBe("2026-01-02T03:04:00.000Z");
  });

  it("parses each distinct string once over dictionary-encoded input", () => {
    const rows = ["01/Jan/2026:00:00:01 +0000", "01/Jan/2026:00:00:02 +0000", "01/Jan/2026:00:00:01 +0000"];
    expect(onStrings(rows, fn("to_timestamp", col("s"), lit("dd/MMM/yyyy:HH:mm:ss Z"))))
      .toEqual(["2026-01-01T00:00:01.000Z", "2026-01-01T00:00:02.000Z", "2026-01-01T00:00:01.000Z"]);
  });

  it("to_date with and without a pattern", () => {
    expect(onStrings(["2009-07-30 04:17:52", "x"], fn("to_date", col("s")))).toEqual(["2009-07-30", null]);
    expect(scalar(fn("to_date", lit("2016/12/31"), lit("yyyy/MM/dd")))).toBe("2016-12-31");
    // 23:30 UTC on Dec 31 is already Jan 1 at UTC+1.
    expect(scalar(fn("to_date", lit("2016-12-31 23:30 +0000"), lit("yyyy-MM-dd HH:mm Z")), at(60))).toBe("2017-01-01");
    expect(onTimestamps(["2026-01-01 23:30:00"], fn("to_date", col("t")), at(60))).toEqual(["2026-01-02"]);
  });

  it("rejects week-based and unknown pattern letters at analysis", () => {
    expect(() => scalar(fn("to_timestamp", lit("2026-01"), lit("YYYY-ww")))).toThrow(/week-based/);
    expect(() => scalar(fn("date_format", lit("2026-01-01"), lit("yyyy-MM-dd bb")))).toThrow(AnalysisError);
    expect(() => scalar(fn("to_timestamp", lit("Mon"), lit("EEE")))).toThrow(AnalysisError);
  });
});

describe("formatting", () => {
  it("date_format with Spark patterns", () => {
    const t = ["2026-03-05 09:07:03.045678", null];
    expect(onTimestamps(t, fn("date_format", col("t"), lit("yyyy-MM-dd HH:mm:ss.SSS")))).toEqual(["2026-03-05 09:07:03.045", null]);
    expect(onTimestamps(t.slice(0, 1), fn("date_format", col("t"), lit("EEEE, MMMM d, yyyy h:mm a")))).toEqual(["Thursday, March 5, 2026 9:07 AM"]);
    expect(onTimestamps(t.slice(0, 1), fn("date_format", col("t"), lit("EEE MMM dd yy 'Q'Q D k K")))).toEqual(["Thu Mar 05 26 Q1 64 9 9"]);
    expect(onTimestamps(t.slice(0, 1), fn("date_format", col("t"), lit("yyyy-MM-dd'T'HH:mm:ssXXX Z")), at(-420))).toEqual(["2026-03-05T02:07:03-07:00 -0700"]);
    expect(onTimestamps(t.slice(0, 1), fn("date_format", col("t"), lit("HH:mm X")))).toEqual(["09:07 Z"]);
    expect(scalar(fn("date_format", lit("2026-01-01"), lit("dd/MM/yyyy")))).toBe("01/01/2026");
  });

  it("unix_timestamp and from_unixtime use yyyy-MM-dd HH:mm:ss by default", () => {
    expect(scalar(fn("unix_timestamp", lit("2016-04-08"), lit("yyyy-MM-dd")))).toBe(1460073600);
    expect(onStrings(["2016-04-08 00:00:01", "2016-04-08"], fn("unix_timestamp", col("s")))).toEqual([1460073601, null]);
    expect(onTimestamps(["1970-01-01 00:00:01.9", "1969-12-31 23:59:59.5"], fn("unix_timestamp", col("t")))).toEqual([1, -1]);
    expect(scalar(fn("unix_timestamp"))).toBe(Math.floor(BATCH_TIME / 1e6));
    expect(scalar(fn("from_unixtime", lit(0)))).toBe("1970-01-01 00:00:00");
    expect(scalar(fn("from_unixtime", lit(0), lit("yyyy-MM-dd HH:mm")), at(90))).toBe("1970-01-01 01:30");
    const schema = parseSchema("s STRING");
    expect(displayExpression(resolveExpression(fn("unix_timestamp", col("s")), scopeOf(schema)))).toBe("unix_timestamp(s, yyyy-MM-dd HH:mm:ss)");
  });
});

describe("truncation", () => {
  it("date_trunc truncates timestamps in the session time zone", () => {
    const trunc = (unit: string, t: string, ctx: EvalContext = UTC): unknown => onTimestamps([t], fn("date_trunc", lit(unit), col("t")), ctx)[0];
    expect(scalar(fn("date_trunc", lit("HOUR"), lit("2026-01-01 10:45:12")))).toBe("2026-01-01T10:00:00.000Z");
    expect(trunc("YEAR", "2015-03-05 09:32:05.359")).toBe("2015-01-01T00:00:00.000Z");
    expect(trunc("MM", "2015-03-05 09:32:05.359")).toBe("2015-03-01T00:00:00.000Z");
    expect(trunc("DD", "2015-03-05 09:32:05.359")).toBe("2015-03-05T00:00:00.000Z");
    expect(trunc("quarter", "2015-08-05 09:32:05")).toBe("2015-07-01T00:00:00.000Z");
    expect(trunc("WEEK", "2026-01-01 09:32:05")).toBe("2025-12-29T00:00:00.000Z");
    expect(trunc("MINUTE", "2026-01-01 09:32:05")).toBe("2026-01-01T09:32:00.000Z");
    expect(trunc("SECOND", "2026-01-01 09:32:05.5")).toBe("2026-01-01T09:32:05.000Z");
    expect(trunc("MILLISECOND", "2026-01-01 09:32:05.123456")).toBe("2026-01-01T09:32:05.123Z");
    expect(trunc("bogus", "2026-01-01 09:32:05")).toBeNull();
    // 20:00Z is 01:30 on Jan 2 at UTC+5:30; the local day starts at 18:30Z.
    expect(trunc("DAY", "2026-01-01 20:00:00Z", at(330))).toBe("2026-01-01T18:30:00.000Z");
    expect(trunc("HOUR", "2026-01-01 20:00:00Z", at(330))).toBe("2026-01-01T19:30:00.000Z");
  });

  it("trunc truncates dates to year, quarter, month or week; other units give null", () => {
    const t = (unit: string): unknown => scalar(fn("trunc", lit("2019-08-04"), lit(unit)));
    expect([t("week"), t("quarter"), t("MM"), t("year"), t("DD")]).toEqual(["2019-07-29", "2019-07-01", "2019-08-01", "2019-01-01", null]);
  });
});

describe("fields", () => {
  it("hour, minute, second in the session time zone", () => {
    const ts = ["2009-07-30 12:58:59", "1969-12-31 23:59:58", null];
    expect(onTimestamps(ts, fn("hour", col("t")))).toEqual([12, 23, null]);
    expect(onTimestamps(ts, fn("minute", col("t")))).toEqual([58, 59, null]);
    expect(onTimestamps(ts, fn("second", col("t")))).toEqual([59, 58, null]);
    expect(onTimestamps(ts.slice(0, 1), fn("hour", col("t")), at(330))).toEqual([18]);
    expect(onTimestamps(ts.slice(0, 1), fn("minute", col("t")), at(330))).toEqual([28]);
    expect(scalar(fn("hour", lit("2009-07-30 12:58:59")))).toBe(12);
  });

  it("year, quarter, month, day, dayofweek (1 = Sunday), dayofyear, weekofyear", () => {
    const d = (name: string, v: string): unknown => scalar(fn(name, lit(v)));
    expect(d("year", "2016-07-30")).toBe(2016);
    expect(d("quarter", "2016-08-31")).toBe(3);
    expect(d("month", "2016-07-30")).toBe(7);
    expect(d("dayofmonth", "2009-07-30")).toBe(30);
    expect(d("day", "2009-07-30")).toBe(30);
    expect(d("dayofweek", "2026-01-04")).toBe(1);
    expect(d("dayofweek", "2009-07-30")).toBe(5);
    expect(d("dayofweek", "2026-01-03")).toBe(7);
    expect(d("dayofyear", "2016-04-09")).toBe(100);
    expect(d("weekofyear", "2008-02-20")).toBe(8);
    expect(d("weekofyear", "2021-01-01")).toBe(53);
    expect(d("weekofyear", "2024-12-30")).toBe(1);
    expect(d("year", "1969-12-31")).toBe(1969);
  });

  it("date parts of timestamps use the session's local date", () => {
    expect(onTimestamps(["2026-12-31 23:30:00", null], fn("year", col("t")), at(60))).toEqual([2027, null]);
    expect(onTimestamps(["2026-12-31 23:30:00"], fn("dayofmonth", col("t")))).toEqual([31]);
  });
});

describe("current time and arithmetic", () => {
  it("current_timestamp and current_date are the batch time, and not deterministic", () => {
    expect(scalar(fn("current_timestamp"))).toBe("2026-01-01T23:30:15.250Z");
    expect(scalar(fn("now"))).toBe("2026-01-01T23:30:15.250Z");
    expect(scalar(fn("current_date"))).toBe("2026-01-01");
    expect(scalar(fn("current_date"), at(60))).toBe("2026-01-02");
    expect(lookupFunction("current_timestamp")!.deterministic).toBe(false);
    expect(displayExpression(resolveExpression(fn("current_timestamp"), []))).toBe("current_timestamp()");
  });

  it("date_add, date_sub, datediff", () => {
    expect(scalar(fn("date_add", lit("2016-07-30"), lit(1)))).toBe("2016-07-31");
    expect(scalar(fn("date_sub", lit("2016-07-30"), lit(31)))).toBe("2016-06-29");
    expect(scalar(fn("datediff", lit("2009-07-31"), lit("2009-07-30")))).toBe(1);
    expect(scalar(fn("datediff", lit("2009-07-30"), lit("2009-07-31")))).toBe(-1);
    expect(run("d DATE, n INT", [{ d: "2024-02-28", n: 2 }, { d: "2024-02-28", n: null }], fn("date_add", col("d"), col("n")))).toEqual(["2024-03-01", null]);
    expect(onTimestamps(["2026-01-01 23:00:00"], fn("date_add", col("t"), lit(1)))).toEqual(["2026-01-02"]);
  });

  it("epoch conversions", () => {
    expect(scalar(fn("timestamp_seconds", lit(1230219000)))).toBe("2008-12-25T15:30:00.000Z");
    expect(scalar(fn("timestamp_seconds", lit(1230219000.123)))).toBe("2008-12-25T15:30:00.123Z");
    expect(scalar(fn("timestamp_millis", lit(1230219000123)))).toBe("2008-12-25T15:30:00.123Z");
    expect(scalar(fn("unix_millis", lit("1970-01-01 00:00:01")))).toBe(1000);
    expect(onTimestamps(["1969-12-31 23:59:59.9995"], fn("unix_millis", col("t")))).toEqual([-1]);
    expect(scalar(fn("unix_seconds", lit("1970-01-01 00:00:01.5")))).toBe(1);
    expect(scalar(fn("unix_date", lit("1970-01-02")))).toBe(1);
    expect(scalar(fn("date_from_unix_date", lit(1)))).toBe("1970-01-02");
  });
});

describe("argument checking", () => {
  it("rejects wrong argument types with errors naming the function", () => {
    expect(() => run("a ARRAY<INT>", [], fn("hour", col("a")))).toThrow(/hour\(a\).*requires the "TIMESTAMP" type/);
    expect(() => run("b BOOLEAN", [], fn("year", col("b")))).toThrow(AnalysisError);
    expect(() => run("d DATE", [], fn("date_add", col("d"), lit(1.5)))).toThrow(/date_add/);
    expect(() => run("a ARRAY<INT>", [], fn("to_timestamp", col("a")))).toThrow(AnalysisError);
    expect(() => run("d DATE", [], fn("current_date", col("d")))).toThrow(/current_date/);
    expect(() => run("n INT", [], fn("timestamp_millis", lit(1.5)))).toThrow(AnalysisError);
  });
});
