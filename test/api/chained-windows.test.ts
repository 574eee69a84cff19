import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session, col, count, sum, window, window_time, type DataFrame } from "../../src/index.ts";
import { scopedTmpdir } from "../testing/scoped-tmpdir.ts";

// Spark 3.4+'s chained time windows: a windowed aggregation's result aggregated again over a
// coarser window of `window_time(window)`, in append mode, each on the watermark propagated to it.
const spark = Session.builder().appName("chained-windows").getOrCreate();
scopedTmpdir("rivulet-chained-windows-", spark);

const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 0, minute));
type Event = { t: Date; v: number };
const batches: Event[][] = [
  [{ t: at(1), v: 1 }, { t: at(5), v: 2 }, { t: at(15), v: 3 }, { t: at(59), v: 4 }],
  [{ t: at(75), v: 5 }, { t: at(30), v: 100 }], // 0:30 is late for the 10-minute windows (watermark 0:59)
  [{ t: at(200), v: 6 }],
];
// Hour 0: windows 0:00, 0:10, 0:50 (4 events); hour 1: window 1:10 (1 event); hour 3 stays open.
const expected = [
  { start: at(0), n: 4, windows: 3, v: 10 },
  { start: at(60), n: 1, windows: 1, v: 5 },
];

let names = 0;
async function runChain(hourly: (input: DataFrame) => DataFrame, options: { restartAfter?: number } = {}): Promise<unknown[]> {
  const input = new MemoryStream<Event>(spark, "t TIMESTAMP, v INT");
  const checkpoint = await mkdtemp(join(tmpdir(), "chain-"));
  const name = `chain_${process.pid}_${names++}`;
  const start = () => hourly(input.toDF().withWatermark("t", "0 seconds")).writeStream
    .format("memory").queryName(name).outputMode("append").option("checkpointLocation", checkpoint).start();
  let query = start();
  for (const [i, rows] of batches.entries()) {
    input.addData(rows);
    await query.processAllAvailable();
    if (options.restartAfter === i) {
      await query.stop();
      query = start();
    }
  }
  await query.stop();
  const rows = await spark.table(name).collect();
  return rows.map((r) => ({ start: (r.window as { start: Date }).start, n: r.n, windows: r.windows, v: r.v }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

const tenMinutes = (input: DataFrame): DataFrame =>
  input.groupBy(window(col("t"), "10 minutes")).agg(count("*").as("n"), sum("v").as("v"));

describe("chained time windows (window_time)", () => {
  test("window(window_time(window), '1 hour') over 10-minute windows: each hour once, when the watermark passes it", async () => {
    const rows = await runChain((input) => tenMinutes(input)
      .groupBy(window(window_time(col("window")), "1 hour")).agg(sum("n").as("n"), count("*").as("windows"), sum("v").as("v")));
    expect(rows).toEqual(expected);
  });

  test("a window over the window column itself means the same (Spark 3.4+)", async () => {
    const rows = await runChain((input) => tenMinutes(input)
      .groupBy(window(col("window"), "1 hour")).agg(sum("n").as("n"), count("*").as("windows"), sum("v").as("v")));
    expect(rows).toEqual(expected);
  });

  test("restarted from its checkpoint between batches, both aggregations resume their state", async () => {
    const hourly = (input: DataFrame): DataFrame => tenMinutes(input)
      .groupBy(window(window_time(col("window")), "1 hour")).agg(sum("n").as("n"), count("*").as("windows"), sum("v").as("v"));
    expect(await runChain(hourly, { restartAfter: 0 })).toEqual(expected);
    expect(await runChain(hourly, { restartAfter: 1 })).toEqual(expected);
  });

  test("the SQL form", async () => {
    const rows = await runChain((input) => {
      const view = `events_${process.pid}_${names++}`;
      input.createOrReplaceTempView(view);
      return spark.sql(`
        SELECT window(window_time(window), '1 hour') AS window, sum(n) AS n, count(*) AS windows, sum(v) AS v
        FROM (SELECT window, count(*) AS n, sum(v) AS v FROM ${view} GROUP BY window(t, '10 minutes'))
        GROUP BY window(window_time(window), '1 hour')`);
    });
    expect(rows).toEqual(expected);
  });

  test("two aggregations in update or complete mode are refused with Spark's words", async () => {
    const input = new MemoryStream<Event>(spark, "t TIMESTAMP, v INT");
    const hourly = tenMinutes(input.toDF().withWatermark("t", "0 seconds")).groupBy(window(window_time(col("window")), "1 hour")).count();
    for (const mode of ["update", "complete"] as const) {
      expect(() => hourly.writeStream.format("memory").queryName(`refused_${mode}`).outputMode(mode).start())
        .toThrow("Multiple streaming aggregations are not supported with streaming DataFrames/Datasets");
    }
  });

  test("an aggregation after a windowed one that does not group by event time cannot close its groups in append mode", async () => {
    const input = new MemoryStream<Event>(spark, "t TIMESTAMP, v INT");
    const byCount = tenMinutes(input.toDF().withWatermark("t", "0 seconds")).groupBy(col("n")).count();
    expect(() => byCount.writeStream.format("memory").queryName("refused_no_watermark").outputMode("append").start())
      .toThrow("Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark");
  });

  test("window_time of a batch window, and of something that is not a window", async () => {
    const rows = await spark.sql("SELECT window_time(window(TIMESTAMP'2026-01-01 00:10:00', '10 minutes')) AS wt").collect();
    expect(rows).toEqual([{ wt: new Date("2026-01-01T00:19:59.999Z") }]);
    expect(() => spark.sql("SELECT window_time(named_struct('a', 1))")).toThrow(AnalysisError);
    expect(() => spark.sql("SELECT window_time(named_struct('a', 1))")).toThrow(/\[DATATYPE_MISMATCH\.UNEXPECTED_INPUT_TYPE\].*window column/);
  });
});

describe("window() in SQL as Spark's docs write it", () => {
  test("a string time column is cast to a timestamp, and window.start names the grouping window", async () => {
    const rows = await spark.sql(`
      SELECT a, window.start, window.end, count(*) AS cnt
      FROM VALUES ('A1', '2021-01-01 00:00:00'), ('A1', '2021-01-01 00:04:30'), ('A1', '2021-01-01 00:06:00'), ('A2', '2021-01-01 00:01:00') AS tab(a, b)
      GROUP BY a, window(b, '5 minutes') ORDER BY a, start`).collect();
    const t = (s: string): Date => new Date(`2021-01-01T${s}Z`);
    expect(rows).toEqual([
      { a: "A1", start: t("00:00:00"), end: t("00:05:00"), cnt: 2 },
      { a: "A1", start: t("00:05:00"), end: t("00:10:00"), cnt: 1 },
      { a: "A2", start: t("00:00:00"), end: t("00:05:00"), cnt: 1 },
    ]);
  });
});
