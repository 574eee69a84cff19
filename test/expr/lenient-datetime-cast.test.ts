import { describe, expect, test } from "vitest";
import { Session, col, to_date, to_timestamp } from "../../src/index.ts";
import { parseDateDays, parseTimestampMicros, parseTimestampNtzMicros } from "../../src/columnar/temporal.ts";
import { fixedOffset } from "../../src/common/time-zone.ts";

/** String → DATE / TIMESTAMP as Spark's stringToDate / stringToTimestamp (non-ANSI: what they refuse is null). */
const spark = Session.builder().appName("lenient-datetime-cast").getOrCreate();
const iso = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);
const day = (s: string): string | null => { const d = parseDateDays(s); return d === null ? null : new Date(d * 86_400_000).toISOString().slice(0, 10); };
const stamp = (s: string): string | null => { const m = parseTimestampMicros(s); return m === null ? null : new Date(m / 1000).toISOString(); };

describe("string → DATE (stringToDate)", () => {
  test("yyyy, yyyy-[m]m, yyyy-[m]m-[d]d, then anything after a space or T", () => {
    expect(["2024", "2024-03", "2024-1-2", "2024-01-01 anything", "2024-01-01T10:00:00+05:00", "  2024-1-2\t", "2024-01-01T", "+2024-02-29", "0099-1-1"].map(day))
      .toEqual(["2024-01-01", "2024-03-01", "2024-01-02", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-01", "2024-02-29", "0099-01-01"]);
  });

  test("refuses short years, 3-digit fields, a trailing text after yyyy or yyyy-mm, impossible dates", () => {
    expect(["202", "2024-001-01", "2024-01-011", "2024 x", "2024-03 x", "2023-02-29", "2024-13-01", "2024-01-01-", "2024/01/01", "", "  "].map(day))
      .toEqual(Array(11).fill(null));
  });
});

describe("string → TIMESTAMP (stringToTimestamp)", () => {
  test("1-digit fields, optional seconds and fraction, a date alone", () => {
    expect(["2024-1-2 3:4:5", "2024-01-02T03:04", "2024", "2024-03", "2024-1-2", "2024-01-01 10:00:00.1234567", "2024-01-01 10:00:00."].map(stamp)).toEqual([
      "2024-01-02T03:04:05.000Z", "2024-01-02T03:04:00.000Z", "2024-01-01T00:00:00.000Z", "2024-03-01T00:00:00.000Z",
      "2024-01-02T00:00:00.000Z", "2024-01-01T10:00:00.123Z", "2024-01-01T10:00:00.000Z",
    ]);
    expect(parseTimestampMicros("2024-01-01 10:00:00.1234567")! % 1_000_000).toBe(123456);
  });

  test("zones after the seconds: Z, offsets (also +h:mm), UTC, GMT+1, regions", () => {
    expect(["2024-01-01T10:00:00Z", "2024-01-01 10:00:00+02:00", "2024-01-01 10:00:00-1:30", "2024-01-01 10:00:00 UTC", "2024-01-01 10:00:00GMT+1",
      "2024-07-01 10:00:00 Europe/Paris", "2024-01-01 10:00:00.5+0100"].map(stamp)).toEqual([
      "2024-01-01T10:00:00.000Z", "2024-01-01T08:00:00.000Z", "2024-01-01T11:30:00.000Z", "2024-01-01T10:00:00.000Z", "2024-01-01T09:00:00.000Z",
      "2024-07-01T08:00:00.000Z", "2024-01-01T09:00:00.500Z",
    ]);
  });

  test("refuses what Spark refuses", () => {
    expect(["2024-01-01 10:00Z", "2024-01-01 24:00:00", "2024-01-01 10:60", "2024-01-01T", "2024-01-01 x", "2024-01-01 10:00:00 Nowhere/City", "2024-02-30", "12024567-01-01"].map(stamp))
      .toEqual(Array(8).fill(null));
  });

  test("a time alone is today in the zone; the session zone applies without one; NTZ ignores a written zone", () => {
    const today = new Date().toISOString().slice(0, 10);
    const got = parseTimestampMicros("T10:11:12", fixedOffset(0))!;
    expect(new Date(got / 1000).toISOString().slice(0, 10) === today || Math.abs(Date.now() - got / 1000) < 2 * 86_400_000).toBe(true);
    expect(new Date(got / 1000).toISOString().slice(11, 19)).toBe("10:11:12");
    expect(parseTimestampMicros("2024-1-2 3:4:5", fixedOffset(60))).toBe(Date.UTC(2024, 0, 2, 2, 4, 5) * 1000);
    expect(parseTimestampNtzMicros("2024-1-2 3:4:5+05:00")).toBe(Date.UTC(2024, 0, 2, 3, 4, 5) * 1000);
    expect(parseTimestampNtzMicros("10:00:00")).toBeNull();
  });
});

describe("the SQL and DataFrame forms", () => {
  test("CAST, to_date and typed literals", async () => {
    const [r] = await spark.sql(`SELECT CAST('2024-1-2' AS DATE) a, to_date('2024-1-2') b, CAST('2024' AS DATE) c, CAST('2024-03' AS DATE) d,
      CAST('2024-01-01 anything' AS DATE) e, CAST('2024-1-2 3:4:5' AS TIMESTAMP) f, DATE '2024-3' g, CAST('2024-1-2 x' AS TIMESTAMP) h`).collect();
    expect(Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, iso(v)]))).toEqual({
      a: "2024-01-02T00:00:00.000Z", b: "2024-01-02T00:00:00.000Z", c: "2024-01-01T00:00:00.000Z", d: "2024-03-01T00:00:00.000Z",
      e: "2024-01-01T00:00:00.000Z", f: "2024-01-02T03:04:05.000Z", g: "2024-03-01T00:00:00.000Z", h: null,
    });
  });

  test("over a column: cast, to_date, to_timestamp", async () => {
    const df = spark.createDataFrame([{ s: "2024-1-2" }, { s: "2024-01-05 x" }, { s: "bad" }], "s STRING");
    const got = await df.select(col("s").cast("date").as("d"), to_date(col("s")).as("t"), to_timestamp(col("s")).as("ts")).collect();
    expect(got.map((r) => [iso(r.d), iso(r.t), iso(r.ts)])).toEqual([
      ["2024-01-02T00:00:00.000Z", "2024-01-02T00:00:00.000Z", "2024-01-02T00:00:00.000Z"],
      ["2024-01-05T00:00:00.000Z", "2024-01-05T00:00:00.000Z", null],
      [null, null, null],
    ]);
  });
});
