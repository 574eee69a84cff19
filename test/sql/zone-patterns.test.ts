import { describe, expect, test } from "vitest";
import { Session, col, functions as F } from "../../src/index.ts";

/** Zone letters of datetime patterns (java.time's, as Spark's): VV, z, XXX, Z, O, in parsing and formatting. */
const spark = Session.builder().appName("zone-patterns").getOrCreate();
const session = spark.newSession();
session.conf.set("spark.sql.session.timeZone", "UTC");
const iso = async (q: string): Promise<string | null> => {
  const v = Object.values((await session.sql(q).collect())[0]!)[0];
  return v === null ? null : (v as Date).toISOString();
};

describe("zone patterns", () => {
  test("VV reads a zone id; the wall time is placed in that zone's rules (winter and summer)", async () => {
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 Europe/Paris', 'yyyy-MM-dd HH:mm VV')")).toBe("2024-01-01T09:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-07-01 10:00 Europe/Paris', 'yyyy-MM-dd HH:mm VV')")).toBe("2024-07-01T08:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 Mars/Olympus', 'yyyy-MM-dd HH:mm VV')")).toBeNull();
  });

  test("z reads UTC, a zone id, or an abbreviation as Java's preferred zone for it", async () => {
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 PST', 'yyyy-MM-dd HH:mm z')")).toBe("2024-01-01T18:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-07-01 10:00 PDT', 'yyyy-MM-dd HH:mm z')")).toBe("2024-07-01T17:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 UTC', 'yyyy-MM-dd HH:mm z')")).toBe("2024-01-01T10:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 America/New_York', 'yyyy-MM-dd HH:mm z')")).toBe("2024-01-01T15:00:00.000Z");
  });

  test("offsets: XXX, Z, O", async () => {
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 +01:00', 'yyyy-MM-dd HH:mm XXX')")).toBe("2024-01-01T09:00:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 -0230', 'yyyy-MM-dd HH:mm Z')")).toBe("2024-01-01T12:30:00.000Z");
    expect(await iso("SELECT to_timestamp('2024-01-01 10:00 GMT+01:00', 'yyyy-MM-dd HH:mm O')")).toBe("2024-01-01T09:00:00.000Z");
  });

  test("unix_timestamp and the DataFrame form read zones the same way", async () => {
    expect((await session.sql("SELECT unix_timestamp('2024-01-01 10:00 Europe/Paris', 'yyyy-MM-dd HH:mm VV') AS s").collect())[0]!.s).toBe(1704099600);
    const df = session.createDataFrame([{ s: "2024-01-01 10:00 Asia/Tokyo" }], "s STRING");
    const [row] = await df.select(F.to_timestamp(col("s"), "yyyy-MM-dd HH:mm VV").alias("t")).collect();
    expect((row!.t as Date).toISOString()).toBe("2024-01-01T01:00:00.000Z");
  });

  test("date_format prints the same letters in the session zone", async () => {
    const paris = spark.newSession();
    paris.conf.set("spark.sql.session.timeZone", "Europe/Paris");
    const [row] = await paris.sql("SELECT date_format(TIMESTAMP '2024-07-01 10:00:00', 'HH:mm VV z XXX Z O') AS f").collect();
    expect(row!.f).toBe("10:00 Europe/Paris CEST +02:00 +0200 GMT+2");
    // Round trip: what date_format writes, to_timestamp reads back.
    const [back] = await paris.sql("SELECT to_timestamp(date_format(TIMESTAMP '2024-07-01 10:00:00', 'yyyy-MM-dd HH:mm VV'), 'yyyy-MM-dd HH:mm VV') = TIMESTAMP '2024-07-01 10:00:00' AS same").collect();
    expect(back!.same).toBe(true);
  });
});
