import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import pkg from "node-sqlite3-wasm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, types, upper, window, type DataFrame, type GroupState, type StreamingQuery } from "../../../src/index.ts";
import { MYSQL_URL, PG_URL, mysqlConnection, mysqlRows, pgClient, removeTempDirs, tempDir, uniqueTable } from "./helpers.ts";

/**
 * The JDBC sink's primary key follows the result's key by lineage (issue 15): every form
 * of the hourly-counts job — DataFrame, SQL with and without `AS w`, a renamed window, a
 * reordering projection, the window as the only key, two windows — against MariaDB,
 * PostgreSQL and SQLite, one hourly file per batch (so a too-short key would overwrite
 * rows), the table compared with the batch answer of the same query.
 */

const spark = Session.builder().getOrCreate();
const SCHEMA = "time TIMESTAMP, action STRING";
let mysql: Connection;
let postgres: pg.Client;
const dropped: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  mysql = await mysqlConnection();
  postgres = await pgClient();
});

afterAll(async () => {
  await spark.streams.stopAll();
  for (const drop of dropped) await drop();
  await mysql.end();
  await postgres.end();
  await removeTempDirs();
});

// ---- the databases ----

type Row = Record<string, unknown>;

interface Database {
  readonly name: string;
  /** The JDBC URL of a database holding `table` (SQLite: a file in `dir`). */
  url(dir: string): string;
  rows(url: string, table: string): Promise<Row[]>;
  /** The table's primary key columns, sorted; null when the table does not exist. */
  primaryKey(url: string, table: string): Promise<string[] | null>;
  execute(url: string, statement: string): Promise<void>;
}

const { Database: SqliteFile } = pkg;
function withSqlite<T>(url: string, f: (db: InstanceType<typeof SqliteFile>) => T): T {
  const db = new SqliteFile(url.slice("jdbc:sqlite:".length));
  try { return f(db); } finally { db.close(); }
}

const DATABASES: readonly Database[] = [
  {
    name: "MariaDB",
    url: () => MYSQL_URL,
    rows: (_url, table) => mysqlRows(mysql, `SELECT * FROM \`${table}\``),
    async primaryKey(_url, table) {
      const columns = await mysqlRows(mysql, "SELECT COLUMN_NAME c, COLUMN_KEY k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ?", [table]);
      return columns.length === 0 ? null : columns.filter((r) => r.k === "PRI").map((r) => String(r.c)).sort();
    },
    async execute(_url, statement) { await mysql.query(statement.replaceAll('"', "`")); },
  },
  {
    name: "PostgreSQL",
    url: () => PG_URL,
    async rows(_url, table) {
      const { rows } = await postgres.query(`SELECT row_to_json(t)::text AS j FROM "${table}" t`);
      return rows.map((r) => JSON.parse(r.j as string) as Row);
    },
    async primaryKey(_url, table) {
      const exists = await postgres.query("SELECT 1 FROM information_schema.tables WHERE table_name = $1", [table]);
      if (exists.rows.length === 0) return null;
      const { rows } = await postgres.query(
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary`, [`"${table}"`]);
      return rows.map((r) => String(r.attname)).sort();
    },
    async execute(_url, statement) { await postgres.query(statement); },
  },
  {
    name: "SQLite",
    url: (dir) => `jdbc:sqlite:${join(dir, "counts.db")}`,
    rows: async (url, table) => withSqlite(url, (db) => db.all(`SELECT * FROM "${table}"`) as Row[]),
    primaryKey: async (url, table) => withSqlite(url, (db) => {
      const info = db.all(`SELECT name, pk FROM pragma_table_info('${table}')`) as { name: string; pk: number }[];
      return info.length === 0 ? null : info.filter((c) => c.pk > 0).map((c) => c.name).sort();
    }),
    execute: async (url, statement) => withSqlite(url, (db) => { db.exec(statement); }),
  },
];

/** A table name no other test uses, dropped after the file's tests (SQLite's go with their directory). */
function sinkTable(db: Database): string {
  const table = uniqueTable("keys");
  if (db.name === "MariaDB") dropped.push(() => mysql.query(`DROP TABLE IF EXISTS \`${table}\``));
  if (db.name === "PostgreSQL") dropped.push(() => postgres.query(`DROP TABLE IF EXISTS "${table}"`));
  return table;
}

// ---- the input: one file per hour, some rows arriving an hour late ----

const at = (day: number, hour: number, minute: number): string => `2026-01-0${day}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`;
const HOURS: readonly (readonly [number, number])[] = [[1, 21], [1, 22], [1, 23], [2, 0], [2, 1]];

/** Writes the hourly files: the first `first` now, the rest when the returned function is called. */
async function hourlyFiles(dir: string, first: number): Promise<() => Promise<void>> {
  const write = async (k: number) => {
    const [day, hour] = HOURS[k]!;
    const rows = [
      { time: at(day, hour, 1), action: "click" }, { time: at(day, hour, 2), action: "click" },
      { time: at(day, hour, 3), action: "view" }, { time: at(day, hour, 4 + k), action: k % 2 === 0 ? "buy" : "view" },
    ];
    if (k > 0) rows.push({ time: at(HOURS[k - 1]![0], HOURS[k - 1]![1], 30), action: "click" }); // late: updates the hour before
    await writeFile(join(dir, `${String(k).padStart(2, "0")}.json`), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  };
  for (let k = 0; k < first; k++) await write(k);
  return async () => { for (let k = first; k < HOURS.length; k++) await write(k); };
}

// ---- comparing a table with a batch answer ----

const TIMESTAMP = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)/;
const DATE = /^(\d{4}-\d\d-\d\d)$/;

/** A row as sorted `column=value` text: structs flattened as the sink does, timestamps to the second. */
function canonical(row: Row): string {
  const out: [string, string][] = [];
  const add = (name: string, v: unknown): void => {
    if (v instanceof Date) return void out.push([name, v.toISOString().slice(0, 19).replace("T", " ")]);
    if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) add(`${name}_${k}`, x);
      return;
    }
    const m = typeof v === "string" ? TIMESTAMP.exec(v) ?? DATE.exec(v) : null;
    if (m !== null) return void out.push([name, `${m[1]} ${m[2] ?? "00:00:00"}`]);
    out.push([name, typeof v === "bigint" || (typeof v === "string" && /^\d+$/.test(v)) ? String(Number(v)) : String(v)]);
  };
  for (const [k, v] of Object.entries(row)) add(k.toLowerCase(), v);
  return out.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(" ");
}

