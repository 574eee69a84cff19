import { describe, expect, test } from "vitest";
import { Session, col, date_format } from "../../src/index.ts";

const PATTERN = "z|zzz|zzzz|VV|O|OOOO|v|vvvv|XXX";

async function formatted(zone: string, timestamp: string): Promise<string> {
  const session = Session.builder().getOrCreate().newSession();
  session.conf.set("spark.sql.session.timeZone", zone);
  const [row] = await session.sql(`SELECT date_format(TIMESTAMP '${timestamp}', '${PATTERN}') AS s`).collect();
  return row!.s as string;
}

describe("date_format zone-name letters print what java.time prints in Locale.US (Spark's formatter)", () => {
  test.each([
    ["America/Los_Angeles", "2024-07-15 13:04:05", "PDT|PDT|Pacific Daylight Time|America/Los_Angeles|GMT-7|GMT-07:00|PT|Pacific Time|-07:00"],
    ["America/Los_Angeles", "2024-01-15 13:04:05", "PST|PST|Pacific Standard Time|America/Los_Angeles|GMT-8|GMT-08:00|PT|Pacific Time|-08:00"],
    ["Europe/Paris", "2024-07-15 13:04:05", "CEST|CEST|Central European Summer Time|Europe/Paris|GMT+2|GMT+02:00|CET|Central European Time|+02:00"],
    ["Europe/Paris", "2024-01-15 13:04:05", "CET|CET|Central European Standard Time|Europe/Paris|GMT+1|GMT+01:00|CET|Central European Time|+01:00"],
    ["Asia/Kolkata", "2024-07-15 13:04:05", "IST|IST|India Standard Time|Asia/Kolkata|GMT+5:30|GMT+05:30|IST|India Standard Time|+05:30"],
    ["UTC", "2024-07-15 13:04:05", "UTC|UTC|Coordinated Universal Time|UTC|GMT|GMT|UTC|Coordinated Universal Time|Z"],
    ["+05:30", "2024-07-15 13:04:05", "+05:30|+05:30|+05:30|+05:30|GMT+5:30|GMT+05:30|+05:30|+05:30|+05:30"],
  ])("%s at %s", async (zone, timestamp, expected) => {
    expect(await formatted(zone, timestamp)).toBe(expected);
  });

  test("the DataFrame form; a name follows the instant's offset across a DST change within one column", async () => {
    const session = Session.builder().getOrCreate().newSession();
    session.conf.set("spark.sql.session.timeZone", "America/New_York");
    const df = session.sql("SELECT explode(array(TIMESTAMP '2024-03-10 01:30:00', TIMESTAMP '2024-03-10 03:30:00')) AS t");
    const rows = await df.select(date_format(col("t"), "HH:mm z (zzzz)").as("s")).collect();
    expect(rows.map((r) => r.s)).toEqual(["01:30 EST (Eastern Standard Time)", "03:30 EDT (Eastern Daylight Time)"]);
  });

  test("v takes one or four letters, as Java", () => {
    expect(() => Session.builder().getOrCreate().sql("SELECT date_format(current_timestamp(), 'vv') AS s")).toThrow("too many pattern letters: vv");
  });
});
