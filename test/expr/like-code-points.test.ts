import { describe, expect, test } from "vitest";
import { Session, col, ilike, lit } from "../../src/index.ts";

const spark = Session.builder().appName("like-code-points").getOrCreate();

/** Spark's LIKE and ILIKE match on characters (code points): `_` is one emoji, not half of one. */
describe("LIKE / ILIKE outside the Basic Multilingual Plane", () => {
  test("SQL: `_` matches one supplementary character; escapes and % still work", async () => {
    const [row] = await spark.sql(String.raw`SELECT '😀' LIKE '_' AS a, 'a😀b' LIKE 'a_b' AS b, '😀' ILIKE '_' AS c, '😀😀' LIKE '_' AS d,
      'x😀' LIKE '%😀' AS e, 'A😀B' ILIKE 'a_b' AS f, '_😀' LIKE '\__' AS g, '😀' LIKE '😀' AS h, 'a😀b' LIKE 'a__b' AS i,
      '😀' LIKE ANY ('_', 'zz') AS j, 'a/b.c' LIKE 'a/b._' AS k, '(x)' LIKE '(_)' AS l`).collect();
    expect(row).toEqual({ a: true, b: true, c: true, d: false, e: true, f: true, g: true, h: true, i: false, j: true, k: true, l: true });
  });

  test("DataFrame: Column.like and ilike() give the same", async () => {
    const df = spark.createDataFrame([{ s: "😀" }, { s: "a😀b" }, { s: "ab" }], "s STRING");
    const rows = await df.select(col("s").like("_").as("one"), col("s").like("a_b").as("a_b"), ilike(col("s"), lit("A_B")).as("ci")).collect();
    expect(rows.map((r) => [r.one, r.a_b, r.ci])).toEqual([[true, false, false], [false, true, true], [false, false, false]]);
  });
});
