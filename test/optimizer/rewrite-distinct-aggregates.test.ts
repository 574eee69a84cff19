import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../src/index.ts";
import { withRuleAndWithout } from "./rule-on-and-off.ts";

// DISTINCT aggregates over several value sets are planned as Spark's RewriteDistinctAggregates
// plans them (Expand, then two aggregates). The answers must be those of the plan without the
// rule (spark.sql.optimizer.excludedRules), to the last bit of a DOUBLE sum, in SQL and DataFrame forms.
const spark = Session.builder().appName("rewrite-distinct-aggregates").getOrCreate();
const RULE = "rewrite_distinct_aggregates";

spark.sql(`CREATE OR REPLACE TEMP VIEW visits AS SELECT * FROM VALUES
  ('a', 1, 'x', 0.1D), ('a', 1, 'x', 0.2D), ('a', 2, 'y', 0.3D), ('a', NULL, 'y', NULL), ('a', 3, NULL, 1e16D),
  ('b', 5, 'z', 0.7D), ('b', 5, NULL, -1e16D), ('b', 5, 'z', 0.7D), ('c', NULL, NULL, NULL)
  AS visits(k, v, t, d)`);

const both = (sql: string): Promise<unknown[]> => withRuleAndWithout(spark, RULE, sql);

async function optimizedPlan(sql: string): Promise<string> {
  const rows = (await spark.sql(`EXPLAIN EXTENDED ${sql}`).collect()) as Record<string, string>[];
  const text = Object.values(rows[0]!)[0]!;
  return text.slice(text.indexOf("== Optimized Logical Plan =="), text.indexOf("== Physical Plan =="));
}

