import { describe, expect, test } from "vitest";
import { ParseError } from "../../src/index.ts";
import { displayExpression } from "../../src/expr/display.ts";
import type { Expression } from "../../src/expr/expression.ts";
import { parseExpression, parseSelectItem } from "../../src/sql/sql-script.ts";
import { SqlSyntaxError, parseSql } from "../../src/sql/sql-parse.ts";

const show = (sql: string): string => displayExpression(parseExpression(sql));
const kind = (sql: string): Expression => parseExpression(sql);

describe("SQL expressions parse with Spark's precedence", () => {
  test.each([
    ["a OR b AND c", "(a OR (b AND c))"],
    ["NOT a = 1 AND b", "((NOT (a = 1)) AND b)"],
    ["a + b * c - d", "((a + (b * c)) - d)"],
    ["a * (b + c) % 2", "((a * (b + c)) % 2)"],
    ["-a + 1", "((- a) + 1)"],
    ["a = 1 OR b <> 2", "((a = 1) OR (b != 2))"],
    ["a <=> NULL", "(a <=> NULL)"],
    ["a || b", "concat(a, b)"],
    ["a >= 1 AND a <= 2", "((a >= 1) AND (a <= 2))"],
  ])("%s", (sql, expected) => {
    expect(show(sql).replace(/\s+/g, " ")).toBe(expected);
  });
});

describe("predicates, CASE, CAST", () => {
  test("IN, NOT IN, BETWEEN, LIKE, RLIKE, IS [NOT] NULL", () => {
    expect(kind("x IN (1, 2, 3)")).toMatchObject({ kind: "Call", name: "in" });
    expect(kind("x NOT IN (1)")).toMatchObject({ kind: "Call", name: "not", args: [{ name: "in" }] });
    expect(kind("x BETWEEN 1 AND 5")).toMatchObject({ name: "and", args: [{ name: "greaterthanorequal" }, { name: "lessthanorequal" }] });
    expect(kind("x NOT BETWEEN 1 AND 5")).toMatchObject({ name: "not" });
    expect(kind("s LIKE 'a%'")).toMatchObject({ name: "like" });
    expect(kind("s NOT LIKE 'a%'")).toMatchObject({ name: "not", args: [{ name: "like" }] });
    expect(kind("s RLIKE '^a'")).toMatchObject({ name: "rlike" });
    expect(kind("x IS NULL")).toMatchObject({ name: "isnull" });
    expect(kind("x IS NOT NULL")).toMatchObject({ name: "isnotnull" });
    expect(kind("x IS TRUE")).toMatchObject({ name: "eqnullsafe" });
  });

  test("searched and simple CASE", () => {
    expect(kind("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END")).toMatchObject({ kind: "Case", branches: [[{}, {}], [{}, {}]], otherwise: { value: "z" } });
    expect(kind("CASE a WHEN 1 THEN 'one' END")).toMatchObject({ kind: "Case", branches: [[{ name: "equalto" }, { value: "one" }]], otherwise: null });
  });

  test("CAST uses the DDL type names", () => {
    expect(kind("CAST(x AS BIGINT)")).toMatchObject({ kind: "Cast", to: { kind: "long" } });
    expect(kind("cast(x as array<int>)")).toMatchObject({ kind: "Cast", to: { kind: "array" } });
    expect(kind("CAST(x AS STRUCT<a: INT, b ARRAY<STRING>>)")).toMatchObject({ kind: "Cast", to: { kind: "struct" } });
    expect(kind("CAST(x AS DECIMAL(10, 2))")).toMatchObject({ kind: "Cast", to: { kind: "decimal", precision: 10, scale: 2 } });
    expect(kind("CAST(x AS TINYINT)")).toMatchObject({ kind: "Cast", to: { kind: "byte" } });
    expect(kind("CAST(x AS REAL)")).toMatchObject({ kind: "Cast", to: { kind: "float" } });
  });
});

