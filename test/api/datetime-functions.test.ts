import { describe, expect, test } from "vitest";
import {
  Session, add_months, col, convert_timezone, current_timezone, date_add, date_diff, date_part, expr, extract, hour, last_day, lit,
  make_date, make_dt_interval, make_interval, make_timestamp, make_timestamp_ntz, make_ym_interval, next_day, timestamp_add,
  timestamp_diff, to_utc_timestamp, from_utc_timestamp,
} from "../../src/index.ts";
import { ConfKeys } from "../../src/common/config.ts";

const base = Session.builder().appName("datetime-functions").getOrCreate();

function session(zone: string): Session {
  const spark = base.newSession();
  spark.conf.set(ConfKeys.sessionTimeZone, zone);
  return spark;
}

const EVENTS = "ts TIMESTAMP, d DATE, n INT";
const rows = [
  { ts: "2026-03-08T09:30:00Z", d: "2026-01-31", n: 1 },
  { ts: "2026-03-08T10:30:00Z", d: "2024-02-29", n: -1 },
];

describe("datetime and interval functions: the DataFrame forms agree with SQL", () => {
  test("timestamp_add / timestamp_diff are dateadd(unit, …) / datediff(unit, …)", async () => {
    const spark = session("America/Los_Angeles");
    const df = spark.createDataFrame(rows, EVENTS);
    df.createOrReplaceTempView("events");
    const viaApi = await df.select(
      timestamp_add("hour", col("n"), "ts").as("a"),
      timestamp_add("DAY", lit(1), "ts").as("b"),
      timestamp_diff("MINUTE", "ts", expr("ts + INTERVAL 90 MINUTES")).as("c"),
      add_months("d", 1).as("e"),
      date_add("d", 2).as("f"),
      date_diff(col("d"), lit("2024-01-01")).as("g"),
    ).collect();
    const viaSql = await spark.sql(`SELECT dateadd(HOUR, n, ts) AS a, timestampadd(DAY, 1, ts) AS b,
      timestampdiff(MINUTE, ts, ts + INTERVAL 90 MINUTES) AS c, add_months(d, 1) AS e, date_add(d, 2) AS f,
      date_diff(d, '2024-01-01') AS g FROM events`).collect();
    expect(viaApi).toEqual(viaSql);
    // 01:30 PST + 1 day across the DST change is 01:30 PDT: 23 hours later, the same clock time.
    expect((viaApi[0]!.b as Date).toISOString()).toBe("2026-03-09T08:30:00.000Z");
    expect((viaApi[0]!.a as Date).toISOString()).toBe("2026-03-08T10:30:00.000Z");
    // timestampdiff counts on the wall clock, as Spark's: 90 minutes from 01:30 PST end at 04:00 PDT, 150 minutes later on the clock.
    expect(viaApi.map((r) => r.c)).toEqual([150, 90]);
    expect(viaApi.map((r) => (r.e as Date).toISOString().slice(0, 10))).toEqual(["2026-02-28", "2024-03-29"]);
  });

  test("interval constructors, extract and date_part; intervals collect as µs and months", async () => {
    const spark = session("UTC");
    const [r] = await spark.createDataFrame(rows.slice(0, 1), EVENTS).select(
      make_dt_interval(1, 2, 3, 4.5).as("dt"),
      make_ym_interval(1, 2).as("ym"),
      make_interval(0, 1, 0, 2).as("cal"),
      extract("hour", "ts").as("h"),
      date_part("YEAR", "d").as("y"),
      make_date(2024, 2, 30).as("bad"),
      make_timestamp_ntz(2024, 2, 29, 23, 59, 60).as("ntz"),
    ).collect();
    expect(r!.dt).toBe(((24 + 2) * 3600 + 3 * 60 + 4.5) * 1_000_000);
    expect(r!.ym).toBe(14);
    expect(r!.cal).toEqual({ months: 1, days: 2, microseconds: 0 });
    expect(r!.h).toBe(9);
    expect(r!.y).toBe(2026);
    expect(r!.bad).toBeNull();
    expect((r!.ntz as Date).toISOString()).toBe("2024-03-01T00:00:00.000Z");
    const shown = await spark.createDataFrame(rows.slice(0, 1), EVENTS)
      .select(make_dt_interval(0, 1).as("dt"), make_ym_interval(1, 2).as("ym"), expr("ts - TIMESTAMP '2026-03-08 00:00:00'").as("diff"))
      .showString(20, false);
    expect(shown).toContain("INTERVAL '0 01:00:00' DAY TO SECOND");
    expect(shown).toContain("INTERVAL '1-2' YEAR TO MONTH");
    expect(shown).toContain("INTERVAL '0 09:30:00' DAY TO SECOND");
  });

  test("extract(SECOND …) and date_part('SECOND', …) are DECIMAL(8,6), as Spark's SecondWithFraction", async () => {
    const spark = session("UTC");
    const df = spark.sql("SELECT TIMESTAMP '2026-01-01 10:11:12.345678' AS ts, TIMESTAMP_NTZ '2026-01-01 10:11:05.5' AS ntz")
      .select(extract("second", "ts").as("s"), date_part("SECOND", "ntz").as("n"), extract("SECONDS", "ts").as("s2"));
    expect(df.schema.toDDL()).toBe("s DECIMAL(8,6), n DECIMAL(8,6), s2 DECIMAL(8,6)");
    expect(await df.showString(20, false)).toContain("|12.345678|5.500000|12.345678|");
  });

  test("the session zone applies to text, hour(), show() and the zone functions, with each instant's own offset", async () => {
    const spark = session("America/Los_Angeles");
    const df = spark.createDataFrame([{ ts: "2026-01-15T20:00:00Z" }, { ts: "2026-07-15T20:00:00Z" }], "ts TIMESTAMP");
    const out = await df.select(
      hour("ts").as("h"),
      current_timezone().as("z"),
      from_utc_timestamp(col("ts"), "Asia/Seoul").as("seoul"),
      to_utc_timestamp(col("ts"), "Asia/Seoul").as("back"),
      convert_timezone(lit("UTC"), expr("CAST(ts AS TIMESTAMP_NTZ)")).as("utc_wall"),
      make_timestamp(2026, 7, 15, 13, 0, 0).as("made"),
    ).collect();
    expect(out.map((r) => r.h)).toEqual([12, 13]);
    expect(out[0]!.z).toBe("America/Los_Angeles");
    expect((out[0]!.seoul as Date).toISOString()).toBe("2026-01-16T05:00:00.000Z");
    expect((out[0]!.back as Date).toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect((out[1]!.utc_wall as Date).toISOString()).toBe("2026-07-15T20:00:00.000Z");
    expect((out[1]!.made as Date).toISOString()).toBe("2026-07-15T20:00:00.000Z");
    const shown = await df.showString();
    expect(shown).toContain("2026-01-15 12:00:00");
    expect(shown).toContain("2026-07-15 13:00:00");
    expect(await spark.sql("SELECT next_day(DATE '2026-03-08', 'SUNDAY') AS n, last_day(DATE '2024-02-10') AS l").collect())
      .toEqual(await spark.createDataFrame([{ d: "2026-03-08" }], "d DATE").select(next_day("d", "SUNDAY").as("n"), last_day(lit("2024-02-10")).as("l")).collect());
  });

  test("SET TIME ZONE changes how the same text reads; LOCAL is the process's zone", async () => {
    const spark = session("UTC");
    const at = async (): Promise<string> => ((await spark.sql("SELECT TIMESTAMP '2026-07-01 00:00:00' AS t").collect())[0]!.t as Date).toISOString();
    expect(await at()).toBe("2026-07-01T00:00:00.000Z");
    await spark.sql("SET TIME ZONE 'Europe/Paris'").collect();
    expect(await at()).toBe("2026-06-30T22:00:00.000Z");
    await spark.sql("set time zone interval '-05:30' hour to minute").collect();
    expect(spark.conf.get(ConfKeys.sessionTimeZone)).toBe("-05:30");
    expect(await at()).toBe("2026-07-01T05:30:00.000Z");
    await spark.sql("SET TIME ZONE LOCAL").collect();
    expect(spark.conf.get(ConfKeys.sessionTimeZone)).toBe(process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone);
    await expect(async () => spark.sql("SET TIME ZONE INTERVAL '20' HOUR").collect()).rejects.toThrow(/INVALID_INTERVAL_FORMAT/);
  });

  test("Spark's errors: mixed interval units, date_add with a BIGINT, timestamp_seconds overflow", async () => {
    const spark = session("UTC");
    expect(() => spark.sql("SELECT INTERVAL 1 YEAR 2 DAYS")).toThrow(/\[MIXED_INTERVAL_UNITS\]/);
    expect(() => spark.sql("SELECT date_add('2011-11-11', 1L)")).toThrow(/\[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE\]/);
    await expect(spark.sql("SELECT timestamp_seconds(1230219000123123)").collect()).rejects.toThrow(/\[ARITHMETIC_OVERFLOW\] long overflow/);
  });
});
