import { describe, expect, test } from "vitest";
import { ParseError, Session } from "../../src/index.ts";

const spark = Session.builder().appName("spark-error-classes").getOrCreate();

function parseError(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error("expected a ParseError");
}

/** Errors carry Spark's (and PySpark's) error classes, with positions in what the user wrote. */
describe("Spark error classes", () => {
  test("SQL: an unknown type in CAST is UNSUPPORTED_DATATYPE at its position in the statement", () => {
    const e = parseError(() => spark.sql("SELECT CAST(1 AS INTEGERR)"));
    expect(e.message).toBe('[UNSUPPORTED_DATATYPE] Unsupported data type "INTEGERR". (line 1, column 18)');
    const later = parseError(() => spark.sql("SELECT 1,\n  CAST(2 AS STRNG) AS s"));
    expect([later.line, later.column]).toEqual([2, 13]);
  });

  test("DataFrame: a DDL schema string with a missing comma is PARSE_SYNTAX_ERROR; an unknown type UNSUPPORTED_DATATYPE", () => {
    expect(parseError(() => spark.read.schema("a INT b STRING")).message).toContain("[PARSE_SYNTAX_ERROR] Syntax error at or near 'b'.");
    expect(parseError(() => spark.read.schema("a INTT, b STRING")).message).toContain('[UNSUPPORTED_DATATYPE] Unsupported data type "INTT".');
    expect(() => spark.sql("SELECT 1 AS a").select(spark.sql("SELECT 1 AS a").col("a").cast("INTEGERR"))).toThrow('[UNSUPPORTED_DATATYPE] Unsupported data type "INTEGERR".');
  });

  test("SQL and DataFrame: an aggregate inside an aggregate is NESTED_AGGREGATE_FUNCTION", async () => {
    const message = "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.";
    expect(() => spark.sql("SELECT sum(max(a)) FROM VALUES (1) t(a)")).toThrow(message);
    const df = spark.sql("SELECT 1 AS a");
    expect(() => df.selectExpr("sum(max(a))")).toThrow(message);
  });

  test("DataFrame: a value where a Column is expected fails at the call, as PySpark's NOT_COLUMN / NOT_COLUMN_OR_STR", () => {
    const df = spark.sql("SELECT 1 AS a");
    expect(() => df.withColumn("x", 5 as never)).toThrow(new TypeError("[NOT_COLUMN] Argument `col` should be a Column, got int."));
    expect(() => df.select(5 as never)).toThrow(new TypeError("[NOT_COLUMN_OR_STR] Argument `cols` should be a Column or str, got int."));
    expect(() => df.filter(true as never)).toThrow(new TypeError("[NOT_COLUMN_OR_STR] Argument `condition` should be a Column or str, got bool."));
    expect(() => df.where(null as never)).toThrow("[NOT_COLUMN_OR_STR] Argument `condition` should be a Column or str, got NoneType.");
  });
});
