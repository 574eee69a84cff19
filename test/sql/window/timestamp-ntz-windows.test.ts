import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, session_window, window, type Row } from "../../../src/index.ts";

/**
 * window() and session_window() over TIMESTAMP_NTZ (Spark 3.4+): the window struct keeps
 * the time column's type, bounds are wall times (no session zone applies), and a row whose
 * time is null is in no window (Spark's TimeWindowing filters it out).
 */
const spark = Session.builder().getOrCreate();
spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles");

const ROWS = "SELECT * FROM VALUES (TIMESTAMP_NTZ '2026-01-01 10:07:00', 1), (TIMESTAMP_NTZ '2026-01-01 10:17:00', 2), (CAST(NULL AS TIMESTAMP_NTZ), 3) AS t(ts, v)";
const NTZ_WINDOW = "STRUCT<start: TIMESTAMP_NTZ, end: TIMESTAMP_NTZ>";
const wall = (s: string): Date => new Date(`${s}Z`);
const bounds = (start: string, end: string) => ({ start: wall(start), end: wall(end) });

describe("window() and session_window() on TIMESTAMP_NTZ", () => {
  test("tumbling window in a projection: NTZ bounds from the wall time; the null-time row is dropped (SQL and DataFrame)", async () => {
    const sql = spark.sql(`SELECT window(ts, '10 minutes') AS w, v FROM (${ROWS})`);
    const df = spark.sql(ROWS).select(window(col("ts"), "10 minutes").alias("w"), col("v"));
    for (const q of [sql, df]) {
      expect(q.schema.toDDL()).toBe(`w ${NTZ_WINDOW}, v INT NOT NULL`);
      expect(await q.collect()).toEqual([
        { w: bounds("2026-01-01T10:00:00", "2026-01-01T10:10:00"), v: 1 },
        { w: bounds("2026-01-01T10:10:00", "2026-01-01T10:20:00"), v: 2 },
      ]);
    }
    expect(await sql.showString(20, false)).toContain("|{2026-01-01 10:00:00, 2026-01-01 10:10:00}|1  |");
  });

  test("grouped by sliding and session windows; window_time keeps NTZ", async () => {
    const sliding = await spark.sql(`SELECT window(ts, '20 minutes', '10 minutes') AS w, count(*) AS c FROM (${ROWS}) GROUP BY 1 ORDER BY w`).collect();
    expect(sliding).toEqual([
      { w: bounds("2026-01-01T09:50:00", "2026-01-01T10:10:00"), c: 1 },
      { w: bounds("2026-01-01T10:00:00", "2026-01-01T10:20:00"), c: 2 },
      { w: bounds("2026-01-01T10:10:00", "2026-01-01T10:30:00"), c: 1 },
    ]);
    const sessions = spark.sql(ROWS).groupBy(session_window(col("ts"), "5 minutes")).agg(count("*").alias("c")).orderBy("session_window");
    expect(sessions.schema.toDDL()).toMatch(new RegExp(`^session_window ${NTZ_WINDOW}, c BIGINT`));
    expect(await sessions.collect()).toEqual([
      { session_window: bounds("2026-01-01T10:07:00", "2026-01-01T10:12:00"), c: 1 },
      { session_window: bounds("2026-01-01T10:17:00", "2026-01-01T10:22:00"), c: 1 },
    ]);
    const times = spark.sql(`SELECT window_time(window(ts, '10 minutes')) AS t FROM (${ROWS})`);
    expect(times.schema.toDDL()).toBe("t TIMESTAMP_NTZ");
    expect(await times.collect()).toEqual([{ t: wall("2026-01-01T10:09:59.999") }, { t: wall("2026-01-01T10:19:59.999") }]);
  });

  test("window(NULL, …) is a TIMESTAMP window with no rows, as in Spark", async () => {
    const q = spark.sql(`SELECT window(NULL, '10 minutes') AS w, v FROM (${ROWS})`);
    expect(q.schema.toDDL()).toBe("w STRUCT<start: TIMESTAMP, end: TIMESTAMP>, v INT NOT NULL");
    expect(await q.collect()).toEqual([]);
  });

  test("a streaming aggregation over NTZ windows (complete mode)", async () => {
    const input = new MemoryStream<{ ts: Date | null; v: number }>(spark, "ts TIMESTAMP_NTZ, v INT");
    const counts = input.toDF().groupBy(window(col("ts"), "10 minutes")).agg(count("*").alias("c"));
    const query = counts.writeStream.format("memory").queryName("ntz_window_counts").outputMode("complete").start();
    try {
      input.addData([{ ts: wall("2026-01-01T10:07:00"), v: 1 }, { ts: null, v: 2 }]);
      await query.processAllAvailable();
      input.addData([{ ts: wall("2026-01-01T10:08:00"), v: 3 }, { ts: wall("2026-01-01T10:17:00"), v: 4 }]);
      await query.processAllAvailable();
      const rows = (await spark.table("ntz_window_counts").collect()).sort((a: Row, b: Row) => Number(a.c) - Number(b.c));
      expect(rows).toEqual([
        { window: bounds("2026-01-01T10:10:00", "2026-01-01T10:20:00"), c: 1 },
        { window: bounds("2026-01-01T10:00:00", "2026-01-01T10:10:00"), c: 2 },
      ]);
      expect(spark.table("ntz_window_counts").schema.toDDL()).toMatch(/^window STRUCT<start: TIMESTAMP_NTZ, end: TIMESTAMP_NTZ>/);
    } finally {
      await query.stop();
    }
  });
});
