import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const spark = Session.builder().appName("sql-statements").getOrCreate();
const tempDir = tempDirs(spark);

async function logsDir(): Promise<string> {
  const dir = await tempDir("rivulet-sql-logs-");
  const rows = [
    { time: "2026-01-01T10:05:00Z", action: "click" },
    { time: "2026-01-01T10:20:00Z", action: "view" },
    { time: "2026-01-01T10:59:00Z", action: "click" },
    { time: "2026-01-01T11:10:00Z", action: "click" },
  ];
  await writeFile(join(dir, "part-0.json"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  return dir;
}

const canon = (rows: readonly Record<string, unknown>[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

describe("SQL statements", () => {
  test("the seed job as pure SQL: CREATE TABLE source and sink, INSERT INTO … FROM STREAM(logs)", async () => {
    const dir = await logsDir();
    const checkpoint = await tempDir("rivulet-sql-ckpt-");
    const { queries } = await spark.sqlScript(`
      -- the source: JSON files, read as a stream with STREAM(logs)
      CREATE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${dir}');
      /* the sink: a memory table the result can be read from */
      CREATE TABLE counts USING memory OPTIONS (outputMode 'complete', checkpointLocation '${checkpoint}');
      INSERT INTO counts
      SELECT action, window(time, '1 hour') AS w, count(*) AS n
      FROM STREAM(logs)
      GROUP BY action, window(time, '1 hour');
    `);
    expect(queries).toHaveLength(1);
    expect(spark.streams.active).toContain(queries[0]);
    await queries[0]!.processAllAvailable();
    const rows = await spark.sql("SELECT action, w.start AS start, n FROM counts ORDER BY start, action").collect();
    expect(rows.map((r) => [r.action, (r.start as Date).toISOString(), r.n])).toEqual([
      ["click", "2026-01-01T10:00:00.000Z", 2],
      ["view", "2026-01-01T10:00:00.000Z", 1],
      ["click", "2026-01-01T11:00:00.000Z", 1],
    ]);
    await queries[0]!.stop();
    // A plain reference reads the same table as a batch table.
    expect(spark.sql("SELECT * FROM logs").isStreaming).toBe(false);
    expect(await spark.sql("SELECT count(*) AS n FROM logs").collect()).toEqual([{ n: 4 }]);
    expect(spark.table("logs").isStreaming).toBe(false);
  });

  test("the seed job exactly as the issue writes it: INSERT INTO reads its source tables as streams", async () => {
    const dir = await logsDir();
    const { queries } = await spark.sqlScript(`
      CREATE OR REPLACE TABLE logs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${dir}');
      CREATE OR REPLACE TABLE counts USING memory OPTIONS (outputMode 'complete');
      INSERT INTO counts SELECT action, window(time, '1 hour') AS w, count(*) AS n FROM logs GROUP BY action, window(time, '1 hour');
    `);
    expect(queries).toHaveLength(1);
    expect(queries[0]!.isActive).toBe(true);
    await queries[0]!.processAllAvailable();
    expect(canon(await spark.sql("SELECT action, n FROM counts").collect())).toEqual(canon([
      { action: "click", n: 2 }, { action: "view", n: 1 }, { action: "click", n: 1 },
    ]));
    await queries[0]!.stop();
  });

  test("WATERMARK … DELAY OF lets a SQL-only aggregation run in append mode", async () => {
    const dir = await logsDir();
    const { queries } = await spark.sqlScript(`
      CREATE OR REPLACE TABLE wlogs (time TIMESTAMP, action STRING) USING json OPTIONS (path '${dir}');
      CREATE OR REPLACE TABLE hourly USING memory OPTIONS (outputMode 'append');
      INSERT INTO hourly
      SELECT window(time, '1 hour') AS w, count(*) AS n
      FROM STREAM wlogs WATERMARK time DELAY OF INTERVAL 10 MINUTES
      GROUP BY window(time, '1 hour')
    `);
    await queries[0]!.processAllAvailable();
    // The 10:00 window closed once the watermark (11:10 − 10 min) passed 11:00.
    const rows = await spark.table("hourly").collect();
    expect(rows.map((r) => [(r.w as { start: Date }).start.toISOString(), r.n])).toEqual([["2026-01-01T10:00:00.000Z", 3]]);
    await queries[0]!.stop();
  });

  test("CREATE VIEW, SHOW TABLES, DESCRIBE, DROP", async () => {
    spark.createDataFrame([{ a: 1, b: "x" }, { a: 2, b: "y" }], "a INT, b STRING").createOrReplaceTempView("base");
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW v AS SELECT a * 10 AS a10, b FROM base WHERE a > 1");
    expect(await spark.sql("SELECT * FROM v").collect()).toEqual([{ a10: 20, b: "y" }]);
    const tables = await spark.sql("SHOW TABLES").collect();
    expect(tables.map((r) => r.tableName)).toContain("v");
    expect(await spark.sql("DESCRIBE v").collect()).toEqual([
      { col_name: "a10", data_type: "int", comment: null },
      { col_name: "b", data_type: "string", comment: null },
    ]);
    expect(() => spark.sql("CREATE VIEW v AS SELECT 1 AS one")).toThrow(/already exists/);
    spark.sql("DROP VIEW v");
    expect(() => spark.sql("SELECT * FROM v")).toThrow(/TABLE_OR_VIEW_NOT_FOUND/);
  });

  test("SET writes spark.conf and shows the value", async () => {
    const df = spark.sql("SET spark.sql.shuffle.partitions = 4");
    expect(await df.collect()).toEqual([{ key: "spark.sql.shuffle.partitions", value: "4" }]);
    expect(spark.conf.get("spark.sql.shuffle.partitions")).toBe("4");
    spark.sql("SET rivulet.sql.outputMode = 'update'");
    expect(spark.conf.get("rivulet.sql.outputMode")).toBe("update");
    spark.conf.unset("spark.sql.shuffle.partitions");
    spark.conf.unset("rivulet.sql.outputMode");
  });

  test("EXPLAIN returns one `plan` column", async () => {
    spark.createDataFrame([{ a: 1 }], "a INT").createOrReplaceTempView("one");
    const [row] = await spark.sql("EXPLAIN EXTENDED SELECT a + 1 AS b FROM one WHERE 1 = 1").collect();
    expect(spark.sql("EXPLAIN SELECT a FROM one").columns).toEqual(["plan"]);
    expect(String(row!.plan)).toContain("== Optimized Logical Plan ==");
    expect(String(row!.plan)).toContain("== Physical Plan ==");
  });

  test("batch INSERT INTO a memory table, via sqlScript; spark.sql refuses it", async () => {
    spark.createDataFrame([{ a: 1 }, { a: 2 }], "a INT").createOrReplaceTempView("nums");
    await spark.sqlScript("CREATE TABLE sums (total BIGINT) USING memory; INSERT INTO sums SELECT sum(a) FROM nums; INSERT INTO sums SELECT 10");
    expect(await spark.sql("SELECT * FROM sums").collect()).toEqual([{ total: 3 }, { total: 10 }]);
    expect(() => spark.sql("INSERT INTO sums SELECT 1")).toThrow(/sqlScript/);
  });

  test("DataFrame helpers: selectExpr, filter(string), expr", async () => {
    const { expr } = await import("../../src/index.ts");
    const df = spark.createDataFrame([{ a: 1, b: "x" }, { a: 5, b: "y" }], "a INT, b STRING");
    expect(await df.selectExpr("a * 2 AS a2", "upper(b) b").filter("a2 > 2").collect()).toEqual([{ a2: 10, b: "Y" }]);
    expect(await df.where("b = 'x' OR a > 4").count()).toBe(2);
    expect(await df.select(expr("a + 1").as("n")).collect()).toEqual([{ n: 2 }, { n: 6 }]);
    expect(await df.agg(expr("max(a)").as("m")).collect()).toEqual([{ m: 5 }]);
    expect(df.selectExpr("*").columns).toEqual(["a", "b"]);
  });

  test("unknown tables, columns and functions suggest the closest name", () => {
    spark.createDataFrame([{ action: "a" }], "action STRING").createOrReplaceTempView("events");
    expect(() => spark.sql("SELECT * FROM evnts")).toThrow(/`evnts` cannot be found\. Did you mean `events`\?/);
    expect(() => spark.sql("SELECT acton FROM events")).toThrow(AnalysisError);
    expect(() => spark.sql("SELECT acton FROM events")).toThrow(/UNRESOLVED_COLUMN.WITH_SUGGESTION.*Did you mean one of the following\? \[`action`\]/);
    expect(() => spark.sql("SELECT uper(action) FROM events")).toThrow(/Cannot resolve routine `uper` on search path .*\. Did you mean `upper`\?/);
    expect(() => spark.table("evnts")).toThrow(/TABLE_OR_VIEW_NOT_FOUND.*Did you mean `events`\?/);
  });

  test("a type error names the expression", () => {
    spark.createDataFrame([{ action: "a" }], "action STRING").createOrReplaceTempView("events");
    expect(() => spark.sql("SELECT * FROM events WHERE action")).toThrow(/filter expression 'action' of type string is not a boolean/);
  });
});
