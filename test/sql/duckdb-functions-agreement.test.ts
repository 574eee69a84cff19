import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * The statistical aggregates and string functions of the SQL surface agree with DuckDB
 * where both define them alike (same names, same null rules; doubles to 9 places).
 */
const QUERIES = [
  "SELECT g, stddev_samp(x) AS a, stddev_pop(x) AS b, var_samp(x) AS c, var_pop(x) AS d FROM t GROUP BY g",
  "SELECT g, corr(x, y) AS a, covar_pop(x, y) AS b, covar_samp(x, y) AS c FROM t GROUP BY g",
  "SELECT g, regr_count(y, x) AS n, regr_slope(y, x) AS a, regr_intercept(y, x) AS b, regr_r2(y, x) AS c, regr_avgx(y, x) AS d, regr_avgy(y, x) AS e FROM t GROUP BY g",
  "SELECT g, regr_sxx(y, x) AS a, regr_syy(y, x) AS b, regr_sxy(y, x) AS c FROM t GROUP BY g",
  "SELECT g, median(x) AS a, bool_and(f) AS b, bool_or(f) AS c, count_if(f) AS d FROM t GROUP BY g",
  "SELECT g, max_by(s, x) AS a, min_by(s, x) AS b FROM t GROUP BY g",
  "SELECT s, split_part(s, 'a', 2) AS a, left(s, 2) AS b, right(s, 2) AS c, levenshtein(s, 'banana') AS d, md5(s) AS e, translate(s, 'an', 'AN') AS f FROM t",
];

const ROWS = [
  { g: "p", x: 1.5, y: 2, f: true, s: "banana" }, { g: "p", x: 2.25, y: 3.5, f: false, s: "apple" }, { g: "p", x: 7, y: 1, f: true, s: "cantaloupe" },
  { g: "p", x: null, y: 4, f: null, s: null }, { g: "q", x: 3, y: 3, f: true, s: "kiwi" }, { g: "q", x: 5, y: 9, f: true, s: "mango" },
  { g: "q", x: 8, y: 11.5, f: true, s: "papaya" }, { g: "r", x: 4, y: null, f: false, s: "fig" },
];

const spark = Session.builder().appName("duckdb-functions").getOrCreate();
const tempDir = tempDirs();
let duck: DuckDBConnection;
let file = "";

function normalise(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k,
    typeof v === "bigint" ? Number(v) : typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(9)) : v])))).sort();
}

beforeAll(async () => {
  const dir = await tempDir("rivulet-duck-fns-");
  file = join(dir, "t.json");
  await writeFile(file, ROWS.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await spark.sqlScript(`CREATE OR REPLACE TABLE t (g STRING, x DOUBLE, y DOUBLE, f BOOLEAN, s STRING) USING json OPTIONS (path '${file}')`);
  duck = await (await DuckDBInstance.create(":memory:")).connect();
  await duck.run(`CREATE TABLE t AS SELECT * FROM read_json('${file}', columns = {g: 'VARCHAR', x: 'DOUBLE', y: 'DOUBLE', f: 'BOOLEAN', s: 'VARCHAR'})`);
});

afterAll(() => duck?.closeSync());

describe("agreement with DuckDB", () => {
  test.each(QUERIES)("%s", async (sql) => {
    const ours = await spark.sql(sql).collect();
    const theirs = (await duck.runAndReadAll(sql)).getRowObjectsJS();
    expect(normalise(ours)).toEqual(normalise(theirs as Record<string, unknown>[]));
  });
});