describe("literals", () => {
  test("numbers: INT, BIGINT by size or suffix, DECIMAL as written, DOUBLE with an exponent, signed (Spark's literal types)", () => {
    expect(kind("42")).toMatchObject({ kind: "Literal", value: 42, dataType: null });
    expect(kind("3000000000")).toMatchObject({ value: 3000000000 });
    expect(kind("7L")).toMatchObject({ value: 7, dataType: { kind: "long" } });
    // Spark: 2.0 is DECIMAL(2,1) (the internal value is the unscaled 20n); 2.0D is DOUBLE.
    expect(kind("2.0")).toMatchObject({ value: 20n, dataType: { kind: "decimal", precision: 2, scale: 1 } });
    expect(kind("2.0D")).toMatchObject({ value: 2, dataType: { kind: "double" } });
    expect(kind("2.5F")).toMatchObject({ value: 2.5, dataType: { kind: "float" } });
    expect(kind("2BD")).toMatchObject({ value: 2n, dataType: { kind: "decimal", precision: 1, scale: 0 } });
    expect(kind("7S")).toMatchObject({ value: 7, dataType: { kind: "short" } });
    expect(kind("7Y")).toMatchObject({ value: 7, dataType: { kind: "byte" } });
    expect(kind("-0.001")).toMatchObject({ value: -1n, dataType: { kind: "decimal", precision: 3, scale: 3 } });
    expect(kind("1e3")).toMatchObject({ value: 1000, dataType: { kind: "double" } });
    expect(kind("-5")).toMatchObject({ kind: "Literal", value: -5 });
  });

  test("strings: '' and backslash escapes, double quotes, adjacent strings", () => {
    expect(kind("'it''s'")).toMatchObject({ value: "it's" });
    expect(kind("'it\\'s\\n'")).toMatchObject({ value: "it's\n" });
    expect(kind('"double"')).toMatchObject({ value: "double" });
    expect(kind("'a' 'b'")).toMatchObject({ value: "ab" });
  });

  test("TRUE, FALSE, NULL, TIMESTAMP and DATE literals", () => {
    expect(kind("TRUE")).toMatchObject({ value: true });
    expect(kind("false")).toMatchObject({ value: false });
    expect(kind("NULL")).toMatchObject({ value: null });
    // A wall time of the session time zone, which the parser does not know: a call that casts (and folds) in that zone, named as Spark names it.
    expect(kind("TIMESTAMP '2026-01-01 00:00:00'")).toMatchObject({ kind: "Call", name: "timestamp_literal", args: [{ value: "2026-01-01 00:00:00" }] });
    expect(kind("DATE '2026-01-02'")).toMatchObject({ value: 20455, dataType: { kind: "date" } });
    expect(() => kind("TIMESTAMP 'not a time'")).toThrow(/INVALID_TYPED_LITERAL/);
  });

  test("intervals: INTERVAL 1 HOUR, INTERVAL '10' MINUTE, INTERVAL 10 MINUTES, INTERVAL '1 hour'", () => {
    const window = (interval: string): Expression => kind(`window(time, ${interval})`);
    expect(window("INTERVAL 1 HOUR")).toMatchObject({ kind: "WindowTime", sizeMicros: 3_600_000_000 });
    expect(window("INTERVAL '10' MINUTE")).toMatchObject({ sizeMicros: 600_000_000 });
    expect(window("INTERVAL 10 MINUTES")).toMatchObject({ sizeMicros: 600_000_000 });
    expect(window("INTERVAL '1 hour'")).toMatchObject({ sizeMicros: 3_600_000_000 });
    expect(window("INTERVAL 1 HOUR 30 MINUTES")).toMatchObject({ sizeMicros: 5_400_000_000 });
    expect(kind("window(time, '1 hour', '5 minutes')")).toMatchObject({ sizeMicros: 3_600_000_000, slideMicros: 300_000_000 });
  });
});

describe("names and functions", () => {
  test("struct field access, qualified names, backquotes, non-reserved keywords as names", () => {
    expect(kind("window.start")).toMatchObject({ kind: "ColumnRef", name: "window.start" });
    expect(kind("`my col`")).toMatchObject({ kind: "ColumnRef", name: "my col" });
    expect(kind("`a.b`.c")).toMatchObject({ kind: "ColumnRef", name: "`a.b`.c" });
    expect(kind("time")).toMatchObject({ kind: "ColumnRef", name: "time" });
    expect(kind("date")).toMatchObject({ kind: "ColumnRef", name: "date" });
    expect(kind("timestamp + 1")).toMatchObject({ name: "add", args: [{ kind: "ColumnRef", name: "timestamp" }, {}] });
    expect(kind("(a).b")).toMatchObject({ kind: "GetField", field: "b" });
  });

  test("case-insensitive keywords and comments", () => {
    expect(parseSql("select a -- trailing\n from t /* block\n comment */ where b", "script")).toBeDefined();
    expect(kind("x iS nOt NuLl")).toMatchObject({ name: "isnotnull" });
  });

  test("aggregates, count(*), count(DISTINCT …), window, scalar functions", () => {
    expect(kind("count(*)")).toMatchObject({ kind: "AggregateCall", name: "count", args: [{ kind: "Star" }] });
    expect(kind("COUNT(DISTINCT userId)")).toMatchObject({ kind: "AggregateCall", name: "count", distinct: true });
    expect(kind("mean(x)")).toMatchObject({ kind: "AggregateCall", name: "avg" });
    expect(kind("first(x)")).toMatchObject({ kind: "AggregateCall", name: "first", args: [{}, { value: false }] });
    expect(kind("approx_count_distinct(x)")).toMatchObject({ kind: "AggregateCall", name: "approx_count_distinct" });
    expect(kind("upper(x)")).toMatchObject({ kind: "Call", name: "upper" });
    expect(kind("date_trunc('hour', time)")).toMatchObject({ kind: "Call", name: "date_trunc" });
    expect(kind("current_timestamp")).toMatchObject({ kind: "Call", name: "current_timestamp" });
    expect(() => kind("uper(x)")).toThrow(/Did you mean `upper`/);
    expect(() => kind("upper(*)")).toThrow(/aggregate/);
  });

  test("select items: alias with and without AS, * and t.*", () => {
    expect(parseSelectItem("a + 1 AS b")).toMatchObject({ kind: "Alias", name: "b" });
    expect(parseSelectItem("count(*) n")).toMatchObject({ kind: "Alias", name: "n" });
    expect(parseSelectItem("*")).toMatchObject({ kind: "Star", qualifier: null });
    expect(parseSelectItem("l.*")).toMatchObject({ kind: "Star", qualifier: "l" });
  });
});

