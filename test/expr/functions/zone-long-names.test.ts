import { describe, expect, test } from "vitest";
import { Session, col, date_format, to_timestamp } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();

/** Zone ids and long zone names in parsed text, as Spark's java.time formatters read them (VV, zzzz, vvvv). */
describe("parsing timestamps with zone names", () => {
  test("SQL: VV reads region ids; zzzz and vvvv read long names, placed in the named zone's rules", async () => {
    const [row] = await spark.sql(`SELECT
      to_timestamp('2024-01-01 10:00 America/Los_Angeles', 'yyyy-MM-dd HH:mm VV') AS id,
      to_timestamp('2024-01-01 10:00 Pacific Standard Time', 'yyyy-MM-dd HH:mm zzzz') AS pst,
      to_timestamp('2024-07-01 10:00 Pacific Daylight Time', 'yyyy-MM-dd HH:mm zzzz') AS pdt,
      to_timestamp('2024-07-01 10:00 central european summer time', 'yyyy-MM-dd HH:mm zzzz') AS cest,
      to_timestamp('2024-01-01 10:00 Japan Standard Time', 'yyyy-MM-dd HH:mm zzzz') AS jst,
      to_timestamp('2024-07-01 10:00 Pacific Time', 'yyyy-MM-dd HH:mm vvvv') AS generic,
      to_timestamp('2024-01-01 10:00 Coordinated Universal Time', 'yyyy-MM-dd HH:mm zzzz') AS utc,
      unix_timestamp('2024-01-01 10:00 America/New_York', 'yyyy-MM-dd HH:mm VV') AS unix,
      to_timestamp('2024-01-01 10:00 Nowhere Standard Time', 'yyyy-MM-dd HH:mm zzzz') AS unknown`).collect();
    expect(row).toEqual({
      id: new Date("2024-01-01T18:00:00Z"), pst: new Date("2024-01-01T18:00:00Z"), pdt: new Date("2024-07-01T17:00:00Z"),
      cest: new Date("2024-07-01T08:00:00Z"), jst: new Date("2024-01-01T01:00:00Z"), generic: new Date("2024-07-01T17:00:00Z"),
      utc: new Date("2024-01-01T10:00:00Z"), unix: 1704121200, unknown: null,
    });
  });

  test("DataFrame: date_format with zzzz and VV reads back with to_timestamp in another session time zone", async () => {
    const session = spark.newSession();
    session.conf.set("spark.sql.session.timeZone", "Europe/Paris");
    const df = session.createDataFrame([{ t: new Date("2024-01-15T12:00:00Z") }, { t: new Date("2024-07-15T12:00:00Z") }], "t TIMESTAMP");
    const texts = df.select(col("t"), date_format(col("t"), "yyyy-MM-dd HH:mm zzzz").as("long"), date_format(col("t"), "yyyy-MM-dd HH:mm VV").as("id"));
    const rows = await texts.select(col("t"), col("long"), to_timestamp(col("long"), "yyyy-MM-dd HH:mm zzzz").as("fromLong"), to_timestamp(col("id"), "yyyy-MM-dd HH:mm VV").as("fromId")).collect();
    expect(rows.map((r) => r.long)).toEqual(["2024-01-15 13:00 Central European Standard Time", "2024-07-15 14:00 Central European Summer Time"]);
    for (const r of rows) {
      expect(r.fromLong).toEqual(r.t);
      expect(r.fromId).toEqual(r.t);
    }
  });
});
