import { describe, expect, test } from "vitest";
import { planString } from "../../../src/plan/plan-string.ts";
import type { LogicalPlan } from "../../../src/plan/logical-plan.ts";
import {
  AnalysisError, MemoryStream, Session, Window, col, cume_dist, dense_rank, first, lag, last, lead, nth_value, ntile,
  percent_rank, rank, row_number, sum, count, avg, max,
} from "../../../src/index.ts";

/**
 * Window functions as Spark 3.5 gives them, in SQL and with the DataFrame API (the same plan
 * builder): values, default frames, named windows, column names, and Spark's errors.
 */
const spark = Session.builder().appName("window-functions").getOrCreate();
const df = spark.createDataFrame([
  { a: "A1", b: 1, c: 10 }, { a: "A1", b: 1, c: 20 }, { a: "A1", b: 2, c: null }, { a: "A1", b: 3, c: 5 },
  { a: "A2", b: 1, c: 7 }, { a: "A2", b: null, c: 8 }, { a: null, b: 4, c: 1 },
], "a STRING, b INT, c INT");
df.createOrReplaceTempView("wt");

const sql = async (q: string): Promise<Record<string, unknown>[]> => (await spark.sql(q).collect()) as Record<string, unknown>[];
const column = (rows: readonly Record<string, unknown>[], name: string): unknown[] => rows.map((r) => r[name]);

describe("ranking functions", () => {
  test("row_number, rank, dense_rank, percent_rank, cume_dist, ntile per partition in ORDER BY order", async () => {
    const rows = await sql(`SELECT a, b, row_number() OVER w AS rn, rank() OVER w AS rk, dense_rank() OVER w AS dr,
      percent_rank() OVER w AS pr, cume_dist() OVER w AS cd, ntile(3) OVER w AS nt
      FROM wt WHERE a = 'A1' WINDOW w AS (PARTITION BY a ORDER BY b) ORDER BY rn`);
    expect(column(rows, "rk")).toEqual([1, 1, 3, 4]);
    expect(column(rows, "dr")).toEqual([1, 1, 2, 3]);
    expect(column(rows, "pr")).toEqual([0, 0, 2 / 3, 1]);
    expect(column(rows, "cd")).toEqual([0.5, 0.5, 0.75, 1]);
    // Spark's NTile: 4 rows in 3 buckets are 2, 1, 1.
    expect(column(rows, "nt")).toEqual([1, 1, 2, 3]);
  });

  test("the DataFrame form plans and answers as the SQL form", async () => {
    const w = Window.partitionBy("a").orderBy(col("b").desc());
    const rows = await df.filter(col("a").equalTo("A1"))
      .select(col("b"), row_number().over(w).as("rn"), rank().over(w).as("rk"), dense_rank().over(w).as("dr"),
        percent_rank().over(w).as("pr"), cume_dist().over(w).as("cd"), ntile(2).over(w).as("nt"))
      .orderBy("rn").collect();
    expect(rows).toEqual([
      { b: 3, rn: 1, rk: 1, dr: 1, pr: 0, cd: 0.25, nt: 1 },
      { b: 2, rn: 2, rk: 2, dr: 2, pr: 1 / 3, cd: 0.5, nt: 1 },
      { b: 1, rn: 3, rk: 3, dr: 3, pr: 2 / 3, cd: 1, nt: 2 },
      { b: 1, rn: 4, rk: 3, dr: 3, pr: 2 / 3, cd: 1, nt: 2 },
    ]);
  });

  test("a ranking function needs ORDER BY, and keeps its own frame", async () => {
    expect(() => spark.sql("SELECT row_number() OVER (PARTITION BY a) FROM wt")).toThrow(
      "Window function row_number() requires window to be ordered, please add ORDER BY clause. For example SELECT row_number()(value_expr) OVER (PARTITION BY window_partition ORDER BY window_ordering) from table.");
    expect(() => df.select(rank().over(Window.partitionBy("a")))).toThrow(/rank\(\) requires window to be ordered/);
    expect(() => spark.sql("SELECT rank() OVER (ORDER BY b ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM wt")).toThrow(
      "Window Frame ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING must match the required frame ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW");
    expect(() => spark.sql("SELECT row_number() FROM wt")).toThrow('[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE] Window function "row_number" requires an OVER clause.');
  });
});

