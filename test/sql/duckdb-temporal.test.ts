import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { ConfKeys } from "../../src/common/config.ts";

/**
 * Interval and datetime arithmetic agrees with DuckDB where the two dialects mean the same
 * (both sessions in UTC; results compared as text, which both print as `yyyy-MM-dd HH:mm:ss`).
 * Where Spark differs (a DATE plus a year-month interval is a DATE in Spark, a TIMESTAMP in DuckDB;
 * ANSI interval types; wall-clock timestampdiff), the golden
 * file datetime-intervals.sql holds Spark's answers instead.
 */
const QUERIES = [
  "SELECT CAST(TIMESTAMP '2026-01-31 10:00:00' + INTERVAL 1 HOUR AS VARCHAR) AS t",
  "SELECT CAST(TIMESTAMP '2026-01-31 10:00:00' - INTERVAL '90' MINUTE AS VARCHAR) AS t",
  "SELECT CAST(TIMESTAMP '2026-01-31 10:00:00' + INTERVAL '1' MONTH AS VARCHAR) AS t",
  "SELECT CAST(TIMESTAMP '2024-02-29 10:00:00' + INTERVAL '1' YEAR AS VARCHAR) AS t",
  "SELECT CAST(DATE '2026-01-31' + 7 AS VARCHAR) AS d",
  "SELECT CAST(DATE '2026-03-01' - 1 AS VARCHAR) AS d",
  "SELECT CAST(last_day(DATE '2024-02-10') AS VARCHAR) AS d",
  "SELECT CAST(make_date(2026, 2, 28) AS VARCHAR) AS d",
  "SELECT extract(HOUR FROM TIMESTAMP '2026-01-01 10:20:30') AS h, extract(MINUTE FROM TIMESTAMP '2026-01-01 10:20:30') AS m, extract(YEAR FROM DATE '2026-05-06') AS y",
  "SELECT datediff('2026-03-01', '2026-01-01') AS spark_only_order",
  "SELECT TIMESTAMP '2026-01-02 00:00:00' > TIMESTAMP '2026-01-01 00:00:00' + INTERVAL 23 HOUR AS later",
];

/** DuckDB spells a few of these differently: the same question in its dialect. */
const DUCK_SPELLING: Record<string, string> = {
  "SELECT datediff('2026-03-01', '2026-01-01') AS spark_only_order": "SELECT date_diff('day', DATE '2026-01-01', DATE '2026-03-01') AS spark_only_order",
};

const spark = Session.builder().appName("sql-duckdb-temporal").getOrCreate().newSession();
let duck: DuckDBConnection;

beforeAll(async () => {
  spark.conf.set(ConfKeys.sessionTimeZone, "UTC");
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  await duck.run("SET TimeZone = 'UTC'");
});

afterAll(() => duck?.closeSync());

const normalise = (rows: readonly Record<string, unknown>[]): string[] =>
  rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))));

describe("datetime arithmetic agrees with DuckDB", () => {
  test.each(QUERIES)("%s", async (sql) => {
    const ours = await spark.sql(sql).collect();
    const theirs = (await duck.runAndReadAll(DUCK_SPELLING[sql] ?? sql)).getRowObjectsJS() as Record<string, unknown>[];
    expect(normalise(ours)).toEqual(normalise(theirs));
  });
});