describe("statements parse", () => {
  test.each([
    "SELECT DISTINCT a FROM t AS x JOIN u ON x.id = u.id LEFT JOIN v USING (id) WHERE a > 1 GROUP BY a HAVING count(*) > 1 ORDER BY a DESC NULLS LAST LIMIT 10",
    "WITH c AS (SELECT 1 AS one), d (SELECT 2 AS two) SELECT * FROM c CROSS JOIN d",
    "SELECT a FROM t UNION ALL SELECT a FROM u UNION SELECT a FROM v",
    "SELECT * FROM (SELECT a FROM t) s LEFT SEMI JOIN u ON s.a = u.a",
    "SELECT * FROM STREAM(logs) WATERMARK time DELAY OF INTERVAL 10 MINUTES AS l",
    "SELECT * FROM STREAM logs l WATERMARK l.time DELAY OF '10 minutes'",
    "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1",
    "CREATE TABLE IF NOT EXISTS logs (time TIMESTAMP, action STRING NOT NULL, tags ARRAY<STRING>) USING json OPTIONS (path '/tmp/x', 'maxFilesPerTrigger' 1, multiLine = false)",
    "INSERT INTO counts SELECT * FROM STREAM(logs)",
    "SET spark.sql.shuffle.partitions = 4",
    "SET",
    "EXPLAIN EXTENDED SELECT 1",
    "SHOW TABLES",
    "DESCRIBE TABLE logs",
    "DROP TABLE IF EXISTS logs",
    "SELECT 1; SELECT 2;; ",
  ])("%s", (sql) => {
    expect(() => parseSql(sql, "script")).not.toThrow();
  });
});

describe("syntax errors", () => {
  const error = (sql: string): SqlSyntaxError => {
    try {
      parseSql(sql, "script");
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return e as SqlSyntaxError;
    }
    throw new Error(`expected a syntax error for ${sql}`);
  };

  test("a misspelled keyword is reported where it is, Spark's way", () => {
    const e = error("SELECT action FORM logs");
    expect(e.message).toMatch(/^\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'FORM' \(line 1, pos 14\): did you mean 'FROM'\?/);
    expect([e.line, e.column]).toEqual([1, 15]);
    expect(e.message).toContain("== SQL ==\nSELECT action FORM logs\n--------------^^^^");
  });

  test("what was expected is listed", () => {
    expect(error("SELECT a FROM t GROUP a").message).toMatch(/Syntax error at or near 'a' \(line 1, pos 22\): expected 'BY'/);
    expect(error("SELECT (a + 1 FROM t").message).toMatch(/at or near 'FROM' .*: expected '\)'/);
    expect(error("SELCT 1").message).toMatch(/at or near 'SELCT' \(line 1, pos 0\): expected .*'SELECT'/);
  });

  test("end of input, and positions on later lines", () => {
    const eoi = error("SELECT a FROM t WHERE");
    expect(eoi.message).toMatch(/at or near end of input \(line 1, pos 21\)/);
    const later = error("SELECT a,\n  b FROM t\nWHERE a = = 1");
    expect([later.line, later.column]).toEqual([3, 11]);
    expect(later.message).toMatch(/at or near '=' \(line 3, pos 10\)/);
  });

  test("lexical errors: unclosed strings, quoted names and comments, stray characters", () => {
    expect(error("SELECT 'abc FROM t").message).toMatch(/at or near ''' \(line 1, pos 7\): the string literal is not closed/);
    expect(error("SELECT `abc FROM t").message).toMatch(/quoted identifier is not closed/);
    expect(error("SELECT 1 /* open").message).toMatch(/comment is not closed/);
    expect(error("SELECT a # b FROM t").message).toMatch(/unexpected character '#'/);
  });

  test("reserved words need backquotes as table names; keywords in the wrong place are errors", () => {
    expect(error("SELECT a FROM from").message).toMatch(/at or near 'from'/);
    expect(() => parseSql("SELECT a FROM `from`", "script")).not.toThrow();
    expect(() => parseSql("SELECT from FROM t", "script")).not.toThrow();
    expect(error("SELECT a FROM t WATERMARK time DELAY 10").message).toMatch(/expected 'OF'/);
    expect(error("CREATE TABLE t USING").message).toMatch(/end of input.*expected an identifier/);
  });

  test("expressions given to expr() and filter() report errors too", () => {
    expect(() => parseExpression("a >")).toThrow(/PARSE_SYNTAX_ERROR.*end of input/);
    expect(() => parseExpression("a b")).toThrow(/PARSE_SYNTAX_ERROR.*'b'/);
  });
});