const canonicalRows = (rows: readonly Row[]): string[] => rows.map(canonical).sort();

// ---- the forms of the job ----

interface Job {
  readonly name: string;
  /** The sink table's primary key, sorted. */
  readonly key: readonly string[];
  readonly mode?: "update" | "complete";
  /** Rows of the answer at least (default: one per hour; a key without the window would have overwritten them). */
  readonly minRows?: number;
  /** A DataFrame form, over the logs (a stream or a batch). */
  readonly df?: (logs: DataFrame) => DataFrame;
  /** A SQL form: the SELECT over the table `logs`. */
  readonly sql?: string;
}

const hourly = (logs: DataFrame): DataFrame => logs.groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"));
const GROUP = "FROM logs GROUP BY action, window(time, '1 hour')";

const JOBS: readonly Job[] = [
  { name: "DataFrame", key: ["action", "window_end", "window_start"], df: hourly },
  { name: "SQL with AS w", key: ["action", "w_end", "w_start"], sql: `SELECT action, window(time, '1 hour') AS w, count(*) AS n ${GROUP}` },
  { name: "SQL without an alias", key: ["action", "window_end", "window_start"], sql: `SELECT action, window(time, '1 hour'), count(*) AS n ${GROUP}` },
  { name: "withColumnRenamed(window, hour)", key: ["action", "hour_end", "hour_start"], df: (l) => hourly(l).withColumnRenamed("window", "hour") },
  { name: "select(col(window).as(hour), …)", key: ["action", "hour_end", "hour_start"], df: (l) => hourly(l).select(col("window").as("hour"), col("action"), col("n")) },
  { name: "a projection reordering the columns", key: ["action", "window_end", "window_start"], df: (l) => hourly(l).select("n", "action", "window") },
  { name: "the window as the only key", key: ["w_end", "w_start"], sql: "SELECT count(*) AS n, window(time, '1 hour') AS w FROM logs GROUP BY window(time, '1 hour')" },
  {
    // Two window() in one aggregation are refused, as Spark does (below): the day is a second time key.
    name: "an hour window and a day", key: ["action", "day", "h_end", "h_start"],
    sql: "SELECT window(time, '1 hour') AS h, to_date(time) AS day, action, count(*) AS n FROM logs GROUP BY window(time, '1 hour'), to_date(time), action",
  },
  {
    name: "groupByKey(…).count(), its key renamed", key: ["action"], minRows: 3,
    df: (l) => l.groupByKey((r) => r.action as string, "string").count().toDF().withColumnRenamed("key", "action"),
  },
  {
    name: "groupByKey(…).reduceGroups, its key renamed", key: ["action"], minRows: 3,
    df: (l) => l.groupByKey((r) => r.action as string, "string").reduceGroups((a, b) => ((a.time as Date) >= (b.time as Date) ? a : b))
      .toDF().select(col("value"), col("key").as("action")),
  },
  { name: "a global aggregation (empty key)", key: [], minRows: 1, sql: "SELECT count(*) AS n, max(time) AS latest FROM logs" },
  { name: "complete mode, a key computed over: no primary key", key: [], mode: "complete", sql: `SELECT upper(action) AS action, window(time, '1 hour') AS w, count(*) AS n ${GROUP}` },
];

