import { describe, expect, test } from "vitest";
import { Session, col, date_format, to_timestamp } from "../../src/index.ts";

/**
 * Java names a zone by whether daylight time is in effect, whatever the year (Spark's golden
 * datetime-formatting.sql.out: PST / Pacific Standard Time for America/Los_Angeles in 1969
 * and 2018). ICU has no names before 1970; the answer must not depend on which rows a
 * process formatted before.
 */
function session(): Session {
  const spark = Session.builder().getOrCreate().newSession();
  spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");
  return spark;
}

const SQL = "SELECT date_format(TIMESTAMP '1969-12-31 15:00:00', 'z zzzz') AS old, date_format(TIMESTAMP '2018-11-17 13:33:33', 'z zzzz') AS recent";

describe("zone names (z, zzzz) before 1970 and independent of history", () => {
  test("SQL: an early timestamp first, then a recent one, then the early one again", async () => {
    const spark = session();
    const [old] = await spark.sql("SELECT date_format(TIMESTAMP '1969-12-31 15:00:00', 'z zzzz') AS s").collect();
    const [both] = await spark.sql(SQL).collect();
    expect([old!.s, both!.old, both!.recent]).toEqual(["PST Pacific Standard Time", "PST Pacific Standard Time", "PST Pacific Standard Time"]);
  });

  test("daylight time before 1970 and local mean time before 1883 are named as Java names them", async () => {
    const spark = session();
    const [row] = await spark.sql("SELECT date_format(TIMESTAMP '1969-07-01 12:00:00', 'z|zzzz|v|vvvv') AS summer, date_format(TIMESTAMP '1850-01-01 12:00:00', 'z|zzzz') AS lmt").collect();
    expect(row).toEqual({ summer: "PDT|Pacific Daylight Time|PT|Pacific Time", lmt: "PST|Pacific Standard Time" });
  });

  test("DataFrame: one column mixing old and recent rows, in either order", async () => {
    const spark = session();
    for (const order of [["1969-12-31 15:00:00", "2018-11-17 13:33:33"], ["2018-11-17 13:33:33", "1969-12-31 15:00:00"]]) {
      const df = spark.createDataFrame(order.map((t) => ({ t })), "t STRING");
      const rows = await df.select(date_format(to_timestamp(col("t")), "z zzzz").as("s")).collect();
      expect(rows.map((r) => r.s)).toEqual(["PST Pacific Standard Time", "PST Pacific Standard Time"]);
    }
  });
});
