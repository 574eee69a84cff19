import { describe, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session, col } from "../../../src/index.ts";
import { planString } from "../../../src/plan/plan-string.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

/** Spark's rules for relations that DuckDB does not share: names, types, errors, the DataFrame forms, streams. */
const spark = Session.builder().appName("sql-relations").getOrCreate();
scopedTmpdir("rivulet-sql-relations-", spark);
let counter = 0;
const unique = (p: string): string => `${p}_${process.pid}_${counter++}`;
const rows = async (sql: string): Promise<unknown[]> => spark.sql(sql).collect();
const sorted = (r: readonly unknown[]): string[] => r.map((x) => JSON.stringify(x)).sort();
const schemaOf = (sql: string): string => spark.sql(sql).schema.fields.map((f) => `${f.name}:${f.dataType.kind}`).join(",");

spark.sql("CREATE OR REPLACE TEMP VIEW a AS SELECT * FROM VALUES (1, 'x'), (2, 'y'), (NULL, 'n') AS a(k, v)");
spark.sql("CREATE OR REPLACE TEMP VIEW b AS SELECT * FROM VALUES (2, 10L), (3, 20L) AS b(k, w)");

describe("inline tables", () => {
  test("VALUES as a statement, in FROM, with and without column names", async () => {
    expect(await rows("VALUES (1, 'a'), (2, 'b') AS t(id, name)")).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    expect(await rows("SELECT * FROM VALUES (1), (2)")).toEqual([{ col1: 1 }, { col1: 2 }]);
    expect(await rows("SELECT * FROM VALUES ('one', 1) AS data")).toEqual([{ col1: "one", col2: 1 }]);
    expect(await rows("SELECT data.a FROM VALUES 1, 2, 3 AS data(a) WHERE a > 1")).toEqual([{ a: 2 }, { a: 3 }]);
  });

  test("column types widen across rows; a column of NULLs is void", () => {
    expect(schemaOf("SELECT * FROM VALUES ('one', 1), ('two', 2L) AS data(a, b)")).toBe("a:string,b:long");
    expect(schemaOf("SELECT * FROM VALUES ('one', 2.0), ('two', 3.0D) AS data(a, b)")).toBe("a:string,b:double");
    expect(schemaOf("SELECT * FROM VALUES ('one', NULL) AS data(a, b)")).toBe("a:string,b:null");
  });

  test("Spark's errors: row width, incompatible types, aggregates", () => {
    expect(() => spark.sql("SELECT * FROM VALUES ('one', 2.0), ('two') AS data(a, b)")).toThrow(
      "[INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH] Invalid inline table. Inline table expected 2 columns but found 1 columns in row 1.");
    expect(() => spark.sql("SELECT * FROM VALUES ('one'), ('two') AS data(a, b)")).toThrow("expected 2 columns but found 1 columns in row 0");
    expect(() => spark.sql("SELECT * FROM VALUES (1), ('a') AS data(a)")).toThrow(
      "[INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE] Invalid inline table. Found incompatible types in the column `a` for inline table.");
    expect(() => spark.sql("SELECT * FROM VALUES ('one', count(1)) AS data(a, b)")).toThrow("[INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE]");
  });

  test("views and CTEs with column lists; duplicate CTE names", async () => {
    const v = unique("v");
    spark.sql(`CREATE TEMPORARY VIEW ${v}(a, b) AS SELECT * FROM VALUES (1, 2)`);
    expect(await rows(`SELECT b, a FROM ${v}`)).toEqual([{ b: 2, a: 1 }]);
    spark.sql(`CREATE OR REPLACE TEMP VIEW ${v} AS SELECT * FROM VALUES (7) AS t(z)`);
    expect(await rows(`SELECT * FROM ${v}`)).toEqual([{ z: 7 }]);
    expect(() => spark.sql(`CREATE TEMPORARY VIEW ${unique("w")}(a, b, c) AS SELECT 1, 2`)).toThrow(
      "[CREATE_VIEW_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS]");
    expect(await rows("WITH t(x, y) AS (SELECT 1, 2) SELECT y, x FROM t")).toEqual([{ y: 2, x: 1 }]);
    expect(() => spark.sql("WITH t AS (SELECT 1), T AS (SELECT 2) SELECT * FROM t")).toThrow(
      "[DUPLICATED_CTE_NAMES] CTE definition can't have duplicate names: `T`.");
    expect(() => spark.sql("WITH t(x) AS (SELECT 1, 2) SELECT * FROM t")).toThrow("Number of column aliases does not match number of columns");
    expect(await rows("SELECT q.b FROM (SELECT 1, 2) AS q(a, b)")).toEqual([{ b: 2 }]);
  });
});