describe("aggregates over windows", () => {
  test("default frames: RANGE UNBOUNDED PRECEDING..CURRENT ROW with ORDER BY (peers included), the whole partition without", async () => {
    const rows = await sql("SELECT a, b, c, sum(c) OVER (PARTITION BY a ORDER BY b) AS running, sum(c) OVER (PARTITION BY a) AS total FROM wt WHERE a = 'A1' ORDER BY b, c");
    expect(column(rows, "running")).toEqual([30, 30, 30, 35]);
    expect(column(rows, "total")).toEqual([35, 35, 35, 35]);
  });

  test("ROWS and RANGE frames with offsets, in SQL and with rowsBetween/rangeBetween", async () => {
    const q = await sql(`SELECT b, c, sum(c) OVER (ORDER BY b, c ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r,
      sum(b) OVER (ORDER BY b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) AS v FROM wt WHERE a = 'A1' ORDER BY b, c`);
    expect(q.map((r) => [r.r, r.v])).toEqual([[10, 2], [30, 2], [20, 4], [5, 5]]);
    const w = Window.orderBy("b", "c");
    const d = await df.filter(col("a").equalTo("A1")).select(col("b"), col("c"),
      sum("c").over(w.rowsBetween(-1, Window.currentRow)).as("r"),
      sum("b").over(Window.orderBy("b").rangeBetween(-1, 0)).as("v"),
      count("c").over(w.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)).as("n")).orderBy("b", "c").collect();
    expect(d.map((r) => [r.r, r.v, r.n])).toEqual([[10, 2, 3], [30, 2, 3], [20, 4, 3], [5, 5, 3]]);
  });

  test("a null ORDER BY value is its own peer group in RANGE frames", async () => {
    const rows = await sql("SELECT b, sum(c) OVER (PARTITION BY a ORDER BY b RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS s FROM wt WHERE a = 'A2' ORDER BY b");
    expect(rows).toEqual([{ b: null, s: 8 }, { b: 1, s: 7 }]);
  });

  test("first/last with ignoreNulls, avg and max over frames; empty frames give NULL (count gives 0)", async () => {
    const w = Window.partitionBy("a").orderBy("b", "c");
    const rows = await df.filter(col("a").equalTo("A1")).select(col("b"), col("c"),
      first("c", true).over(w.rowsBetween(1, 2)).as("f"), last("c", true).over(w.rowsBetween(-2, -1)).as("l"),
      avg("c").over(w.rowsBetween(-3, -2)).as("av"), max("c").over(w).as("mx"), count("c").over(w.rowsBetween(5, 6)).as("none"),
    ).orderBy("b", "c").collect();
    expect(rows.map((r) => [r.f, r.l, r.av, r.mx, r.none])).toEqual([
      [20, null, null, 10, 0], [5, 10, null, 20, 0], [5, 20, 10, 20, 0], [null, 20, 15, 20, 0],
    ]);
  });

  test("RANGE frames with offsets need one ORDER BY key of a numeric or datetime type", () => {
    expect(() => spark.sql("SELECT sum(c) OVER (ORDER BY a RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wt")).toThrow(/\[DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE\]/);
    expect(() => spark.sql("SELECT sum(c) OVER (ORDER BY b, c RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wt")).toThrow(/\[DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER\]/);
    expect(() => spark.sql("SELECT sum(c) OVER (PARTITION BY a RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM wt")).toThrow(/\[DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER\]/);
    expect(() => spark.sql("SELECT count(DISTINCT c) OVER (PARTITION BY a) FROM wt")).toThrow(/\[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED\]/);
  });
});

describe("offset functions", () => {
  test("lag and lead with offsets, defaults and IGNORE NULLS", async () => {
    const rows = await sql(`SELECT b, c, lag(c) OVER w AS l1, lag(c, 2, 0) OVER w AS l2, lead(c) OVER w AS n1,
      lead(c, 1, -1) IGNORE NULLS OVER w AS nn, lag(c) IGNORE NULLS OVER w AS ln
      FROM wt WHERE a = 'A1' WINDOW w AS (ORDER BY b, c NULLS LAST) ORDER BY b, c NULLS LAST`);
    expect(rows.map((r) => [r.l1, r.l2, r.n1, r.nn, r.ln])).toEqual([
      [null, 0, 20, 20, null], [10, 0, null, 5, 10], [20, 10, 5, 5, 20], [null, 20, null, -1, 20],
    ]);
    const w = Window.orderBy("b", "c");
    const d = await df.filter(col("a").equalTo("A1")).select(col("b"), col("c"), lag("c", 1, 99).over(w).as("l"), lead(col("c"), 1, null, true).over(w).as("n"))
      .orderBy("b", "c").collect();
    expect(d.map((r) => [r.l, r.n])).toEqual([[99, 20], [10, 5], [20, 5], [null, null]]);
  });

  test("nth_value counts from the frame's start", async () => {
    const w = Window.orderBy("b", "c").rowsBetween(Window.unboundedPreceding, Window.currentRow);
    const rows = await df.filter(col("a").equalTo("A1")).select(nth_value("c", 2).over(w).as("n"), nth_value("c", 3, true).over(w).as("nn"))
      .collect();
    expect(rows.map((r) => [r.n, r.nn]).sort()).toEqual([[null, null], [20, null], [20, null], [20, 5]].sort());
  });
});

