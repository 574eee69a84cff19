import { describe, expect, test } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";

/** Lateral column aliases (Spark 3.4+): a select item uses an alias an earlier item defines. */
const spark = Session.builder().appName("lateral-column-alias").getOrCreate();
const df = spark.createDataFrame([{ k: "a", a: 1, v: 10 }, { k: "a", a: 3, v: 20 }, { k: "b", a: 5, v: 5 }], "k STRING, a INT, v INT");
df.createOrReplaceTempView("lca");
const rows = async (q: string): Promise<unknown[]> => spark.sql(q).collect();

describe("lateral column aliases", () => {
  test("in a projection, chained, through a struct field; an unaliased item keeps the name written", async () => {
    expect(await rows("SELECT a + 1 AS b, b * 2 AS c FROM lca")).toEqual([{ b: 2, c: 4 }, { b: 4, c: 8 }, { b: 6, c: 12 }]);
    expect(await rows("SELECT a + 1 AS b, b + 1 AS c, c + 1 AS d FROM lca WHERE a = 1")).toEqual([{ b: 2, c: 3, d: 4 }]);
    expect(await rows("SELECT named_struct('x', a) AS s, s.x * 10 AS y FROM lca WHERE a = 3")).toEqual([{ s: { x: 3 }, y: 30 }]);
    expect(spark.sql("SELECT a + 1 AS b, b * 2 FROM lca").columns).toEqual(["b", "(b * 2)"]);
  });

  test("a column of the input with the alias's name wins (Spark's precedence)", async () => {
    expect(await rows("SELECT a + 1 AS v, v * 2 AS c FROM lca ORDER BY a")).toEqual([{ v: 2, c: 20 }, { v: 4, c: 40 }, { v: 6, c: 10 }]);
  });

  test("in an aggregation: over aggregates and grouping columns", async () => {
    expect(await rows("SELECT sum(v) AS s, s / 2 AS h FROM lca GROUP BY k ORDER BY s")).toEqual([{ s: 5, h: 2.5 }, { s: 30, h: 15 }]);
    expect(await rows("SELECT k AS kk, upper(kk) AS u, sum(v) AS s, max(a) AS m, s + m AS sm FROM lca GROUP BY k ORDER BY kk"))
      .toEqual([{ kk: "a", u: "A", s: 30, m: 3, sm: 33 }, { kk: "b", u: "B", s: 5, m: 5, sm: 10 }]);
    expect(await rows("SELECT count(*) AS n, n * 10 AS n10 FROM lca")).toEqual([{ n: 3, n10: 30 }]);
  });

  test("the DataFrame form: select and groupBy().agg()", async () => {
    const projected = df.select(col("a").plus(1).alias("b"), col("b").multiply(2).alias("c"));
    expect(await projected.collect()).toEqual([{ b: 2, c: 4 }, { b: 4, c: 8 }, { b: 6, c: 12 }]);
    const aggregated = df.groupBy("k").agg(F.sum("v").alias("s"), col("s").divide(2).alias("h")).orderBy("k");
    expect(await aggregated.collect()).toEqual([{ k: "a", s: 30, h: 15 }, { k: "b", s: 5, h: 2.5 }]);
  });

  test("Spark's errors: an alias in an aggregate's argument or a window, two aliases of one name, an alias WHERE cannot see", () => {
    expect(() => spark.sql("SELECT v + 1 AS w, sum(w) FROM lca GROUP BY k")).toThrow(
      '[UNSUPPORTED_FEATURE.LATERAL_COLUMN_ALIAS_IN_AGGREGATE_FUNC] The feature is not supported: Referencing a lateral column alias `w` in the aggregate function "sum(w)". SQLSTATE: 0A000');
    expect(() => spark.sql("SELECT a + 1 AS b, row_number() OVER (ORDER BY b) FROM lca")).toThrow(/^\[UNSUPPORTED_FEATURE.LATERAL_COLUMN_ALIAS_IN_WINDOW\]/);
    expect(() => spark.sql("SELECT a AS b, a + 1 AS b, b FROM lca")).toThrow("[AMBIGUOUS_LATERAL_COLUMN_ALIAS] Lateral column alias `b` is ambiguous and has 2 matches. SQLSTATE: 42702");
    expect(() => spark.sql("SELECT a + 1 AS b FROM lca WHERE b > 2")).toThrow(/UNRESOLVED_COLUMN.WITH_SUGGESTION.*name `b`/);
    // A later alias is not visible to an earlier item.
    expect(() => spark.sql("SELECT c + 1 AS d, a AS c FROM lca")).toThrow(/UNRESOLVED_COLUMN.WITH_SUGGESTION.*name `c`/);
  });

  test("an alias of a non-deterministic expression is computed once: the alias and its references see the same value", async () => {
    const sql = await rows("SELECT a, rand() AS r, r * 2 AS d, uuid() AS u, u = u AS same, a + 1 AS b, b + r AS e FROM lca WHERE a > 1 ORDER BY a") as Record<string, number | string | boolean>[];
    expect(sql.map((r) => r.a)).toEqual([3, 5]);
    for (const r of sql) {
      expect(r.d).toBe((r.r as number) * 2);
      expect(r.e).toBe((r.a as number) + 1 + (r.r as number));
      expect(r.same).toBe(true);
    }
    // Two projections, as Spark plans it: rand() once, below.
    expect((await rows("EXPLAIN SELECT rand(1) AS r, r * 2 AS d FROM lca") as { plan: string }[])[0]!.plan).toMatch(/Project \[r, \(r \* 2(\.0)?\) AS d\]\n\+- Project \[rand\(1\) AS r\]/);
    const frame = await df.select(col("a"), F.rand(5).as("r"), col("r").multiply(10).as("t")).collect() as Record<string, number>[];
    for (const r of frame) expect(r.t).toBe(r.r! * 10);
  });

  test("in an aggregation a non-deterministic alias's reference is still refused", () => {
    expect(() => spark.sql("SELECT k, rand() AS r, r + count(*) AS n FROM lca GROUP BY k")).toThrow(/lateral column alias `r` of the non-deterministic expression "rand\(\)" in an aggregation/);
  });
});
