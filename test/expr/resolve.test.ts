import { describe, expect, it } from "vitest";
import { AnalysisError } from "../../src/common/errors.ts";
import { autoName, displayExpression } from "../../src/expr/display.ts";
import { AggregateCall, Alias, Cast, GetField, Literal, SortOrder, Star, WindowTime, type Expression } from "../../src/expr/expression.ts";
import { nameParts, resolveColumn, resolveExpression, WindowStructType } from "../../src/expr/resolve.ts";
import { scopeOf, type Scope } from "../../src/expr/scope.ts";
import { IntegerType, LongType, StringType, TimestampType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { col, fn, lit } from "./eval-helpers.ts";

const scope: Scope = [
  { name: "Action", qualifier: "l", dataType: StringType, nullable: true },
  { name: "id", qualifier: "l", dataType: LongType, nullable: false },
  { name: "id", qualifier: "u", dataType: LongType, nullable: true },
  { name: "window", qualifier: "l", dataType: WindowStructType, nullable: true },
  { name: "a.b", qualifier: null, dataType: IntegerType, nullable: true },
];

function analysisError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AnalysisError);
    return (e as Error).message;
  }
  throw new Error("expected an AnalysisError");
}

describe("resolveColumn", () => {
  it("resolves names case-insensitively to a bound column", () => {
    const e = resolveColumn("action", null, scope);
    expect(e).toMatchObject({ kind: "ColumnRef", name: "Action", index: 0, qualifier: "l", dataType: StringType });
    expect(resolveColumn("ACTION", null, scope)).toMatchObject({ index: 0 });
  });

  it("uses a qualifier, given separately or written as a prefix", () => {
    expect(resolveColumn("id", "u", scope)).toMatchObject({ index: 2, nullable: true });
    expect(resolveColumn("u.id", null, scope)).toMatchObject({ index: 2 });
    expect(resolveColumn("L.ID", null, scope)).toMatchObject({ index: 1, nullable: false });
  });

  it("resolves nested struct fields such as window.start", () => {
    const e = resolveColumn("window.start", null, scope);
    expect(e.kind).toBe("GetField");
    const g = e as GetField;
    expect(g.field).toBe("start");
    expect(g.dataType).toEqual(TimestampType);
    expect(g.child).toMatchObject({ kind: "ColumnRef", index: 3 });
    expect(resolveColumn("l.window.END", null, scope)).toMatchObject({ kind: "GetField", field: "end" });
  });

  it("resolves a column whose name contains a dot, and backquoted parts", () => {
    expect(resolveColumn("a.b", null, scope)).toMatchObject({ kind: "ColumnRef", index: 4 });
    expect(nameParts("a.`b.c`.d")).toEqual(["a", "b.c", "d"]);
    expect(nameParts("`x``y`")).toEqual(["x`y"]);
  });

  it("fails on an ambiguous name, listing the candidates", () => {
    expect(analysisError(() => resolveColumn("id", null, scope))).toBe(
      "[AMBIGUOUS_REFERENCE] Reference `id` is ambiguous, could be: [`l.id`, `u.id`]",
    );
  });

  it("prefers the exact-case match when names differ only in case", () => {
    const s: Scope = [
      { name: "a", qualifier: null, dataType: IntegerType, nullable: true },
      { name: "A", qualifier: null, dataType: StringType, nullable: true },
    ];
    expect(resolveColumn("A", null, s)).toMatchObject({ index: 1 });
    expect(resolveColumn("a", null, s)).toMatchObject({ index: 0 });
  });

  it("fails on an unknown column, listing the input columns", () => {
    expect(analysisError(() => resolveColumn("nope", null, scope))).toContain(
      // Columns of several tables keep their qualifiers; the five closest names first (Spark's orderSuggestedIdentifiersBySimilarity).
      "[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`a.b`, `l`.`id`, `u`.`id`, `l`.`window`, `l`.`Action`]. SQLSTATE: 42703",
    );
    expect(analysisError(() => resolveColumn("id", "x", scope))).toContain("with name `x`.`id` cannot be resolved");
    // Spark quotes the name in the message (toSQLId): `user id`.
    expect(analysisError(() => resolveColumn("user id", null, scope))).toContain("with name `user id` cannot be resolved");
  });

  it("fails on an unknown struct field or a field of a non-struct", () => {
    expect(analysisError(() => resolveColumn("window.middle", null, scope))).toBe(
      "[FIELD_NOT_FOUND] No such struct field `middle` in `start`, `end`.",
    );
    expect(analysisError(() => resolveColumn("l.Action.x", null, scope))).toContain("Action is of type string, not a struct");
  });
});