let tables = 0;

/** Runs `job` into `db` over hourly files arriving in two waves; returns the sink table and the batch answer. */
async function runJob(db: Database, job: Job): Promise<{ url: string; table: string; expected: Row[] }> {
  const dir = await tempDir("keys");
  const logsDir = join(dir, "logs");
  await mkdir(logsDir);
  const url = db.url(dir);
  const table = sinkTable(db);
  const more = await hourlyFiles(logsDir, 2);
  const mode = job.mode ?? "update";
  let query: StreamingQuery;
  let batch: () => DataFrame;
  if (job.sql !== undefined) {
    const n = tables++;
    const sql = job.sql.replaceAll("FROM logs", `FROM logs_${n}`);
    const { queries } = await spark.sqlScript(`
      CREATE TABLE logs_${n} (time TIMESTAMP, action STRING) USING json OPTIONS (path '${logsDir}', maxFilesPerTrigger 1);
      CREATE TABLE counts_${n} USING jdbc OPTIONS (url '${url}', dbtable '${table}', checkpointLocation '${join(dir, "ckpt")}', outputMode '${mode}');
      INSERT INTO counts_${n} ${sql};
    `);
    query = queries[0]!;
    batch = () => spark.sql(sql);
  } else {
    const stream = spark.readStream.schema(SCHEMA).option("maxFilesPerTrigger", 1).json(logsDir);
    query = job.df!(stream).writeStream.format("jdbc").outputMode(mode).option("dbtable", table)
      .option("checkpointLocation", join(dir, "ckpt")).start(url);
    batch = () => job.df!(spark.read.schema(SCHEMA).json(logsDir));
  }
  await query.processAllAvailable();
  await more();
  await query.processAllAvailable();
  await query.stop();
  expect(query.exception).toBeNull();
  expect(query.recentProgress.filter((p) => p.numInputRows > 0).length).toBe(HOURS.length);
  return { url, table, expected: await batch().collect() };
}

describe.each(DATABASES)("the sink's key through aliases and renames on $name", (db) => {
  test.each(JOBS)("$name: the table equals the batch answer", async (job) => {
    const { url, table, expected } = await runJob(db, job);
    expect(expected.length).toBeGreaterThanOrEqual(job.minRows ?? HOURS.length);
    expect(canonicalRows(await db.rows(url, table))).toEqual(canonicalRows(expected));
    expect(await db.primaryKey(url, table)).toEqual(job.key);
  }, 60_000);
});

// ---- refusals ----

/** Runs the SQL job `select` (over `logs`, all five files there) into `url`/`table` in update mode; returns its query. */
async function sqlJob(url: string, table: string, select: string): Promise<StreamingQuery> {
  const dir = await tempDir("keys-sql");
  const n = tables++;
  await mkdir(join(dir, "logs"));
  await (await hourlyFiles(join(dir, "logs"), 1))();
  const { queries } = await spark.sqlScript(`
    CREATE TABLE logs_${n} (time TIMESTAMP, action STRING) USING json OPTIONS (path '${join(dir, "logs")}');
    CREATE TABLE counts_${n} USING jdbc OPTIONS (url '${url}', dbtable '${table}', checkpointLocation '${join(dir, "ckpt")}', outputMode 'update');
    INSERT INTO counts_${n} ${select.replaceAll("FROM logs", `FROM logs_${n}`)};
  `);
  return queries[0]!;
}