describe("range", () => {
  test("the table function's forms, one BIGINT column id", async () => {
    expect(schemaOf("SELECT * FROM range(3)")).toBe("id:long");
    expect(spark.sql("SELECT * FROM range(3)").schema.fields[0]!.nullable).toBe(false);
    expect(await rows("SELECT * FROM range(3)")).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
    expect(await rows("SELECT * FROM range(5, 8)")).toEqual([{ id: 5 }, { id: 6 }, { id: 7 }]);
    expect(await rows("SELECT * FROM range(10, 0, -4, 3)")).toEqual([{ id: 10 }, { id: 6 }, { id: 2 }]);
    expect(await rows("SELECT count(*) AS n, sum(id) AS s FROM range(200000)")).toEqual([{ n: 200000, s: 19999900000 }]);
    expect(() => spark.sql("SELECT * FROM range(1, 2, 3, 4, 5)")).toThrow("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `range` requires [1, 2, 3, 4] parameters but the actual number is 5.");
    expect(() => spark.sql("SELECT * FROM range(1, 2, 0)")).toThrow("step (0) cannot be 0");
    expect(() => spark.sql("SELECT * FROM ranges(3)")).toThrow("[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve `ranges` to a table-valued function.");
  });

  test("spark.range", async () => {
    expect(await spark.range(3).collect()).toEqual([{ id: 0 }, { id: 1 }, { id: 2 }]);
    expect(await spark.range(1, 7, 2).collect()).toEqual([{ id: 1 }, { id: 3 }, { id: 5 }]);
    expect(spark.range(0).columns).toEqual(["id"]);
  });
});

describe("USING and NATURAL joins", () => {
  test("the key once and first; LEFT takes the left key, RIGHT the right, FULL coalesces", async () => {
    expect(spark.sql("SELECT * FROM b JOIN a USING (k)").columns).toEqual(["k", "w", "v"]);
    expect(sorted(await rows("SELECT * FROM a LEFT JOIN b USING (k)"))).toEqual(sorted([
      { k: 1, v: "x", w: null }, { k: 2, v: "y", w: 10 }, { k: null, v: "n", w: null }]));
    expect(sorted(await rows("SELECT * FROM a RIGHT JOIN b USING (k)"))).toEqual(sorted([{ k: 2, v: "y", w: 10 }, { k: 3, v: null, w: 20 }]));
    expect(sorted(await rows("SELECT * FROM a FULL OUTER JOIN b USING (k)"))).toEqual(sorted([
      { k: 1, v: "x", w: null }, { k: 2, v: "y", w: 10 }, { k: null, v: "n", w: null }, { k: 3, v: null, w: 20 }]));
    expect(await rows("SELECT * FROM a NATURAL JOIN b")).toEqual([{ k: 2, v: "y", w: 10 }]);
  });

  test("both sides' qualifiers still name the key", async () => {
    expect(await rows("SELECT b.k AS bk, a.k AS ak, k FROM a JOIN b USING (k)")).toEqual([{ bk: 2, ak: 2, k: 2 }]);
    expect(await rows("SELECT k FROM a JOIN b USING (k) WHERE b.k > 1")).toEqual([{ k: 2 }]);
  });

  test("semi, anti and cross joins; JOIN without ON is a cross join", async () => {
    expect(await rows("SELECT * FROM a LEFT SEMI JOIN b USING (k)")).toEqual([{ k: 2, v: "y" }]);
    expect(sorted(await rows("SELECT * FROM a LEFT ANTI JOIN b ON a.k = b.k"))).toEqual(sorted([{ k: 1, v: "x" }, { k: null, v: "n" }]));
    expect(await rows("SELECT count(*) AS n FROM a CROSS JOIN b")).toEqual([{ n: 6 }]);
    expect(await rows("SELECT count(*) AS n FROM a JOIN b")).toEqual([{ n: 6 }]);
  });

  test("an unknown USING column names the side, with Spark's error class", () => {
    expect(() => spark.sql("SELECT * FROM a JOIN b USING (w)")).toThrow(
      "[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `w` cannot be resolved on the left side of the join. The left-side columns: [`k`, `v`].");
  });

  test("DataFrame joins on column names are USING joins: a full outer join coalesces the key", async () => {
    const left = spark.table("a");
    const right = spark.table("b");
    expect(left.join(right, "k").columns).toEqual(["k", "v", "w"]);
    expect(sorted(await left.join(right, ["k"], "full").collect())).toEqual(sorted([
      { k: 1, v: "x", w: null }, { k: 2, v: "y", w: 10 }, { k: null, v: "n", w: null }, { k: 3, v: null, w: 20 }]));
    expect(await left.join(right, ["k"], "right").select("k").orderBy("k").collect()).toEqual([{ k: 2 }, { k: 3 }]);
    for (const how of ["leftsemi", "left_semi", "semi"]) expect(await left.join(right, "k", how).collect()).toEqual([{ k: 2, v: "y" }]);
    for (const how of ["leftanti", "left_anti", "anti"]) expect(await left.join(right, "k", how).count()).toBe(2);
    expect(await left.join(right, undefined, "cross").count()).toBe(6);
    expect(await left.join(right, col("a.k").lt(col("b.k")), "inner").count()).toBe(3);
  });
});

