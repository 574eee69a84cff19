import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** RANGE frames whose bounds are intervals: Spark's DateAddYMInterval / TimestampAddYMInterval / TimeAdd per bound. */
const spark = Session.builder().appName("range-frame-intervals").getOrCreate();
const dates = "VALUES (DATE'2024-01-01', 1), (DATE'2024-01-03', 2), (DATE'2024-01-08', 4), (DATE'2024-01-09', 8) AS t(d, v)";
const stamps = "VALUES (TIMESTAMP'2024-01-01 00:00:00', 1), (TIMESTAMP'2024-01-31 00:00:00', 2), (TIMESTAMP'2024-02-15 00:00:00', 4), (TIMESTAMP'2024-03-01 00:00:00', 8) AS t(d, v)";
const sums = async (from: string, frame: string, order = "d"): Promise<unknown[]> =>
  (await spark.sql(`SELECT sum(v) OVER (ORDER BY ${order} ${frame}) AS s FROM ${from} ORDER BY d`).collect()).map((r) => r.s);

describe("RANGE frames with interval bounds", () => {
  test("a year-month interval over a DATE moves by calendar months", async () => {
    expect(await sums(dates, "RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW")).toEqual([1, 3, 7, 15]);
    expect(await sums(dates, "RANGE BETWEEN 6 PRECEDING AND CURRENT ROW")).toEqual([1, 3, 6, 14]);
    // 2024-03-31 − 1 month = 2024-02-29 (the end of the shorter month), so 02-29 is in its frame and 02-28 is not.
    const ends = "VALUES (DATE'2024-02-28', 1), (DATE'2024-02-29', 2), (DATE'2024-03-31', 4) AS t(d, v)";
    expect(await sums(ends, "RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW")).toEqual([1, 3, 6]);
    expect(await sums(ends, "RANGE BETWEEN CURRENT ROW AND INTERVAL '1' MONTH FOLLOWING")).toEqual([3, 2, 4]);
  });

  test("year-month and day-time intervals over a TIMESTAMP", async () => {
    expect(await sums(stamps, "RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW")).toEqual([1, 3, 6, 12]);
    expect(await sums(stamps, "RANGE BETWEEN INTERVAL '1-0' YEAR TO MONTH PRECEDING AND CURRENT ROW")).toEqual([1, 3, 7, 15]);
    // 2024-03-01 − 30 days = 2024-01-31 (a leap February), inclusive.
    expect(await sums(stamps, "RANGE BETWEEN INTERVAL 30 DAYS PRECEDING AND CURRENT ROW")).toEqual([1, 3, 6, 14]);
    expect(await sums(stamps, "RANGE BETWEEN INTERVAL '15' DAY PRECEDING AND CURRENT ROW")).toEqual([1, 2, 6, 12]);
  });

  // The outer ORDER BY d sorts above the window (which reorders its rows) although d is not selected.
  test("a descending order moves the bounds the other way, as Spark negates the offset", async () => {
    expect(await sums(dates, "RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW", "d DESC")).toEqual([15, 14, 12, 8]);
    expect(await sums(stamps, "RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW", "d DESC")).toEqual([3, 6, 12, 8]);
  });

  test("the DataFrame form (an expression column) agrees", async () => {
    const df = spark.sql(`SELECT * FROM ${dates}`);
    const got = await df.selectExpr("d", "sum(v) OVER (ORDER BY d RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) AS s").orderBy("d").collect();
    expect(got.map((r) => r.s)).toEqual([1, 3, 7, 15]);
  });

  test("a day-time interval over a DATE is Spark's RANGE_FRAME_INVALID_TYPE", () => {
    expect(() => spark.sql(`SELECT sum(v) OVER (ORDER BY d RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW) FROM ${dates}`))
      .toThrow(/^\[DATATYPE_MISMATCH\.RANGE_FRAME_INVALID_TYPE\] Cannot resolve "\(ORDER BY d ASC NULLS FIRST RANGE BETWEEN INTERVAL '6' DAY PRECEDING AND CURRENT ROW\)" due to data type mismatch: The data type "DATE" used in the order specification does not match the data type "INTERVAL DAY" which is used in the range frame\./);
    expect(() => spark.sql(`SELECT sum(v) OVER (ORDER BY v RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) FROM ${dates}`))
      .toThrow(/RANGE_FRAME_INVALID_TYPE.*"INT" used in the order specification does not match the data type "INTERVAL MONTH"/);
  });
});
