import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";

/** IDENTIFIER(…) (Spark 3.5): a constant string, or a parameter, names a table or a column. */
const spark = Session.builder().appName("identifier-clause").getOrCreate();
spark.createDataFrame([{ a: 1, "my col": 2 }, { a: 5, "my col": 6 }], "a INT, `my col` INT").createOrReplaceTempView("idc_t");

describe("IDENTIFIER clause", () => {
  test("names a table in FROM, with an alias, from a concatenation, or a CTE", async () => {
    expect(await spark.sql("SELECT a FROM IDENTIFIER('idc_t') ORDER BY a").collect()).toEqual([{ a: 1 }, { a: 5 }]);
    expect(await spark.sql("SELECT x.a FROM IDENTIFIER('idc' || '_t') AS x WHERE x.a > 1").collect()).toEqual([{ a: 5 }]);
    expect(await spark.sql("WITH c AS (SELECT 7 AS z) SELECT z FROM IDENTIFIER('c')").collect()).toEqual([{ z: 7 }]);
  });

  test("names a column: plain, qualified, backquoted, in an expression", async () => {
    expect(await spark.sql("SELECT IDENTIFIER('a') + 1 AS b, IDENTIFIER('idc_t.a') AS q, IDENTIFIER('`my col`') FROM idc_t ORDER BY b").collect())
      .toEqual([{ b: 2, q: 1, "my col": 2 }, { b: 6, q: 5, "my col": 6 }]);
    expect(await spark.sql("SELECT a FROM idc_t WHERE IDENTIFIER('my col') > 3").collect()).toEqual([{ a: 5 }]);
  });

  test("from named parameters, the form that keeps table names out of the SQL text", async () => {
    const df = spark.sql("SELECT IDENTIFIER(:column) FROM IDENTIFIER(:table) WHERE a = :value", { column: "my col", table: "idc_t", value: 5 });
    expect(await df.collect()).toEqual([{ "my col": 6 }]);
  });

  test("Spark's errors: not a constant string, a null, a name that is not there", () => {
    expect(() => spark.sql("SELECT IDENTIFIER(1) FROM idc_t")).toThrow(
      "[NOT_A_CONSTANT_STRING.WRONG_TYPE] The expression 1 used for the routine or clause IDENTIFIER must be a constant STRING which is NOT NULL. The data type is INT. SQLSTATE: 42601");
    expect(() => spark.sql("SELECT * FROM IDENTIFIER(CAST(NULL AS STRING))")).toThrow(/^\[NOT_A_CONSTANT_STRING.NULL\]/);
    expect(() => spark.sql("SELECT IDENTIFIER(a) FROM idc_t")).toThrow(/NOT_A_CONSTANT_STRING|UNRESOLVED_COLUMN/);
    expect(() => spark.sql("SELECT IDENTIFIER('nope') FROM idc_t")).toThrow(/^\[UNRESOLVED_COLUMN.WITH_SUGGESTION\].*`nope`.*; line 1 pos 7$/);
    expect(() => spark.sql("SELECT * FROM IDENTIFIER('nope')")).toThrow(/^\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(() => spark.sql("SELECT * FROM IDENTIFIER('a..b')")).toThrow(/^\[INVALID_IDENTIFIER\]/);
  });

  test("a column named identifier is still a column", async () => {
    expect(await spark.sql("SELECT identifier FROM (SELECT 1 AS identifier)").collect()).toEqual([{ identifier: 1 }]);
  });
});
