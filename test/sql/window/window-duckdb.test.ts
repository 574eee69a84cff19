import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { seededRandom } from "../../../src/common/seeded-random.ts";

/**
 * Window functions over 400 rows (7 partitions, tied and null values) agree with DuckDB, whose
 * window semantics match Spark's for these frames when nulls sort explicitly and ROWS frames
 * order by a unique key. Sliding, growing, shrinking and value (RANGE) frames, ranking and
 * offset functions are all checked row by row.
 */
const spark = Session.builder().appName("window-duckdb").getOrCreate();
let duck: DuckDBConnection;

const W = "PARTITION BY g ORDER BY o NULLS FIRST, id";
const QUERIES = [
  `SELECT id, sum(v) OVER (${W} ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING) AS s FROM w`,
  `SELECT id, count(v) OVER (${W} ROWS BETWEEN 2 FOLLOWING AND 5 FOLLOWING) AS c FROM w`,
  `SELECT id, min(v) OVER (${W} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS mn, max(v) OVER (${W} ROWS BETWEEN 4 PRECEDING AND 1 PRECEDING) AS mx FROM w`,
  `SELECT id, sum(v) OVER (${W} ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM w`,
  `SELECT id, avg(v) OVER (${W} ROWS BETWEEN 10 PRECEDING AND 10 FOLLOWING) AS a FROM w`,
  "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY o NULLS FIRST RANGE BETWEEN 5 PRECEDING AND 3 FOLLOWING) AS s FROM w",
  "SELECT id, count(*) OVER (PARTITION BY g ORDER BY o DESC NULLS LAST RANGE BETWEEN 2 PRECEDING AND CURRENT ROW) AS c FROM w",
  "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY o NULLS FIRST RANGE BETWEEN CURRENT ROW AND 4 FOLLOWING) AS s FROM w",
  "SELECT id, sum(v) OVER (PARTITION BY g ORDER BY o NULLS FIRST) AS s, count(v) OVER (PARTITION BY g) AS c FROM w",
  "SELECT id, rank() OVER (PARTITION BY g ORDER BY o NULLS FIRST) AS r, dense_rank() OVER (PARTITION BY g ORDER BY o NULLS FIRST) AS d FROM w",
  `SELECT id, row_number() OVER (${W}) AS rn, ntile(4) OVER (${W}) AS q FROM w`,
  "SELECT id, percent_rank() OVER (PARTITION BY g ORDER BY o NULLS FIRST) AS p, cume_dist() OVER (PARTITION BY g ORDER BY o NULLS FIRST) AS c FROM w",
  `SELECT id, lag(v, 2) OVER (${W}) AS l2, lead(v, 1, -1) OVER (${W}) AS l1 FROM w`,
  `SELECT id, first_value(v) OVER (${W} ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS f, last_value(v) OVER (${W} ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS l FROM w`,
  `SELECT id, nth_value(v, 3) OVER (${W} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n3 FROM w`,
  "SELECT id, max(v) OVER () AS m, min(o) OVER (PARTITION BY g) AS mo FROM w",
];

function normalise(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k,
    typeof v === "bigint" ? Number(v) : typeof v === "number" && !Number.isInteger(v) ? Number(v.toFixed(6)) : v])))).sort();
}

beforeAll(async () => {
  const random = seededRandom(17);
  const rows = Array.from({ length: 400 }, (_, id) => ({
    id,
    g: id % 7,
    o: random() < 0.05 ? null : Math.floor(random() * 40),
    v: random() < 0.15 ? null : Math.floor(random() * 1000) - 300,
  }));
  spark.createDataFrame(rows, "id INT, g INT, o INT, v INT").createOrReplaceTempView("w");
  const instance = await DuckDBInstance.create(":memory:");
  duck = await instance.connect();
  const sqlValue = (x: number | null): string => (x === null ? "NULL" : String(x));
  await duck.run(`CREATE TABLE w AS SELECT * FROM (VALUES ${rows.map((r) => `(${r.id}, ${r.g}, ${sqlValue(r.o)}, ${sqlValue(r.v)})`).join(", ")}) AS t(id, g, o, v)`);
});

afterAll(() => {
  duck?.closeSync();
});

describe("window functions agree with DuckDB", () => {
  test.each(QUERIES)("%s", async (sql) => {
    const ours = await spark.sql(sql).collect();
    const theirs = (await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    expect(ours.length).toBe(400);
    expect(normalise(ours)).toEqual(normalise(theirs));
  });
});
