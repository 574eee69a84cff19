import { describe, expect, it } from "vitest";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { hashString } from "../../src/columnar/utf8-hash.ts";
import { valueAt } from "../../src/columnar/vector.ts";
import { AnalysisError } from "../../src/common/errors.ts";
import { compileExpression } from "../../src/expr/compile.ts";
import { ColumnRef, Call } from "../../src/expr/expression.ts";
import { likeToRegExp } from "../../src/expr/functions/predicates.ts";
import { resolveExpression } from "../../src/expr/resolve.ts";
import { scopeOf } from "../../src/expr/scope.ts";
import { BooleanType, DoubleType, IntegerType, LongType, StringType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { CTX, col, evaluate, fn, lit, scalar } from "./eval-helpers.ts";

describe("arithmetic", () => {
  it("int + int wraps on overflow like Java", () => {
    const r = evaluate("a INT, b INT", [{ a: 2147483647, b: 1 }, { a: -2147483648, b: -1 }, { a: 1, b: null }], fn("add", col("a"), col("b")));
    expect(r.type).toEqual(IntegerType);
    expect(r.values).toEqual([-2147483648, 2147483647, null]);
    expect(evaluate("a INT, b INT", [{ a: 65536, b: 65536 }, { a: 46341, b: 46341 }], fn("multiply", col("a"), col("b"))).values).toEqual([0, -2147479015]);
    expect(evaluate("a INT, b INT", [{ a: -2147483648, b: 1 }], fn("subtract", col("a"), col("b"))).values).toEqual([2147483647]);
  });

  it("widens int with long to long, and with double to double", () => {
    const l = evaluate("a INT, b BIGINT", [{ a: 2147483647, b: 1 }], fn("add", col("a"), col("b")));
    expect(l.type).toEqual(LongType);
    expect(l.values).toEqual([2147483648]);
    const d = evaluate("a INT, b DOUBLE", [{ a: 1, b: 0.5 }], fn("add", col("a"), col("b")));
    expect(d.type).toEqual(DoubleType);
    expect(d.values).toEqual([1.5]);
  });

  it("divide always gives a double; division by zero is null", () => {
    const r = evaluate("a INT, b INT", [{ a: 1, b: 2 }, { a: 7, b: 0 }, { a: -7, b: 2 }, { a: 0, b: 0 }], fn("divide", col("a"), col("b")));
    expect(r.type).toEqual(DoubleType);
    expect(r.values).toEqual([0.5, null, -3.5, null]);
    expect(evaluate("a DOUBLE", [{ a: 1.5 }], fn("divide", col("a"), lit(0))).values).toEqual([null]);
  });

  it("mod keeps the dividend's sign; mod by zero is null", () => {
    const r = evaluate("a INT, b INT", [{ a: 7, b: 3 }, { a: -7, b: 3 }, { a: 7, b: -3 }, { a: 7, b: 0 }], fn("mod", col("a"), col("b")));
    expect(r.type).toEqual(IntegerType);
    expect(r.values).toEqual([1, -1, 1, null]);
  });

  it("strings in arithmetic are cast to double; non-numeric types are rejected", () => {
    expect(evaluate("s STRING", [{ s: "2.5" }, { s: "x" }], fn("add", col("s"), lit(1))).values).toEqual([3.5, null]);
    expect(() => evaluate("b BOOLEAN", [], fn("add", col("b"), lit(1)))).toThrow(AnalysisError);
  });

  it("negative, abs, floor, ceil and round", () => {
    expect(evaluate("a INT", [{ a: 3 }, { a: null }], fn("negative", col("a"))).values).toEqual([-3, null]);
    expect(scalar(fn("abs", lit(-2.5)))).toBe(2.5);
    expect(scalar(fn("floor", lit(-2.5)))).toBe(-3);
    expect(scalar(fn("ceil", lit(2.1)))).toBe(3);
    expect(scalar(fn("round", lit(2.5)))).toBe(3);
    expect(scalar(fn("round", lit(-2.5)))).toBe(-3);
    expect(scalar(fn("bround", lit(2.5)))).toBe(2);
    expect(scalar(fn("round", lit(1.2345), lit(2)))).toBe(1.23);
  });
});

describe("comparison", () => {
  it("compares numbers across widened types, nulls give null", () => {
    const r = evaluate("a INT, b DOUBLE", [{ a: 1, b: 1.5 }, { a: 2, b: 1.5 }, { a: 2, b: 2 }, { a: null, b: 1 }],
      fn("lessthan", col("a"), col("b")));
    expect(r.values).toEqual([true, false, false, null]);
    expect(evaluate("a INT, b BIGINT", [{ a: 3, b: 3 }], fn("equalto", col("a"), col("b"))).values).toEqual([true]);
    expect(evaluate("a INT", [{ a: 3 }, { a: 4 }], fn("greaterthanorequal", col("a"), lit(4))).values).toEqual([false, true]);
  });

  it("compares strings by code point, constants and columns alike", () => {
    const rows = [{ a: "apple", b: "banana" }, { a: "b", b: "B" }, { a: "x", b: "x" }, { a: null, b: "x" }];
    expect(evaluate("a STRING, b STRING", rows, fn("lessthan", col("a"), col("b"))).values).toEqual([true, false, false, null]);
    expect(evaluate("a STRING, b STRING", rows, fn("notequalto", col("a"), col("b"))).values).toEqual([true, true, false, null]);
    expect(evaluate("a STRING", [{ a: "a" }, { a: "c" }, { a: "b" }], fn("greaterthan", col("a"), lit("b"))).values).toEqual([false, true, false]);
  });

  it("compares string columns whose dictionaries differ by their strings, not their codes", () => {
    const left = new VecBuilder(StringType);
    for (const s of ["x", "y", "z", null]) left.append(s);
    const right = new VecBuilder(StringType);
    for (const s of ["z", "y", "x", "x"]) right.append(s);
    const schema = parseSchema("a STRING, b STRING");
    const batch = new ColumnBatch(schema, [left.finish(), right.finish()], 4);
    for (const [name, expected] of [["equalto", [false, true, false, null]], ["lessthan", [true, false, false, null]]] as const) {
      const e = resolveExpression(Call.create(name, [ColumnRef.create("a"), ColumnRef.create("b")]), scopeOf(schema));
      const v = compileExpression(e)(batch, CTX);
      expect(Array.from({ length: 4 }, (_, i) => valueAt(v, i)), name).toEqual(expected);
    }
  });

  it("compares string columns by their strings when a dictionary holds a string twice", () => {
    // appendFresh makes an entry without looking the string up (a decoder's guess that it is new).
    const left = new VecBuilder(StringType);
    for (const s of ["x", "y", "x"]) left.appendFresh(s, hashString(s));
    const right = new VecBuilder(StringType);
    for (const s of ["x", "x", "y"]) right.appendFresh(s, hashString(s));
    const schema = parseSchema("a STRING, b STRING");
    const batch = new ColumnBatch(schema, [left.finish(), right.finish()], 3);
    for (const [a, b, name, expected] of [
      ["a", "b", "equalto", [true, false, false]], ["b", "a", "equalto", [true, false, false]], ["a", "b", "notequalto", [false, true, true]],
      ["a", "a", "equalto", [true, true, true]],
    ] as const) {
      const e = resolveExpression(Call.create(name, [ColumnRef.create(a), ColumnRef.create(b)]), scopeOf(schema));
      const v = compileExpression(e)(batch, CTX);
      expect(Array.from({ length: 3 }, (_, i) => valueAt(v, i)), `${a} ${name} ${b}`).toEqual(expected);
    }
    // The same dictionary on both sides, rows 0 and 2 holding one string under two codes.
    const one = new VecBuilder(StringType);
    for (const s of ["x", "y", "x"]) one.appendFresh(s, hashString(s));
    const vec = one.finish();
    const shifted = { ...vec, codes: Int32Array.from([2, 1, 0]) };
    const same = new ColumnBatch(schema, [vec, shifted], 3);
    const e = resolveExpression(Call.create("equalto", [ColumnRef.create("a"), ColumnRef.create("b")]), scopeOf(schema));
    expect(Array.from({ length: 3 }, (_, i) => valueAt(compileExpression(e)(same, CTX), i))).toEqual([true, true, true]);
  });

  it("<=> treats two nulls as equal and is never null", () => {
    const r = evaluate("a INT, b INT", [{ a: 1, b: 1 }, { a: 1, b: null }, { a: null, b: null }, { a: 2, b: 1 }], fn("eqnullsafe", col("a"), col("b")));
    expect(r.values).toEqual([true, false, true, false]);
    expect(r.vec.valid).toBeNull();
  });

  it("compares a string with a number as doubles", () => {
    expect(evaluate("s STRING", [{ s: "10" }, { s: "9.5" }, { s: "x" }], fn("greaterthan", col("s"), lit(9))).values).toEqual([true, true, null]);
  });

  it("rejects incomparable types", () => {
    expect(() => evaluate("b BOOLEAN, t TIMESTAMP", [], fn("equalto", col("b"), col("t")))).toThrow(/cannot compare boolean with timestamp/);
  });
});

describe("three-valued logic", () => {
  const T = true, F = false, N = null;
  const pairs = [[T, T], [T, F], [T, N], [F, T], [F, F], [F, N], [N, T], [N, F], [N, N]].map(([a, b]) => ({ a, b }));

  it("AND: false wins over null", () => {
    expect(evaluate("a BOOLEAN, b BOOLEAN", pairs, fn("and", col("a"), col("b"))).values).toEqual([T, F, N, F, F, F, N, F, N]);
  });

  it("OR: true wins over null", () => {
    expect(evaluate("a BOOLEAN, b BOOLEAN", pairs, fn("or", col("a"), col("b"))).values).toEqual([T, T, T, T, F, N, T, N, N]);
  });

  it("NOT of null is null", () => {
    expect(evaluate("a BOOLEAN", [{ a: T }, { a: F }, { a: N }], fn("not", col("a"))).values).toEqual([F, T, N]);
  });

  it("AND/OR require booleans", () => {
    expect(() => evaluate("a INT", [], fn("and", col("a"), lit(true)))).toThrow(/argument must be boolean, but it is of type int/);
  });

  it("IS NULL / IS NOT NULL are never null", () => {
    expect(evaluate("a INT", [{ a: 1 }, { a: null }], fn("isnull", col("a"))).values).toEqual([false, true]);
    expect(evaluate("a INT", [{ a: 1 }, { a: null }], fn("isnotnull", col("a"))).values).toEqual([true, false]);
  });
});

describe("IN", () => {
  it("is true on a match, null for a null value or when no match and the list holds a null", () => {
    const rows = [{ a: 1 }, { a: 3 }, { a: null }];
    expect(evaluate("a INT", rows, fn("in", col("a"), lit(1), lit(2))).values).toEqual([true, false, null]);
    expect(evaluate("a INT", rows, fn("in", col("a"), lit(1), lit(null))).values).toEqual([true, null, null]);
  });

  it("matches strings and widens numbers", () => {
    expect(evaluate("s STRING", [{ s: "a" }, { s: "c" }], fn("in", col("s"), lit("b"), lit("a"))).values).toEqual([true, false]);
    expect(evaluate("l BIGINT", [{ l: 2 ** 40 }, { l: 1 }], fn("in", col("l"), lit(2 ** 40), lit(1.5))).values).toEqual([true, false]);
  });
});

describe("LIKE", () => {
  const like = (values: (string | null)[], pattern: string): unknown[] => evaluate("s STRING", values.map((s) => ({ s })), fn("like", col("s"), lit(pattern))).values;

  it("% matches any run, _ exactly one character, the rest literally", () => {
    expect(like(["spark", "sparkle", "spork", "park", null], "sp%k")).toEqual([true, false, true, false, null]);
    expect(like(["abc", "abbc", "ac"], "a_c")).toEqual([true, false, false]);
    expect(like(["a.c", "abc"], "a.c")).toEqual([true, false]);
    expect(like(["line1\nline2"], "line1%")).toEqual([true]);
    expect(like(["(x)", "x"], "(%)")).toEqual([true, false]);
  });

  it("a backslash escapes % and _", () => {
    expect(like(["100%", "1000"], "100\\%")).toEqual([true, false]);
    expect(like(["a_b", "axb"], "a\\_b")).toEqual([true, false]);
    expect(likeToRegExp("a\\\\b").test("a\\b")).toBe(true);
  });

  it("per-row patterns", () => {
    const r = evaluate("s STRING, p STRING", [{ s: "abc", p: "a%" }, { s: "abc", p: "b%" }, { s: "abc", p: null }], fn("like", col("s"), col("p")));
    expect(r.values).toEqual([true, false, null]);
  });
});

describe("conditional functions", () => {
  it("coalesce returns the first non-null argument, widening types", () => {
    const r = evaluate("a INT, b BIGINT", [{ a: 1, b: 5 }, { a: null, b: 5 }, { a: null, b: null }], fn("coalesce", col("a"), col("b"), lit(0)));
    expect(r.type).toEqual(LongType);
    expect(r.values).toEqual([1, 5, 0]);
    expect(evaluate("s STRING", [{ s: null }, { s: "x" }], fn("coalesce", col("s"), lit("none"))).values).toEqual(["none", "x"]);
    // Spark's findWiderCommonType promotes a number met with a string to string; boolean does not promote.
    const promoted = evaluate("a INT, s STRING", [{ a: 7, s: "x" }, { a: null, s: "x" }], fn("coalesce", col("a"), col("s")));
    expect(promoted.type).toEqual(StringType);
    expect(promoted.values).toEqual(["7", "x"]);
    expect(() => evaluate("b BOOLEAN, s STRING", [], fn("coalesce", col("b"), col("s")))).toThrow(/DATA_DIFF_TYPES.*Input to `coalesce` should all be the same type, but it's \["BOOLEAN", "STRING"\]/);
  });

  it("if(cond, a, b): a null condition takes the else branch", () => {
    const r = evaluate("c BOOLEAN, a INT", [{ c: true, a: 1 }, { c: false, a: 2 }, { c: null, a: 3 }], fn("if", col("c"), col("a"), lit(1.5)));
    expect(r.type).toEqual(DoubleType);
    expect(r.values).toEqual([1, 1.5, 1.5]);
    expect(r.type).not.toEqual(BooleanType);
  });

  it("greatest and least skip nulls", () => {
    expect(evaluate("a INT, b INT", [{ a: 1, b: 2 }, { a: null, b: 2 }, { a: null, b: null }], fn("greatest", col("a"), col("b"))).values).toEqual([2, 2, null]);
    expect(evaluate("a INT, b INT", [{ a: 1, b: 2 }], fn("least", col("a"), col("b"))).values).toEqual([1]);
  });
});