describe("names, named windows and plans", () => {
  test("unaliased window expressions are named as Spark names them", () => {
    expect(spark.sql("SELECT sum(c) OVER (PARTITION BY a ORDER BY b) FROM wt").columns).toEqual([
      "sum(c) OVER (PARTITION BY a ORDER BY b ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]);
    expect(spark.sql("SELECT lag(b) OVER (PARTITION BY a ORDER BY b) FROM wt").columns).toEqual([
      "lag(b, 1, NULL) OVER (PARTITION BY a ORDER BY b ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)"]);
    expect(spark.sql("SELECT row_number() OVER (ORDER BY b DESC), count(1) OVER () FROM wt").columns).toEqual([
      "row_number() OVER (ORDER BY b DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
      "count(1) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"]);
  });

  test("WINDOW w AS (…) after FROM t (not read as an alias), OVER w and OVER (w); an unknown name fails", async () => {
    const rows = await sql("SELECT b, rank() OVER w AS r, sum(c) OVER (w) AS s FROM wt WINDOW w AS (PARTITION BY a ORDER BY b) ORDER BY a, b, c");
    expect(rows).toHaveLength(7);
    expect(() => spark.sql("SELECT rank() OVER v FROM wt WINDOW w AS (ORDER BY b)")).toThrow("Window specification v is not defined in the WINDOW clause.");
  });

  test("window expressions inside larger expressions, with one Window per specification", async () => {
    const q = spark.sql("SELECT b, c, c - lag(c, 1, 0) OVER (ORDER BY b, c) AS delta, rank() OVER (PARTITION BY a ORDER BY c) AS r FROM wt WHERE a = 'A1'");
    const plan = planString((q as unknown as { plan: LogicalPlan }).plan);
    expect(plan.match(/Window \[/g)).toHaveLength(2);
    const rows = (await q.orderBy("b", "c").collect()) as Record<string, unknown>[];
    // Rows in b, c order: c = 10, 20, NULL, 5.
    expect(column(rows, "delta")).toEqual([10, 10, null, null]);
    expect(column(rows, "r")).toEqual([3, 4, 1, 2]);
  });

  test("windows are refused on streams with Spark's words, and in WHERE", () => {
    const input = new MemoryStream<{ k: string; v: number }>(spark, "k STRING, v INT");
    const windowed = input.toDF().select(col("k"), sum("v").over(Window.partitionBy("k")).as("s"));
    expect(() => windowed.writeStream.format("memory").queryName("window_on_stream").outputMode("append").start())
      .toThrow("[NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING] Window function is not supported in SUM(V) (as column `s`) on streaming DataFrames/Datasets. "
        + "Structured Streaming only supports time-window aggregation using the WINDOW function. "
        + "(window specification: (PARTITION BY K ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))");
    // Spark's example: row_number() over a partition, ordered; in SQL over a streaming view too.
    const ranked = input.toDF().withColumn("rn", row_number().over(Window.partitionBy("k").orderBy("v")));
    let error: unknown;
    try {
      ranked.writeStream.format("memory").queryName("window_on_stream_rn").outputMode("append").start();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as AnalysisError).errorClass).toBe("NON_TIME_WINDOW_NOT_SUPPORTED_IN_STREAMING");
    expect((error as AnalysisError).messageParameters).toEqual({
      windowFunc: "ROW_NUMBER()", columnName: "`rn`", windowSpec: "(PARTITION BY K ORDER BY V ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)",
    });
    input.toDF().createOrReplaceTempView("window_stream_view");
    expect(() => spark.sql("SELECT k, rank() OVER (PARTITION BY k ORDER BY v DESC) AS r FROM window_stream_view").writeStream.format("memory").queryName("window_on_stream_sql").start())
      .toThrow("Window function is not supported in RANK() (as column `r`)");
    expect(() => spark.sql("SELECT * FROM wt WHERE rank() OVER (ORDER BY b) = 1")).toThrow(AnalysisError);
    expect(() => spark.sql("SELECT * FROM wt WHERE rank() OVER (ORDER BY b) = 1")).toThrow("It is not allowed to use window functions inside WHERE clause");
  });
});

describe("windows over an aggregation", () => {
  test("the aggregation runs first, then the windows over its rows (ranks of sums, a total of counts, lags of sums)", async () => {
    const rows = await sql(`SELECT a, sum(c) AS s, rank() OVER (ORDER BY sum(c) DESC) AS r, sum(count(*)) OVER () AS n,
      sum(c) - lag(sum(c), 1, 0) OVER (ORDER BY a) AS delta FROM wt WHERE a IS NOT NULL GROUP BY a ORDER BY a`);
    expect(rows).toEqual([{ a: "A1", s: 35, r: 1, n: 6, delta: 35 }, { a: "A2", s: 15, r: 2, n: 6, delta: -20 }]);
    expect(spark.sql("SELECT a, rank() OVER (ORDER BY sum(c)) FROM wt GROUP BY a").columns).toEqual([
      "a", "rank() OVER (ORDER BY sum(c) ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"]);
  });
});
