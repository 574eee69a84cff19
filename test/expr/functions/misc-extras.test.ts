import { describe, expect, it } from "vitest";
import { Session, functions as F } from "../../../src/index.ts";

/** session-info-functions.ts, months-between.ts, format-number.ts and try-functions.ts. */
const spark = Session.builder().appName("misc-extras").getOrCreate();
const values = async (sql: string): Promise<unknown[]> => Object.values((await spark.sql(sql).collect())[0] as Record<string, unknown>);

describe("session information", () => {
  it("one catalog with one database, the OS user, Spark's version format", async () => {
    const [db, catalog, schema, user, user2, version] = await values("SELECT current_database(), current_catalog(), current_schema(), current_user(), user(), version()");
    expect([db, catalog, schema]).toEqual(["default", "spark_catalog", "default"]);
    expect(user).toBe(user2);
    expect(typeof user === "string" && user.length > 0).toBe(true);
    expect(version).toMatch(/^3\.5\.0 \S+$/);
  });
});

describe("months_between", () => {
  it("as Spark's examples: whole months on equal days or month ends, else over 31-day months", async () => {
    expect(await values("SELECT months_between('1997-02-28 10:30:00', '1996-10-30'), months_between('1997-02-28 10:30:00', '1996-10-30', false), months_between('2020-03-31', '2020-02-29'), months_between('2020-03-15', '2020-01-15 12:00:00'), months_between(null, '2020-01-01')"))
      .toEqual([3.94959677, 3.9495967741935485, 1, 2, null]);
    expect(spark.sql("SELECT months_between('1997-02-28', '1996-10-30')").columns).toEqual(["months_between(1997-02-28, 1996-10-30, true)"]);
  });

  it("reads wall times in the session time zone", async () => {
    const s = spark.newSession();
    s.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");
    // 2020-02-01T05:00Z is still January 31 in Los Angeles: a month end on both sides.
    expect(Object.values((await s.sql("SELECT months_between(timestamp'2020-03-01 07:00:00Z', timestamp'2020-02-01 05:00:00Z')").collect())[0]!)).toEqual([1]);
  });
});

describe("format_number", () => {
  it("rounds half-even on the exact value, groups thousands, null for negative decimals", async () => {
    expect(await values("SELECT format_number(12332.123456, 4), format_number(0.125D, 2), format_number(2.675D, 2), format_number(-1234567.5D, 0), format_number(1234567.5D, 0), format_number(5, 2), format_number(1.5, -1), format_number(cast('NaN' as double), 1)"))
      .toEqual(["12,332.1235", "0.12", "2.67", "-1,234,568", "1,234,568", "5.00", null, "NaN"]);
    expect(await spark.sql("SELECT 1234.5678D AS x").select(F.format_number("x", 1).alias("f")).collect()).toEqual([{ f: "1,234.6" }]);
  });
});

describe("try_ functions", () => {
  it("try_to_timestamp is null where parsing fails; try_element_at where the index is invalid", async () => {
    expect(await values("SELECT try_to_timestamp('2016-12-31 00:12:00'), try_to_timestamp('nope'), try_to_timestamp('2016-12-31', 'yyyy-MM-dd'), try_element_at(array(1, 2), 0)"))
      .toEqual([new Date("2016-12-31T00:12:00Z"), null, new Date("2016-12-31T00:00:00Z"), null]);
  });
});