describe("set operations", () => {
  test("string with int widens to string; INTERSECT binds tighter than UNION", async () => {
    expect(schemaOf("SELECT 1 AS x UNION SELECT 'a'")).toBe("x:string");
    expect(schemaOf("SELECT 1 AS x INTERSECT SELECT 1L")).toBe("x:long");
    expect(await rows("SELECT 1 AS x UNION ALL SELECT 1 INTERSECT SELECT 2")).toEqual([{ x: 1 }]);
    expect(await rows("(SELECT 1 AS x UNION ALL SELECT 1) INTERSECT SELECT 2")).toEqual([]);
    expect(sorted(await rows("SELECT k FROM a MINUS SELECT k FROM b"))).toEqual(sorted([{ k: 1 }, { k: null }]));
  });

  test("Spark's errors for mismatched inputs", () => {
    expect(() => spark.sql("SELECT 1, 2 UNION SELECT 3")).toThrow(
      "[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has 2 columns and the second input has 1 columns.");
    expect(() => spark.sql("SELECT 1 INTERSECT SELECT 1, 2")).toThrow("[NUM_COLUMNS_MISMATCH] INTERSECT can only");
    expect(() => spark.sql("SELECT 1 EXCEPT ALL SELECT 1, 2")).toThrow("[NUM_COLUMNS_MISMATCH] EXCEPT can only");
    expect(() => spark.sql("SELECT true UNION SELECT 'a'")).toThrow("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on tables with compatible column types.");
  });

  test("DataFrame intersect, intersectAll, except, exceptAll, subtract, unionByName", async () => {
    const x = spark.sql("SELECT * FROM VALUES 1, 1, 1, 2, NULL, NULL AS t(n)");
    const y = spark.sql("SELECT * FROM VALUES 1, 1, NULL, 3 AS u(m)");
    const values = async (df: { collect(): Promise<Record<string, unknown>[]> }): Promise<unknown[]> =>
      (await df.collect()).map((r) => r.n).sort();
    expect(await values(x.intersect(y))).toEqual([1, null]);
    expect(await values(x.intersectAll(y))).toEqual([1, 1, null]);
    expect(await values(x.except(y))).toEqual([2]);
    expect(await values(x.subtract(y))).toEqual([2]);
    expect(await values(x.exceptAll(y))).toEqual([1, 2, null]);
    const p = spark.sql("SELECT 1 AS a, 'p' AS b");
    const q = spark.sql("SELECT 'q' AS b, 2 AS a, true AS c");
    expect(() => p.unionByName(q)).toThrow("[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same number of columns, but the first input has 2 columns and the second input has 3 columns.");
    expect(() => p.unionByName(spark.sql("SELECT 1 AS a, 2 AS z"))).toThrow(AnalysisError);
    expect(await p.unionByName(q, true).collect()).toEqual([{ a: 1, b: "p", c: null }, { a: 2, b: "q", c: true }]);
  });
});

