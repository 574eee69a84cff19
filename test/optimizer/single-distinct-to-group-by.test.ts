import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../src/index.ts";
import { withRuleAndWithout } from "./rule-on-and-off.ts";

// Aggregates that are all DISTINCT over the same values are planned as a group-by of those values
// under plain aggregates. The answers must be those of f over each group's set of values, with the
// rule on or off (spark.sql.optimizer.excludedRules), in SQL and DataFrame forms.
const spark = Session.builder().appName("single-distinct-to-group-by").getOrCreate();
const RULE = "single_distinct_aggregation_to_group_by";

spark.sql(`CREATE OR REPLACE TEMP VIEW sales AS SELECT * FROM VALUES
  ('a', 1, 'x'), ('a', 1, 'x'), ('a', 2, 'y'), ('a', NULL, 'y'), ('b', 5, 'z'), ('b', 5, NULL), ('c', NULL, NULL)
  AS sales(k, v, t)`);

const both = (sql: string): Promise<unknown[]> => withRuleAndWithout(spark, RULE, sql);

async function rulesApplied(sql: string): Promise<string> {
  const rows = (await spark.sql(`EXPLAIN EXTENDED ${sql}`).collect()) as Record<string, string>[];
  const text = Object.values(rows[0]!)[0]!;
  return text.slice(text.indexOf("== Rules Applied =="));
}

describe("single_distinct_aggregation_to_group_by", () => {
  it("counts, sums and averages each group's distinct values, skipping nulls (SQL)", async () => {
    const sql = "SELECT k, count(DISTINCT v) AS n, sum(DISTINCT v) AS s, avg(DISTINCT v) AS a FROM sales GROUP BY k ORDER BY k";
    expect(await both(sql)).toEqual([
      { k: "a", n: 2, s: 3, a: 1.5 },
      { k: "b", n: 1, s: 5, a: 5 },
      { k: "c", n: 0, s: null, a: null },
    ]);
    expect(await rulesApplied(sql)).toContain(RULE);
  });

  it("gives one row over no rows without GROUP BY: count 0, sum null", async () => {
    const sql = "SELECT count(DISTINCT v) AS n, sum(DISTINCT v) AS s FROM sales WHERE k = 'nobody'";
    expect(await both(sql)).toEqual([{ n: 0, s: null }]);
    expect(await both("SELECT count(DISTINCT v) AS n FROM sales")).toEqual([{ n: 3 }]);
  });

  it("counts distinct pairs, with a FILTER clause, and keeps approx_count_distinct's rsd literal", async () => {
    expect(await both("SELECT k, count(DISTINCT v, t) AS n FROM sales GROUP BY k ORDER BY k")).toEqual([{ k: "a", n: 2 }, { k: "b", n: 1 }, { k: "c", n: 0 }]);
    expect(await both("SELECT k, count(DISTINCT v) FILTER (WHERE t <> 'x') AS n FROM sales GROUP BY k ORDER BY k")).toEqual([{ k: "a", n: 1 }, { k: "b", n: 1 }, { k: "c", n: 0 }]);
    const approx = "SELECT approx_count_distinct(DISTINCT id % 1000, 0.01) AS n FROM range(5000)";
    const [{ n }] = (await both(approx)) as { n: number }[];
    expect(Math.abs(n - 1000)).toBeLessThanOrEqual(10); // rsd 0.01: 2^14 registers, linear counting
    expect(await rulesApplied(approx)).toContain(RULE);
  });

  it("leaves a mix of distinct and plain aggregates, or distinct ones over different values, as they are", async () => {
    const mixed = "SELECT k, count(DISTINCT v) AS n, count(*) AS rows FROM sales GROUP BY k ORDER BY k";
    expect(await both(mixed)).toEqual([{ k: "a", n: 2, rows: 4 }, { k: "b", n: 1, rows: 2 }, { k: "c", n: 0, rows: 1 }]);
    expect(await rulesApplied(mixed)).not.toContain(RULE);
    const two = "SELECT count(DISTINCT v) AS n, count(DISTINCT t) AS m FROM sales";
    expect(await both(two)).toEqual([{ n: 3, m: 3 }]);
    expect(await rulesApplied(two)).not.toContain(RULE);
  });

  it("takes the values of DISTINCT as a set, as Spark does: (v, t) and (t, v) are one set", async () => {
    const swapped = "SELECT k, count(DISTINCT v, t) AS n, count(DISTINCT t, v) AS m FROM sales GROUP BY k ORDER BY k";
    expect(await both(swapped)).toEqual([{ k: "a", n: 2, m: 2 }, { k: "b", n: 1, m: 1 }, { k: "c", n: 0, m: 0 }]);
    expect(await rulesApplied(swapped)).toContain(RULE);
  });

  it("DataFrame countDistinct and sum_distinct over an expression, grouped by an expression", async () => {
    const df = spark.table("sales").groupBy(F.upper(col("k")).alias("K"))
      .agg(F.countDistinct(col("v").plus(1)).alias("n"), F.sum_distinct(col("v").plus(1)).alias("s"))
      .orderBy("K");
    expect(await df.collect()).toEqual([{ K: "A", n: 2, s: 5 }, { K: "B", n: 1, s: 6 }, { K: "C", n: 0, s: null }]);
  });
});
