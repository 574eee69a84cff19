import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { describe, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session, col, count, session_window, sum, when, type DataFrame } from "../../src/index.ts";
import { testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";
import { tempDirs } from "../temp-dirs.ts";

/** session_window (Spark 3.2+): batch and streaming, DataFrame and SQL, static and per-row gaps. */
const spark = Session.builder().appName("session-window").getOrCreate();
scopedTmpdir("rivulet-session-window-tmp-", spark);
const tempDir = tempDirs(spark);
const at = (hh: number, mm: number, ss = 0): Date => new Date(Date.UTC(2026, 0, 1, hh, mm, ss));

interface Event { user: string; time: Date; bytes: number }
const ev = (user: string, time: Date, bytes = 1): Event => ({ user, time, bytes });
const sessionRow = (user: string, start: Date, end: Date, n: number) => ({ user, session_window: { start, end }, n });

function batch(rows: Event[]): DataFrame {
  return spark.createDataFrame(rows, "user STRING, time TIMESTAMP, bytes BIGINT");
}

const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

describe("session_window in batch queries", () => {
  const events = [ev("a", at(10, 0)), ev("a", at(10, 3)), ev("a", at(10, 8)), ev("a", at(10, 20)), ev("b", at(10, 1)), ev("b", at(10, 30))];

  test("DataFrame: a row opens [t, t + gap); overlapping and touching sessions of a key merge", async () => {
    const df = batch(events).groupBy(col("user"), session_window(col("time"), "5 minutes")).agg(count("*").alias("n"));
    expect(df.schema.simpleString()).toBe("struct<user:string,session_window:struct<start:timestamp,end:timestamp>,n:bigint>");
    // a: 10:00 → [10:00, 10:05), 10:03 extends to 10:08, 10:08 starts where it ends and joins → [10:00, 10:13).
    expect(canon(await df.collect())).toEqual(canon([
      sessionRow("a", at(10, 0), at(10, 13), 3), sessionRow("a", at(10, 20), at(10, 25), 1),
      sessionRow("b", at(10, 1), at(10, 6), 1), sessionRow("b", at(10, 30), at(10, 35), 1),
    ]));
  });

  test("SQL: GROUP BY session_window(time, '5 minutes'), with session_window.start and .end selected", async () => {
    batch(events).createOrReplaceTempView("session_events");
    const rows = await spark.sql(`
      SELECT user, session_window.start AS s, session_window.end AS e, count(*) AS n, sum(bytes) AS total
      FROM session_events GROUP BY user, session_window(time, '5 minutes') ORDER BY user, s`).collect();
    expect(rows).toEqual([
      { user: "a", s: at(10, 0), e: at(10, 13), n: 3, total: 3 },
      { user: "a", s: at(10, 20), e: at(10, 25), n: 1, total: 1 },
      { user: "b", s: at(10, 1), e: at(10, 6), n: 1, total: 1 },
      { user: "b", s: at(10, 30), e: at(10, 35), n: 1, total: 1 },
    ]);
  });

  test("a gap per row from an expression; rows whose gap is zero, negative or not a duration are dropped", async () => {
    const gap = when(col("user").equalTo("a"), "1 minute").when(col("user").equalTo("z"), "0 seconds").otherwise("20 minutes");
    const df = batch([...events, ev("z", at(11, 0))]).groupBy(col("user"), session_window(col("time"), gap)).agg(count("*").alias("n"));
    expect(canon(await df.collect())).toEqual(canon([
      sessionRow("a", at(10, 0), at(10, 1), 1), sessionRow("a", at(10, 3), at(10, 4), 1),
      sessionRow("a", at(10, 8), at(10, 9), 1), sessionRow("a", at(10, 20), at(10, 21), 1),
      sessionRow("b", at(10, 1), at(10, 21), 1), sessionRow("b", at(10, 30), at(10, 50), 1),
    ]));
  });

  test("a batch query may aggregate by the session window alone", async () => {
    const rows = await batch(events).groupBy(session_window("time", "10 minutes")).agg(count("*").alias("n")).orderBy("session_window").collect();
    // 10:00, 10:01, 10:03, 10:08 → [10:00, 10:18); 10:20 and 10:30 → [10:20, 10:40).
    expect(rows).toEqual([
      { session_window: { start: at(10, 0), end: at(10, 18) }, n: 4 },
      { session_window: { start: at(10, 20), end: at(10, 40) }, n: 2 },
    ]);
  });

  test("errors: a time column that is not a timestamp, a malformed gap, two windows", () => {
    expect(() => batch(events).groupBy(session_window("bytes", "5 minutes")).count()).toThrow(/session_window\(\) must be a timestamp/);
    expect(() => session_window("time", "5 parsecs")).toThrow(AnalysisError);
    expect(() => spark.sql("SELECT count(*) FROM session_events GROUP BY session_window(time, '5 minutes'), session_window(time, '9 minutes')"))
      .toThrow(/Multiple time\/session window expressions/);
  });
});

describe("session_window in streaming queries", () => {
  const sessions = (input: MemoryStream<Event>): DataFrame => input.toDF()
    .withWatermark("time", "10 minutes")
    .groupBy(session_window(col("time"), "5 minutes"), col("user"))
    .agg(count("*").alias("n"));
  const row = (user: string, start: Date, end: Date, n: number) => ({ session_window: { start, end }, user, n });

  test("append: a session is emitted once, when the watermark passes its end; late rows are dropped; a restart keeps state", async () => {
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    await testStream(sessions(input), "append")
      .addData(input, [ev("a", at(10, 0)), ev("a", at(10, 3)), ev("b", at(10, 1))])
      .checkNewAnswer([])
      .assertNumStateRows(2)
      // 10:06 extends a's session to 10:11; 10:30 moves the watermark to 10:20, which closes both.
      .addData(input, [ev("a", at(10, 6)), ev("b", at(10, 30))])
      .checkNewAnswer([row("a", at(10, 0), at(10, 11), 3), row("b", at(10, 1), at(10, 6), 1)])
      .assertNumStateRows(1)
      .stopStream().startStream()
      // b's open session comes back from the checkpoint; a at 10:05 ends by 10:10, behind the 10:20 watermark: late.
      .addData(input, [ev("b", at(10, 33)), ev("a", at(10, 5)), ev("c", at(11, 0))])
      .checkNewAnswer([row("b", at(10, 30), at(10, 38), 2)])
      .assertOnQuery("late rows are counted", (q) => {
        const dropped = q.recentProgress.reduce((n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
        expect(dropped).toBe(1);
      })
      .assertNumStateRows(1)
      .run();
  });

  test("complete: an event bridging two sessions of a key merges them, across batches and a restart", async () => {
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    const df = input.toDF().groupBy(col("user"), session_window(col("time"), "5 minutes")).agg(count("*").alias("n"), sum("bytes").alias("bytes"));
    const r = (start: Date, end: Date, n: number, bytes: number) => ({ user: "u", session_window: { start, end }, n, bytes });
    await testStream(df, "complete")
      .addData(input, [ev("u", at(12, 0), 1), ev("u", at(12, 10), 10)])
      .checkAnswer([r(at(12, 0), at(12, 5), 1, 1), r(at(12, 10), at(12, 15), 1, 10)])
      .assertNumStateRows(2)
      .stopStream().startStream()
      // [12:05, 12:10) touches the end of the first and the start of the second: one session.
      .addData(input, [ev("u", at(12, 5), 100)])
      .checkAnswer([r(at(12, 0), at(12, 15), 3, 111)])
      .assertNumStateRows(1)
      .run();
  });

  test("complete with a watermark: every session stays, and late rows are dropped (Spark's SessionWindowStateStoreRestoreExec)", async () => {
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    const df = input.toDF().withWatermark("time", "10 minutes")
      .groupBy(col("user"), session_window(col("time"), "5 minutes")).agg(count("*").alias("n"), sum("bytes").alias("bytes"));
    const r = (user: string, start: Date, end: Date, n: number, bytes: number) => ({ user, session_window: { start, end }, n, bytes });
    await testStream(df, "complete")
      .addData(input, [ev("a", at(12, 0), 1), ev("a", at(12, 3), 1)])
      .checkAnswer([r("a", at(12, 0), at(12, 8), 2, 2)])
      // The watermark goes to 12:30; a's session, long closed, stays in complete mode.
      .addData(input, [ev("b", at(12, 40), 1)])
      .checkAnswer([r("a", at(12, 0), at(12, 8), 2, 2), r("b", at(12, 40), at(12, 45), 1, 1)])
      .stopStream().startStream()
      // a at 12:02 would end by 12:07, behind the watermark: late, not merged into a's session; b at 12:42 is on time.
      .addData(input, [ev("a", at(12, 2), 100), ev("b", at(12, 42), 10)])
      .checkAnswer([r("a", at(12, 0), at(12, 8), 2, 2), r("b", at(12, 40), at(12, 47), 2, 11)])
      .assertOnQuery("the late row is counted under Spark's operator name", (q) => {
        expect(q.lastProgress!.stateOperators[0]!.operatorName).toBe("sessionWindowStateStoreSaveExec");
        expect(q.recentProgress.reduce((n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0)).toBe(1);
      })
      .assertNumStateRows(2)
      .run();
  });

  test("update mode and a session window without another key are refused with Spark's words", async () => {
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    expect(() => sessions(input).writeStream.format("memory").queryName("sw_update").outputMode("update").start())
      .toThrow("Update output mode not supported for session window on streaming DataFrames/DataSets");
    const global = input.toDF().withWatermark("time", "1 minute").groupBy(session_window("time", "5 minutes")).count();
    expect(() => global.writeStream.format("memory").queryName("sw_global").outputMode("append").start())
      .toThrow("Global aggregation with session window in streaming query is not supported.");
    const noWatermark = input.toDF().groupBy(col("user"), session_window("time", "5 minutes")).count();
    expect(() => noWatermark.writeStream.format("memory").queryName("sw_nowm").outputMode("append").start())
      .toThrow(/Append output mode not supported when there are streaming aggregations on streaming DataFrames\/DataSets without watermark/);
  });

  test("SQL over a stream, into a SQLite table through JDBC in complete mode: merged sessions replace the ones they absorbed", async () => {
    const dir = await tempDir("rivulet-session-jdbc-");
    const url = `jdbc:sqlite:${join(dir, "sessions.db")}`;
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    input.toDF().createOrReplaceTempView("session_stream");
    const df = spark.sql("SELECT user, session_window, count(*) AS n FROM session_stream GROUP BY user, session_window(time, '5 minutes')");
    const q = df.writeStream.format("jdbc").outputMode("complete").option("dbtable", "sessions")
      .option("checkpointLocation", join(dir, "ckpt")).start(url);
    const rows = () => {
      const db = new pkg.Database(join(dir, "sessions.db"));
      try { return db.all("SELECT user, session_window_start AS s, session_window_end AS e, n FROM sessions ORDER BY user, s"); } finally { db.close(); }
    };
    const primaryKey = () => {
      const db = new pkg.Database(join(dir, "sessions.db"));
      try { return (db.all("PRAGMA table_info(sessions)") as { name: string; pk: number }[]).filter((c) => c.pk > 0).map((c) => c.name).sort(); } finally { db.close(); }
    };
    input.addData([ev("u", at(12, 0)), ev("u", at(12, 10)), ev("v", at(9, 0))]);
    await q.processAllAvailable();
    expect(rows()).toEqual([
      { user: "u", s: "2026-01-01 12:00:00.000000", e: "2026-01-01 12:05:00.000000", n: 1 },
      { user: "u", s: "2026-01-01 12:10:00.000000", e: "2026-01-01 12:15:00.000000", n: 1 },
      { user: "v", s: "2026-01-01 09:00:00.000000", e: "2026-01-01 09:05:00.000000", n: 1 },
    ]);
    // The session window keys the table as a window does: by its start and end, with the other keys.
    expect(primaryKey()).toEqual(["session_window_end", "session_window_start", "user"]);
    input.addData([ev("u", at(12, 5))]);
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(rows()).toEqual([
      { user: "u", s: "2026-01-01 12:00:00.000000", e: "2026-01-01 12:15:00.000000", n: 3 },
      { user: "v", s: "2026-01-01 09:00:00.000000", e: "2026-01-01 09:05:00.000000", n: 1 },
    ]);
  });

  test("append into JDBC: each session is inserted once, when it closes", async () => {
    const dir = await tempDir("rivulet-session-jdbc-append-");
    const file = join(dir, "sessions.db");
    const input = new MemoryStream<Event>(spark, "user STRING, time TIMESTAMP, bytes BIGINT");
    const q = sessions(input).writeStream.format("jdbc").outputMode("append").option("dbtable", "closed_sessions")
      .option("checkpointLocation", join(dir, "ckpt")).start(`jdbc:sqlite:${file}`);
    input.addData([ev("a", at(10, 0)), ev("a", at(10, 4))]);
    await q.processAllAvailable();
    input.addData([ev("b", at(11, 0))]);
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    const db = new pkg.Database(file);
    try {
      expect(db.all("SELECT user, session_window_start AS s, session_window_end AS e, n FROM closed_sessions")).toEqual([
        { user: "a", s: "2026-01-01 10:00:00.000000", e: "2026-01-01 10:09:00.000000", n: 2 },
      ]);
    } finally { db.close(); }
  });
});
