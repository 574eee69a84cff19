import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";
import { LOG_DDL, LOG_ROWS, USER_DDL, USER_ROWS } from "./query-pairs.ts";

/**
 * Batch SQL over JSON files agrees with DuckDB on the same files. Documented dialect
 * differences are avoided rather than papered over: integer division (`/` is always
 * DOUBLE in Spark), and DuckDB's BIGINT results arrive as JS bigints (compared as numbers).
 */
const QUERIES = [
  "SELECT url, bytes FROM logs WHERE bytes > 60",
  "SELECT action, bytes * 2 AS b2 FROM logs WHERE action IS NOT NULL",
  "SELECT url FROM logs WHERE action = 'click' OR NOT bytes < 100",
  "SELECT url FROM logs WHERE action IN ('click', 'buy') AND url LIKE '/home%'",
  "SELECT url FROM logs WHERE bytes BETWEEN 50 AND 500",
  "SELECT url, CASE WHEN bytes > 100 THEN 'big' WHEN bytes IS NULL THEN 'none' ELSE 'small' END AS size FROM logs",
  "SELECT CAST(bytes AS INT) AS b FROM logs",
  "SELECT action, count(*) AS n FROM logs GROUP BY action",
  "SELECT action, sum(bytes) AS s, min(bytes) AS mn, max(bytes) AS mx, count(bytes) AS c FROM logs GROUP BY action",
  "SELECT action, avg(bytes) AS a FROM logs GROUP BY action",
  "SELECT count(*) AS n, sum(bytes) AS total FROM logs",
  "SELECT action, count(DISTINCT userId) AS users FROM logs GROUP BY action",
  "SELECT action FROM logs GROUP BY action HAVING sum(bytes) > 200",
  "SELECT action, count(*) AS n FROM logs GROUP BY action ORDER BY n DESC, action LIMIT 2",
  "SELECT l.url, u.name FROM logs l JOIN users u ON l.userId = u.userId",
  "SELECT l.url, u.country FROM logs l LEFT JOIN users u ON l.userId = u.userId",
  "WITH big AS (SELECT * FROM logs WHERE bytes > 50) SELECT action, count(*) AS n FROM big GROUP BY action",
  "SELECT action, n FROM (SELECT action, count(*) AS n FROM logs GROUP BY action) t WHERE n > 1",
  "SELECT url FROM logs WHERE action = 'click' UNION ALL SELECT url FROM logs WHERE action = 'buy'",
  "SELECT DISTINCT userId FROM logs",
  "SELECT upper(action) AS a, lower(url) AS u, length(url) AS len FROM logs",
  "SELECT coalesce(action, 'none') AS a, min(url) AS first_url FROM logs GROUP BY coalesce(action, 'none')",
  "SELECT hour(time) AS h, count(*) AS n FROM logs GROUP BY hour(time)",
  // Correlated scalar subqueries with non-equality correlation (decorrelated through a domain join), NULL bytes included.
  "SELECT url, (SELECT count(*) FROM logs b WHERE b.bytes > a.bytes) AS bigger FROM logs a",
  "SELECT url, (SELECT sum(b.bytes) FROM logs b WHERE b.userId = a.userId AND b.time < a.time) AS before FROM logs a",
  "SELECT url FROM logs a WHERE bytes > (SELECT avg(b.bytes) FROM logs b WHERE b.time <= a.time)",
  // Aggregates with FILTER (WHERE …), NULL bytes and actions included.
  "SELECT action, count(*) FILTER (WHERE bytes > 50) AS big, sum(bytes) FILTER (WHERE url LIKE '/home%') AS home, count(*) AS n FROM logs GROUP BY action",
  "SELECT count(DISTINCT userId) FILTER (WHERE action = 'click') AS clickers, avg(bytes) FILTER (WHERE bytes IS NOT NULL AND action IS NOT NULL) AS a FROM logs",
];

const spark = Session.builder().appName("sql-duckdb").getOrCreate();
// Registered before the afterAll below, so it runs after it: DuckDB is closed before its files are removed.
const tempDir = tempDirs();
let duck: DuckDBConnection;
let dir = "";

function normalise(rows: readonly Record<string, unknown>[], ordered: boolean): string[] {
  const out = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k,
    typeof v === "bigint" ? Number(v) : typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(6)) : v]))));
  return ordered ? out : out.sort();
}

beforeAll(async () => {
  dir = await tempDir("rivulet-duck-");
  const line = (r: object): string => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString().replace("T", " ").replace(".000Z", "") : v));
  await writeFile(join(dir, "logs.json"), LOG_ROWS.map(line).join("\n") + "\n");
  await writeFile(join(dir, "users.json"), USER_ROWS.map(line).join("\n") + "\n");
  await spark.sqlScript(`
    CREATE OR REPLACE TABLE logs (${LOG_DDL}) USING json OPTIONS (path '${join(dir, "logs.json")}');
    CREATE OR REPLACE TABLE users (${USER_DDL}) USING json OPTIONS (path '${join(dir, "users.json")}');
  `);
  const instance = await DuckDBInstance.create(":memory:");
  duck = await instance.connect();
  await duck.run(`CREATE VIEW logs AS SELECT * FROM read_json('${join(dir, "logs.json")}', columns = {time: 'TIMESTAMP', action: 'VARCHAR', url: 'VARCHAR', userId: 'VARCHAR', bytes: 'BIGINT'})`);
  await duck.run(`CREATE VIEW users AS SELECT * FROM read_json('${join(dir, "users.json")}', columns = {userId: 'VARCHAR', name: 'VARCHAR', country: 'VARCHAR'})`);
});

afterAll(() => {
  duck?.closeSync();
});

describe("batch SQL results agree with DuckDB", () => {
  test.each(QUERIES)("%s", async (sql) => {
    const ours = await spark.sql(sql).collect();
    const theirs = (await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    const ordered = /ORDER BY/i.test(sql);
    expect(normalise(ours, ordered)).toEqual(normalise(theirs, ordered));
  });
});