describe("a result without its whole key is refused at start() in update mode", () => {
  const sqlite = DATABASES[2]!;

  test.each([
    ["a grouping key computed over", `SELECT upper(action) AS action, window(time, '1 hour') AS w, count(*) AS n ${GROUP}`, "`action`"],
    ["only a field of the window", `SELECT action, w.start AS hour, n FROM (SELECT action, window(time, '1 hour') AS w, count(*) AS n ${GROUP}) t`, "`window\\(time, 1 hours\\)`"],
    ["a grouping key left out", `SELECT window(time, '1 hour') AS w, count(*) AS n ${GROUP}`, "`action`"],
  ])("SQL, %s: an AnalysisError naming the missing key; no table is made", async (_what, select, missing) => {
    const dir = await tempDir("keys-refused");
    const url = sqlite.url(dir);
    await expect(sqlJob(url, "counts", select)).rejects.toThrow(new RegExp(
      `JDBC sink \\(table counts\\) in update mode upserts each result row by the grouping keys of the streaming aggregation, ` +
      `but no result column is exactly the grouping key ${missing}: it was left out of the select list, computed over .*` +
      `Rows of different groups would overwrite each other. Select ${missing} as it is, under any name`,
    ));
    expect(await sqlite.primaryKey(url, "counts")).toBeNull();
  });

  test("DataFrame, the window's start only: start() throws, before any connection", async () => {
    const table = sinkTable(DATABASES[0]!);
    const stream = spark.readStream.schema(SCHEMA).json(await tempDir("keys-df"));
    const writer = hourly(stream).select(col("window.start").as("hour"), col("action"), col("n"))
      .writeStream.format("jdbc").outputMode("update").option("dbtable", table);
    expect(() => writer.start(MYSQL_URL)).toThrow(/no result column is exactly the grouping key `window\(time, 1 hours\)`/);
    expect(spark.streams.active.some((q) => q.name === table)).toBe(false);
    expect(await DATABASES[0]!.primaryKey(MYSQL_URL, table)).toBeNull();
  });

  test("mapGroupsWithState: its key is a function's, so update mode into JDBC is refused", async () => {
    const counts = new MemoryStream(spark, "shop STRING").toDS().groupByKey((s) => (s as { shop: string }).shop)
      .mapGroupsWithState((shop, rows, state: GroupState<number>) => {
        state.update((state.getOption() ?? 0) + rows.length);
        return { shop, n: state.get() };
      }, types.struct({ shop: types.string(), n: types.long() }));
    const url = sqlite.url(await tempDir("keys-fmgws"));
    expect(() => counts.writeStream.format("jdbc").outputMode("update").option("dbtable", "shops").start(url))
      .toThrow(/the rows of the key of groupByKey\(\.\.\.\)\.mapGroupsWithState come from a function, so no result column is known to be the key/);
  });

  test("sinks that do not upsert by key take such a result: memory and foreachBatch", async () => {
    const events = new MemoryStream(spark, SCHEMA);
    const upperCounts = () => events.toDF().groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"))
      .select(col("window.start").as("hour"), upper(col("action")).as("action"), col("n"));
    const name = `keys_memory_${process.pid}`;
    const memory = upperCounts().writeStream.format("memory").queryName(name).outputMode("update").start();
    const seen: number[] = [];
    const each = upperCounts().writeStream.outputMode("update").foreachBatch(async (df) => { seen.push(await df.count()); }).start();
    events.addData({ time: at(1, 10, 1), action: "click" }, { time: at(1, 10, 2), action: "view" });
    await memory.processAllAvailable();
    await each.processAllAvailable();
    expect(await spark.table(name).count()).toBe(2);
    expect(seen).toEqual([2]);
    await memory.stop();
    await each.stop();
  });
});

describe.each(DATABASES)("an existing table on $name", (db) => {
  const ddl = (table: string, primaryKey: string): string => {
    const [text, timestamp, long] = db.name === "MariaDB" ? ["VARCHAR(255)", "DATETIME(6)", "BIGINT"] : db.name === "PostgreSQL" ? ["TEXT", "TIMESTAMP(6)", "BIGINT"] : ["TEXT", "TIMESTAMP", "INTEGER"];
    return `CREATE TABLE "${table}" (action ${text} NOT NULL, w_start ${timestamp} NOT NULL, w_end ${timestamp} NOT NULL, n ${long}, PRIMARY KEY (${primaryKey}))`;
  };
  const select = `SELECT action, window(time, '1 hour') AS w, count(*) AS n ${GROUP}`;

  test("whose primary key differs from the query's key is refused when the query starts, naming both keys; nothing is written", async () => {
    const url = db.url(await tempDir("keys-existing"));
    const table = sinkTable(db);
    await db.execute(url, ddl(table, "action"));
    const q = await sqlJob(url, table, select);
    await q.awaitTermination().catch(() => {});
    expect(q.exception?.message).toMatch(new RegExp(`table ${table} does not fit the query's result: its primary key is \\(action\\) but rows are identified by \\(action, w_start, w_end\\)`));
    expect(await db.rows(url, table)).toEqual([]);
  });

  test("whose primary key is the query's key (in another order) is written to", async () => {
    const url = db.url(await tempDir("keys-existing-ok"));
    const table = sinkTable(db);
    await db.execute(url, ddl(table, "w_start, action, w_end"));
    const q = await sqlJob(url, table, select);
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect((await db.rows(url, table)).length).toBe(13); // the (action, hour) groups of the five files
  });
});
