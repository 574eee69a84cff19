import { describe, expect, test } from "vitest";
import { Session, col, date_format, to_json, struct } from "../../src/index.ts";

/**
 * Offsets that are not whole minutes (America/Los_Angeles before 1883 kept local mean time,
 * -07:52:58) print as java.time prints them: hours, minutes and seconds where the pattern has
 * a place for seconds (XXXX, XXXXX, ZZZZ, ZZZZZ, O), dropped where it has not (X, XX, XXX, Z).
 */
function session(): Session {
  const spark = Session.builder().getOrCreate().newSession();
  spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");
  return spark;
}

const PATTERNS = ["X", "XX", "XXX", "XXXX", "XXXXX", "x", "xxx", "xxxx", "xxxxx", "Z", "ZZZZ", "ZZZZZ", "O", "OOOO"];
const LMT = ["-0752", "-0752", "-07:52", "-075258", "-07:52:58", "-0752", "-07:52", "-075258", "-07:52:58", "-0752", "GMT-07:52:58", "-07:52:58", "GMT-7:52:58", "GMT-07:52:58"];
const PST = ["-08", "-0800", "-08:00", "-0800", "-08:00", "-08", "-08:00", "-0800", "-08:00", "-0800", "GMT-08:00", "-08:00", "GMT-8", "GMT-08:00"];

describe("offsets with seconds in datetime patterns", () => {
  test("SQL date_format: each offset letter and count", async () => {
    const spark = session();
    const select = PATTERNS.map((p, i) => `date_format(TIMESTAMP '1850-01-01 00:00:00', '${p}') AS l${i}, date_format(TIMESTAMP '2018-01-01 00:00:00', '${p}') AS p${i}`).join(", ");
    const [row] = await spark.sql(`SELECT ${select}`).collect();
    expect(PATTERNS.map((_, i) => row![`l${i}`])).toEqual(LMT);
    expect(PATTERNS.map((_, i) => row![`p${i}`])).toEqual(PST);
  });

  test("DataFrame: date_format and to_json (default timestampFormat ends in XXX: seconds dropped, as Java's)", async () => {
    const spark = session();
    const df = spark.sql("SELECT TIMESTAMP '1850-01-01 00:00:00' AS t");
    const [row] = await df.select(date_format(col("t"), "XXX O").as("f"), to_json(struct(col("t"))).as("j"), date_format(col("t"), "yyyy-MM-dd HH:mm:ssXXXXX").as("full")).collect();
    expect(row).toEqual({ f: "-07:52 GMT-7:52:58", j: '{"t":"1850-01-01T00:00:00.000-07:52"}', full: "1850-01-01 00:00:00-07:52:58" });
  });
});