describe("resolveExpression", () => {
  const s = scopeOf(parseSchema("a INT, b BIGINT, s STRING, t TIMESTAMP"));

  it("types literals from their JS value", () => {
    expect(resolveExpression(lit(1), s).dataType).toEqual(IntegerType);
    expect(resolveExpression(lit(2 ** 40), s).dataType).toEqual(LongType);
    expect(resolveExpression(lit(1.5), s).dataType?.kind).toBe("double");
    expect(resolveExpression(lit(5n), s)).toMatchObject({ value: 5, dataType: LongType });
    expect(resolveExpression(lit(new Date(1)), s)).toMatchObject({ value: 1000, dataType: TimestampType });
  });

  it("rejects aggregates outside aggregations and unknown functions", () => {
    expect(analysisError(() => resolveExpression(AggregateCall.create("sum", [col("a")]), s))).toContain("aggregate function sum(a) is not allowed here");
    expect(analysisError(() => resolveExpression(fn("nosuchfn", col("a")), s))).toContain("[UNRESOLVED_ROUTINE] Cannot resolve routine `nosuchfn` on search path");
    expect(analysisError(() => resolveExpression(AggregateCall.create("nosuchagg", [col("a")]), s, { allowAggregates: true }))).toBe("undefined aggregate function: nosuchagg");
  });

  it("requires a timestamp time column in window(); a string is cast to one, as Spark's implicit cast", () => {
    expect(resolveExpression(WindowTime.create(col("t"), 60e6, 60e6, 0), s).dataType).toBe(WindowStructType);
    const fromString = resolveExpression(WindowTime.create(col("s"), 60e6, 60e6, 0), s);
    expect(fromString.kind === "WindowTime" && fromString.timeColumn.kind).toBe("Cast");
    expect(analysisError(() => resolveExpression(WindowTime.create(col("b"), 60e6, 60e6, 0), s))).toContain(
      "the time column of window() must be a timestamp, but b is bigint",
    );
  });

  it("rejects casts Spark does not allow", () => {
    expect(analysisError(() => resolveExpression(Cast.create(col("a"), parseSchema("x INT")), s))).toContain("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve \"CAST(a AS STRUCT<x: INT>)\" due to data type mismatch: cannot cast \"INT\" to \"STRUCT<x: INT>\".");
  });

  it("rejects a star outside a projection", () => {
    expect(analysisError(() => resolveExpression(Star.create(), s))).toContain("'*' can only be used in a projection");
  });
});

describe("display and autoName", () => {
  const s = scopeOf(parseSchema("a INT, b BIGINT, name STRING, t TIMESTAMP, w STRUCT<start: TIMESTAMP, end: TIMESTAMP>"));
  const r = (e: Expression): Expression => resolveExpression(e, s, { allowAggregates: true });

  it("a cast of a column keeps the column's name; other casts print CAST(... AS TYPE)", () => {
    expect(autoName(r(Cast.create(col("a"), LongType)))).toBe("a");
    expect(autoName(r(Cast.create(col("w.start"), LongType)))).toBe("start");
    expect(autoName(r(Cast.create(fn("add", col("a"), lit(1)), StringType)))).toBe("CAST((a + 1) AS STRING)");
    expect(displayExpression(r(Cast.create(col("a"), LongType)))).toBe("CAST(a AS BIGINT)");
  });

  it("aggregates print as Spark names them: count(1) for count(*), DISTINCT inside", () => {
    expect(autoName(r(AggregateCall.create("count", [Star.create()])))).toBe("count(1)");
    expect(autoName(r(AggregateCall.create("count", [col("name")], true)))).toBe("count(DISTINCT name)");
    expect(autoName(r(AggregateCall.create("sum", [col("b")])))).toBe("sum(b)");
    expect(autoName(r(AggregateCall.create("first", [col("a"), lit(true)])))).toBe("first(a)");
  });

  it("operators print parenthesised with their symbol", () => {
    expect(autoName(r(fn("greaterthan", col("a"), lit(1))))).toBe("(a > 1)");
    expect(autoName(r(fn("and", fn("isnull", col("name")), fn("not", fn("equalto", col("b"), col("b"))))))).toBe("((name IS NULL) AND (NOT (b = b)))");
    expect(autoName(r(fn("eqnullsafe", col("name"), lit("x"))))).toBe("(name <=> x)");
    expect(autoName(r(fn("in", col("a"), lit(1), lit(2))))).toBe("(a IN (1, 2))");
    expect(autoName(r(fn("like", col("name"), lit("a%"))))).toBe("name LIKE a%");
  });

  it("literals, fields, aliases, windows and sort orders", () => {
    expect(autoName(r(lit(null)))).toBe("NULL");
    expect(autoName(r(lit(1.0)))).toBe("1");
    expect(autoName(r(lit(2.5)))).toBe("2.5");
    expect(autoName(r(Literal.create(0, TimestampType)))).toBe("TIMESTAMP '1970-01-01 00:00:00'");
    expect(autoName(r(col("w.end")))).toBe("end");
    expect(autoName(Alias.create(r(col("a")), "x"))).toBe("x");
    expect(autoName(r(WindowTime.create(col("t"), 600e6, 600e6, 0)))).toBe("window");
    expect(displayExpression(r(WindowTime.create(col("t"), 3600e6, 600e6, 60e6)))).toBe("window(t, 1 hours, 10 minutes, 1 minutes)");
    expect(displayExpression(r(SortOrder.create(col("a"), false)))).toBe("a DESC NULLS LAST");
    expect(displayExpression(r(SortOrder.create(col("a"), true)))).toBe("a ASC NULLS FIRST");
  });
});
