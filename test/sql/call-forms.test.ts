import { describe, expect, test } from "vitest";
import { parseExpression, parseSelectItem } from "../../src/sql/sql-script.ts";
import { Session, col, ilike, lit } from "../../src/index.ts";

/**
 * Spark's special call syntax parses to the plain calls the DataFrame API builds, so both
 * forms plan alike (the golden file call-forms.sql checks the answers).
 */
const spark = Session.builder().appName("call-forms").getOrCreate();
const same = (a: string, b: string): void => expect(parseExpression(a)).toEqual(parseExpression(b));

describe("call forms", () => {
  test("substring/substr FROM … FOR …", () => {
    same("substring(s FROM 5 FOR 1)", "substring(s, 5, 1)");
    same("substr(s FROM 5)", "substring(s, 5)");
    same("SUBSTRING(s FOR 3)", "substring(s, 1, 3)");
  });

  test("trim with BOTH, LEADING, TRAILING and a trim string", () => {
    same("trim(BOTH 'x' FROM s)", "trim(s, 'x')");
    same("trim(LEADING 'x' FROM s)", "ltrim(s, 'x')");
    same("trim(TRAILING 'x' FROM s)", "rtrim(s, 'x')");
    same("trim(BOTH FROM s)", "trim(s)");
    same("trim('x' FROM s)", "trim(s, 'x')");
  });

  test("position(a IN b) is locate(a, b); `a IN b` elsewhere stays a syntax error", () => {
    same("position('b' IN s)", "locate('b', s)");
    same("x IN (1, 2)", "x IN (1, 2)");
    expect(() => parseExpression("x IN y")).toThrow(/PARSE_SYNTAX_ERROR/);
    expect(() => parseExpression("upper(a IN b)")).toThrow(/not a call form of upper/);
  });

  test("left/right (join words) and regexp (an operator) are also function names; as columns they still read", () => {
    expect(parseExpression("left(s, 2)")).toMatchObject({ kind: "Call", name: "left" });
    expect(parseExpression("right(s, 2)")).toMatchObject({ kind: "Call", name: "right" });
    expect(parseExpression("regexp(s, 'a')")).toMatchObject({ kind: "Call", name: "regexp" });
    expect(parseExpression("left + 1")).toMatchObject({ kind: "Call", name: "add", args: [{ kind: "ColumnRef", name: "left" }, { value: 1 }] });
  });

  test("struct(x AS n), count(t.*), count(DISTINCT a, b)", () => {
    expect(parseExpression("struct(a AS id, b)")).toMatchObject({ kind: "Call", name: "struct", args: [{ kind: "Alias", name: "id" }, { kind: "ColumnRef", name: "b" }] });
    expect(parseExpression("count(t.*)")).toMatchObject({ kind: "AggregateCall", name: "count", args: [{ kind: "Star", qualifier: "t" }] });
    expect(parseExpression("count(DISTINCT a, b)")).toMatchObject({ kind: "AggregateCall", distinct: true, args: [{ name: "a" }, { name: "b" }] });
  });

  test("type-named functions and TRY_CAST are casts", () => {
    expect(parseExpression("int(x)")).toMatchObject({ kind: "Cast", to: { kind: "int" } });
    expect(parseExpression("DATE(x)")).toMatchObject({ kind: "Cast", to: { kind: "date" } });
    expect(parseExpression("string(x)")).toMatchObject({ kind: "Cast", to: { kind: "string" } });
    expect(parseExpression("TRY_CAST(x AS BIGINT)")).toMatchObject({ kind: "Cast", to: { kind: "long" } });
    expect(() => parseExpression("int(1, 2)")).toThrow(/WRONG_NUM_ARGS.WITHOUT_SUGGESTION.*`int` requires 1 parameters/);
    // DATE 'literal' is still a typed literal.
    expect(parseExpression("DATE '2020-01-01'")).toMatchObject({ kind: "Literal" });
  });

  test("quantified LIKE, ILIKE, REGEXP, IS [NOT] DISTINCT FROM, IS [NOT] UNKNOWN", () => {
    expect(parseExpression("s LIKE ANY ('a%', 'b%')")).toMatchObject({ kind: "Call", name: "like_any" });
    expect(parseExpression("s LIKE SOME ('a%')")).toMatchObject({ kind: "Call", name: "like_any" });
    expect(parseExpression("s NOT LIKE ALL ('a%')")).toMatchObject({ kind: "Call", name: "not_like_all" });
    expect(parseExpression("s ILIKE ANY ('a%')")).toMatchObject({ kind: "Call", name: "ilike_any" });
    expect(parseExpression("s NOT ILIKE 'a%'")).toMatchObject({ kind: "Call", name: "not", args: [{ name: "ilike" }] });
    same("s REGEXP 'a'", "s RLIKE 'a'");
    same("a IS DISTINCT FROM b", "NOT (a <=> b)");
    same("a IS NOT DISTINCT FROM b", "a <=> b");
    same("a IS UNKNOWN", "a IS NULL");
    same("a IS NOT UNKNOWN", "a IS NOT NULL");
    // `any(x)` and `some(x)` are still the aggregates.
    expect(parseExpression("any(b)")).toMatchObject({ kind: "AggregateCall", name: "any" });
  });

  test("a column alias after a call form still parses (selectExpr)", () => {
    expect(parseSelectItem("trim(BOTH 'x' FROM s) AS t")).toMatchObject({ kind: "Alias", name: "t", child: { kind: "Call", name: "trim" } });
  });

  test("ILIKE in SQL and ilike() in the DataFrame API plan alike", async () => {
    const df = spark.createDataFrame([{ s: "Spark" }, { s: "flink" }], "s STRING");
    df.createOrReplaceTempView("call_forms_t");
    expect(await spark.sql("SELECT s FROM call_forms_t WHERE s ILIKE 'SP%'").collect()).toEqual([{ s: "Spark" }]);
    expect(await df.filter(ilike(col("s"), lit("SP%"))).collect()).toEqual([{ s: "Spark" }]);
  });
});