describe("subqueries", () => {
  test("scalar subqueries: Spark's column name, NULL for no row, an error for more than one", async () => {
    expect(spark.sql("SELECT (SELECT max(w) FROM b)").columns).toEqual(["scalarsubquery()"]);
    expect(await rows("SELECT (SELECT w FROM b WHERE k > 5) AS none")).toEqual([{ none: null }]);
    await expect(spark.sql("SELECT (SELECT w FROM b) AS two").collect()).rejects.toThrow(
      "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery used as an expression.");
    expect(() => spark.sql("SELECT (SELECT k, w FROM b)")).toThrow("[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN]");
    expect(() => spark.sql("SELECT k, (SELECT w FROM b WHERE b.k = a.k) FROM a")).toThrow(
      "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.MUST_AGGREGATE_CORRELATED_SCALAR_SUBQUERY]");
  });

  test("NOT IN is unknown (the row dropped) when the subquery holds a NULL, true when the subquery is empty", async () => {
    expect(await rows("SELECT k FROM a WHERE k NOT IN (SELECT k FROM VALUES (2), (NULL) AS n(k))")).toEqual([]);
    expect(sorted(await rows("SELECT k FROM a WHERE k NOT IN (SELECT k FROM b WHERE w > 100)"))).toEqual(sorted([{ k: 1 }, { k: 2 }, { k: null }]));
  });

  test("subqueries are planned as semi and anti joins", () => {
    const plan = planString(spark.sql("SELECT v FROM a WHERE k IN (SELECT k FROM b) AND NOT EXISTS (SELECT 1 FROM b WHERE b.w = a.k)").plan);
    expect(plan).toMatch(/Join left_semi, \(k = k\)/);
    expect(plan).toMatch(/Join left_anti, \(w = CAST\(k AS BIGINT\)\)/);
  });
});

describe("streaming queries", () => {
  const stream = (): MemoryStream<{ k: number }> => new MemoryStream<{ k: number }>(spark, "k INT");

  test("what Spark refuses on streams", () => {
    const s = stream().toDF();
    const t = stream().toDF();
    const staticK = spark.sql("SELECT k FROM b");
    expect(() => s.union(staticK).writeStream.format("memory").queryName(unique("u")).start()).toThrow(
      "Union between streaming and batch DataFrames/Datasets is not supported");
    expect(() => s.intersect(t)).toThrow("Intersect between two streaming DataFrames/Datasets is not supported");
    expect(() => staticK.except(s)).toThrow("Except on a streaming DataFrame/Dataset on the right is not supported");
  });

  test("a stream unions a stream, and filters with IN (subquery over a static table)", async () => {
    const s1 = stream();
    const s2 = stream();
    const name = unique("sub");
    s1.toDF().createOrReplaceTempView(`${name}_s1`);
    const q = spark.sql(`SELECT k FROM STREAM(${name}_s1) WHERE k IN (SELECT k FROM b)`).union(s2.toDF())
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    try {
      s1.addData({ k: 1 }, { k: 2 }, { k: 3 });
      s2.addData({ k: 9 });
      await q.processAllAvailable();
      expect(sorted(await spark.table(name).collect())).toEqual(sorted([{ k: 2 }, { k: 3 }, { k: 9 }]));
    } finally {
      await q.stop();
    }
  });

  test("a correlated scalar subquery over a static table answers every micro-batch (the static aggregate keeps no state)", async () => {
    const s = stream();
    const name = unique("corr");
    s.toDF().createOrReplaceTempView(`${name}_s`);
    const q = spark.sql(`SELECT k, (SELECT count(*) FROM b WHERE b.k = s.k) AS c, (SELECT sum(w) FROM b WHERE b.k = s.k) AS t FROM STREAM(${name}_s) s`)
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    try {
      s.addData({ k: 3 }, { k: 1 });
      await q.processAllAvailable();
      s.addData({ k: 3 }, { k: 2 });
      await q.processAllAvailable();
      // A second batch that recounted the static rows into state would give 2 and 40 here.
      expect(sorted(await spark.table(name).collect())).toEqual(sorted([
        { k: 3, c: 1, t: 20 }, { k: 1, c: 0, t: null }, { k: 3, c: 1, t: 20 }, { k: 2, c: 1, t: 10 },
      ]));
    } finally {
      await q.stop();
    }
  });

  test("a stream joins a static aggregate in append mode", async () => {
    const s = stream();
    const name = unique("agg");
    const q = s.toDF().join(spark.sql("SELECT k, count(*) AS n FROM b GROUP BY k"), "k")
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    try {
      s.addData({ k: 3 }, { k: 4 });
      await q.processAllAvailable();
      s.addData({ k: 3 }, { k: 2 });
      await q.processAllAvailable();
      expect(sorted(await spark.table(name).collect())).toEqual(sorted([{ k: 3, n: 1 }, { k: 3, n: 1 }, { k: 2, n: 1 }]));
    } finally {
      await q.stop();
    }
  });

  test("a non-equality correlation over a stream is refused (rivulet decorrelates equalities only there)", () => {
    const name = unique("neq");
    stream().toDF().createOrReplaceTempView(name);
    expect(() => spark.sql(`SELECT k, (SELECT count(*) FROM b WHERE b.k >= s.k) AS c FROM STREAM(${name}) s`))
      .toThrow("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_COLUMN_IS_NOT_ALLOWED_IN_PREDICATE]");
  });
});
