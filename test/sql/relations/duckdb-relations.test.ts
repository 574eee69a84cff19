import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/**
 * Joins, set operations, inline tables and subqueries agree with DuckDB on the same inline
 * data, where both follow the SQL standard: USING/NATURAL output, bag semantics of
 * INTERSECT ALL / EXCEPT ALL, three-valued NOT IN. Rows are compared as value tuples
 * (DuckDB names inline-table columns col0…, Spark col1…).
 */
const VIEWS = [
  "CREATE OR REPLACE TEMP VIEW a AS SELECT * FROM VALUES (1, 'x'), (2, 'y'), (NULL, 'n'), (3, 'z'), (3, 'z') AS a(k, v)",
  "CREATE OR REPLACE TEMP VIEW b AS SELECT * FROM VALUES (2, 10), (3, 20), (3, 30), (4, 40), (NULL, 50) AS b(k, w)",
  "CREATE OR REPLACE TEMP VIEW c AS SELECT * FROM VALUES (2), (NULL) AS c(k)",
];

const QUERIES = [
  // Inline tables and range
  "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS t(id, name)",
  "SELECT id * 2 AS d FROM range(5)",
  "SELECT id FROM range(2, 11, 3)",
  "WITH t(x, y) AS (SELECT k, v FROM a) SELECT y, x FROM t WHERE x > 1",
  // Joins
  "SELECT * FROM a JOIN b USING (k)",
  "SELECT * FROM a LEFT JOIN b USING (k)",
  "SELECT * FROM a RIGHT JOIN b USING (k)",
  "SELECT * FROM a FULL OUTER JOIN b USING (k)",
  "SELECT k, w FROM a FULL JOIN b USING (k) WHERE w IS NULL OR k IS NULL",
  "SELECT * FROM a NATURAL JOIN b",
  "SELECT * FROM a NATURAL FULL OUTER JOIN b",
  "SELECT a.k, v FROM a SEMI JOIN b ON a.k = b.k",
  "SELECT a.k, v FROM a ANTI JOIN b ON a.k = b.k",
  "SELECT count(*) AS n FROM a CROSS JOIN b",
  "SELECT count(*) AS n FROM a, b WHERE a.k < b.k",
  // Set operations
  "SELECT k FROM a UNION SELECT k FROM b",
  "SELECT k FROM a UNION ALL SELECT k FROM b",
  "SELECT k FROM a INTERSECT SELECT k FROM b",
  "SELECT k FROM a INTERSECT ALL SELECT k FROM b",
  "SELECT k FROM b EXCEPT SELECT k FROM a",
  "SELECT k FROM a EXCEPT ALL SELECT k FROM b",
  "SELECT k FROM a EXCEPT SELECT k FROM c",
  "SELECT k FROM a UNION SELECT k FROM b INTERSECT SELECT k FROM c",
  "SELECT k FROM a EXCEPT SELECT k FROM b UNION SELECT k FROM c",
  "(SELECT k FROM b ORDER BY w DESC LIMIT 2) UNION ALL (SELECT 100)",
  // Subqueries
  "SELECT * FROM a WHERE k IN (SELECT k FROM b)",
  "SELECT * FROM a WHERE k NOT IN (SELECT k FROM b WHERE k IS NOT NULL)",
  "SELECT * FROM a WHERE k NOT IN (SELECT k FROM c)",
  "SELECT * FROM a WHERE k NOT IN (SELECT k FROM c WHERE k > 5)",
  "SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k)",
  "SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k)",
  "SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND w > 25)",
  "SELECT * FROM a WHERE k IN (SELECT k FROM b WHERE w > 15 AND b.k = a.k)",
  "SELECT k, (SELECT max(w) FROM b) AS m FROM a",
  "SELECT k, (SELECT max(w) FROM b WHERE b.k = a.k) AS m FROM a",
  "SELECT k, v FROM a WHERE k = (SELECT min(k) FROM b)",
  "SELECT k FROM a WHERE k > (SELECT avg(w) FROM b WHERE b.k = a.k) - 25",
];

const spark = Session.builder().appName("relations-duckdb").getOrCreate();
let duck: DuckDBConnection;

/** Spark's `VALUES … AS t(a, b)` is DuckDB's `(VALUES …) AS t(a, b)`; `range(n)` is `range(0, n)`. */
function duckSql(sql: string): string {
  return sql
    .replace(/CREATE OR REPLACE TEMP VIEW (\w+) AS SELECT \* FROM VALUES (.*) AS (\w+\([^)]*\))$/, "CREATE OR REPLACE VIEW $1 AS SELECT * FROM (VALUES $2) AS $3")
    .replace(/range\((\d+)\)/g, "range(0, $1)")
    // DuckDB names range's column `range`.
    .replace(/(range\([^)]*\))/g, "$1 AS r(id)");
}

function tuples(rows: readonly Record<string, unknown>[], ordered: boolean): string[] {
  const out = rows.map((r) => JSON.stringify(Object.values(r).map((v) => (typeof v === "bigint" ? Number(v) : typeof v === "number" ? Number(v.toFixed(6)) : v))));
  return ordered ? out : out.sort();
}

beforeAll(async () => {
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  for (const v of VIEWS) {
    spark.sql(v);
    await duck.run(duckSql(v));
  }
});

afterAll(() => {
  duck.closeSync();
});

describe("rivulet agrees with DuckDB", () => {
  test.each(QUERIES)("%s", async (sql) => {
    const ours = await spark.sql(sql).collect();
    const reader = await duck.runAndReadAll(duckSql(sql));
    const theirs = reader.getRowObjectsJS() as Record<string, unknown>[];
    expect(tuples(ours, false)).toEqual(tuples(theirs, false));
  });
});