describe("rewrite_distinct_aggregates", () => {
  it("plans two distinct value sets and a plain aggregate as Expand under two aggregates", async () => {
    const sql = "SELECT k, count(DISTINCT v) AS nv, count(DISTINCT t) AS nt, sum(d) AS s FROM visits GROUP BY k";
    expect(await optimizedPlan(sql)).toBe(`== Optimized Logical Plan ==
Aggregate [k], [k, count(CASE WHEN (gid = 1) THEN v END) AS nv, count(CASE WHEN (gid = 2) THEN t END) AS nt, first(CASE WHEN (gid = 0) THEN sum(d)#0 END) AS s]
+- Aggregate [k, v, t, gid], [k, v, t, gid, sum(d) AS sum(d)#0]
   +- Expand [[k, NULL, NULL, 0, d], [k, v, NULL, 1, NULL], [k, NULL, t, 2, NULL]], [k, v, t, gid, d]
      +- LocalRelation LocalRelation [k, v, t, d]

== Rules Applied ==
eliminate_subquery_aliases, rewrite_distinct_aggregates

`);
  });

  it("counts and sums each set's distinct values beside plain aggregates, nulls skipped, DOUBLE sums to the bit", async () => {
    const sql = `SELECT k, count(DISTINCT v) AS nv, count(DISTINCT t) AS nt, sum(DISTINCT d) AS sd,
      sum(d) AS s, avg(d) AS a, count(*) AS n, count(v) AS cv FROM visits GROUP BY k ORDER BY k`;
    expect(await both(sql)).toEqual([
      { k: "a", nv: 3, nt: 2, sd: 0.1 + 0.2 + 0.3 + 1e16, s: 0.1 + 0.2 + 0.3 + 1e16, a: (0.1 + 0.2 + 0.3 + 1e16) / 4, n: 5, cv: 4 },
      { k: "b", nv: 1, nt: 1, sd: 0.7 + -1e16, s: 0.7 + -1e16 + 0.7, a: (0.7 + -1e16 + 0.7) / 3, n: 3, cv: 3 },
      { k: "c", nv: 0, nt: 0, sd: null, s: null, a: null, n: 1, cv: 0 },
    ]);
  });

  it("keeps FILTER clauses, distinct pairs, and sets shared by several aggregates", async () => {
    const sql = `SELECT k, count(DISTINCT v) FILTER (WHERE d > 0.15) AS f, count(DISTINCT v, t) AS pairs,
      count(DISTINCT t, v) AS pairs2, sum(DISTINCT v) AS sv, max(t) FILTER (WHERE v > 1) AS mt
      FROM visits GROUP BY k ORDER BY k`;
    expect(await both(sql)).toEqual([
      { k: "a", f: 3, pairs: 2, pairs2: 2, sv: 6, mt: "y" },
      { k: "b", f: 1, pairs: 1, pairs2: 1, sv: 5, mt: "z" },
      { k: "c", f: 0, pairs: 0, pairs2: 0, sv: null, mt: null },
    ]);
    expect(await optimizedPlan(sql)).toContain(RULE);
  });

  it("without GROUP BY: one row, over rows and over none (count 0, sum null)", async () => {
    expect(await both("SELECT count(DISTINCT v) AS nv, count(DISTINCT t) AS nt, count(*) AS n, sum(d) AS s FROM visits"))
      .toEqual([{ nv: 4, nt: 3, n: 9, s: 0.1 + 0.2 + 0.3 + 1e16 + 0.7 + -1e16 + 0.7 }]);
    const none = "SELECT count(DISTINCT v) AS nv, count(DISTINCT t) AS nt, count(*) AS n, count(v) AS cv, sum(d) AS s, approx_count_distinct(v) AS acd FROM visits WHERE k = 'nobody'";
    expect(await both(none)).toEqual([{ nv: 0, nt: 0, n: 0, cv: 0, s: null, acd: 0 }]);
    expect(await optimizedPlan(none)).toContain("coalesce(first(CASE WHEN (gid = 0) THEN count(1)#0 END), 0) AS n");
    expect(await both("SELECT k, count(DISTINCT v) AS nv, count(DISTINCT t) AS nt, count(*) AS n FROM visits WHERE k = 'nobody' GROUP BY k")).toEqual([]);
  });

  it("collects each set's distinct values in the order they first appear", async () => {
    const sql = "SELECT k, collect_list(DISTINCT t) AS ts, collect_list(DISTINCT v) AS vs, collect_list(d) AS ds FROM visits GROUP BY k ORDER BY k";
    expect(await both(sql)).toEqual([
      { k: "a", ts: ["x", "y"], vs: [1, 2, 3], ds: [0.1, 0.2, 0.3, 1e16] },
      { k: "b", ts: ["z"], vs: [5], ds: [0.7, -1e16, 0.7] },
      { k: "c", ts: [], vs: [], ds: [] },
    ]);
  });

  it("leaves one value set, and DISTINCT aggregates that keep nulls, to the plan as it is", async () => {
    expect(await optimizedPlan("SELECT k, count(DISTINCT v) AS n, count(*) AS c FROM visits GROUP BY k")).not.toContain(RULE);
    const firsts = "SELECT k, first(DISTINCT v) AS fv, count(DISTINCT t) AS nt FROM visits GROUP BY k ORDER BY k";
    expect(await optimizedPlan(firsts)).not.toContain(RULE);
    // Grouped by rand(): each copy of a row would draw its own key.
    expect(await optimizedPlan("SELECT count(DISTINCT v) AS nv, count(DISTINCT t) AS nt FROM visits GROUP BY rand() < 2")).not.toContain(RULE);
    expect(await both("SELECT k, first(DISTINCT v, true) AS fv, count(DISTINCT t) AS nt FROM visits GROUP BY k ORDER BY k")).toEqual([
      { k: "a", fv: 1, nt: 2 }, { k: "b", fv: 5, nt: 1 }, { k: "c", fv: null, nt: 0 },
    ]);
  });

  it("DataFrame countDistinct and sum_distinct over expressions, grouped by an expression", async () => {
    const query = () => spark.table("visits").groupBy(F.upper(col("k")).alias("K"))
      .agg(F.countDistinct(col("v").plus(1)).alias("n"), F.sum_distinct(col("d")).alias("sd"), F.countDistinct(col("t"), col("v")).alias("p"), F.sum(col("v")).alias("s"))
      .orderBy("K");
    const expected = [
      { K: "A", n: 3, sd: 0.1 + 0.2 + 0.3 + 1e16, p: 2, s: 7 },
      { K: "B", n: 1, sd: 0.7 + -1e16, p: 1, s: 15 },
      { K: "C", n: 0, sd: null, p: 0, s: null },
    ];
    expect(await query().collect()).toEqual(expected);
    spark.conf.set("spark.sql.optimizer.excludedRules", RULE);
    try {
      expect(await query().collect()).toEqual(expected);
    } finally {
      spark.conf.unset("spark.sql.optimizer.excludedRules");
    }
  });

  it("GROUPING SETS with distinct aggregates over two sets", async () => {
    const sql = "SELECT k, t, count(DISTINCT v) AS nv, count(DISTINCT d) AS nd FROM visits GROUP BY ROLLUP(k, t) ORDER BY k, t";
    const rows = await both(sql);
    expect(rows[0]).toEqual({ k: null, t: null, nv: 4, nd: 6 });
    expect(rows.length).toBe(10);
  });
});
