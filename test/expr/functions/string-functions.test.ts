import { describe, expect, it } from "vitest";
import { rowsToBatch, toExternal } from "../../../src/columnar/values.ts";
import { valueAt, type Vec } from "../../../src/columnar/vector.ts";
import { AnalysisError, ExecutionError } from "../../../src/common/errors.ts";
import { compileExpression } from "../../../src/expr/compile.ts";
import { displayExpression } from "../../../src/expr/display.ts";
import { Call, ColumnRef, Literal, type Expression } from "../../../src/expr/expression.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { UTC } from "../../../src/common/time-zone.ts";

const CTX = { batchTimestampMicros: 0, timeZoneId: UTC.id };
const col = (name: string): Expression => ColumnRef.create(name);
const lit = (v: unknown): Expression => Literal.create(v, null);
const fn = (name: string, ...args: Expression[]): Expression => Call.create(name, args);

function run(ddl: string, rows: readonly unknown[], e: Expression): { values: unknown[]; vec: Vec; resolved: Expression } {
  const schema = parseSchema(ddl);
  const batch = rowsToBatch(schema, rows, "test");
  const resolved = resolveExpression(e, scopeOf(schema));
  const vec = compileExpression(resolved)(batch, CTX);
  const values = Array.from({ length: batch.numRows }, (_, i) => toExternal(valueAt(vec, i), resolved.dataType!));
  return { values, vec, resolved };
}

/** Evaluates over a one-column string table. */
const onStrings = (rows: readonly (string | null)[], e: Expression): unknown[] => run("s STRING", rows, e).values;
/** Evaluates a constant expression once. */
const scalar = (e: Expression): unknown => run("x INT", [{ x: 1 }], e).values[0];

describe("case and trimming", () => {
  it("lower / upper / initcap keep the dictionary, evaluating once per distinct string", () => {
    const { values, vec } = run("s STRING", [{ s: "Spark" }, { s: "SQL" }, { s: "Spark" }, { s: null }, { s: "Spark" }], fn("upper", col("s")));
    expect(values).toEqual(["SPARK", "SQL", "SPARK", null, "SPARK"]);
    expect(vec.kind).toBe("str");
    if (vec.kind === "str") expect(vec.dict).toEqual(["SPARK", "SQL"]);
    expect(onStrings(["SpArK", null], fn("lower", col("s")))).toEqual(["spark", null]);
    expect(onStrings(["sPark sql", "hello-world  foo"], fn("initcap", col("s")))).toEqual(["Spark Sql", "Hello-world  Foo"]);
    expect(scalar(fn("ucase", lit("a")))).toBe("A");
  });

  it("trim removes only spaces; with a trim string, those characters", () => {
    expect(onStrings(["  a b  ", "\ta\t", null], fn("trim", col("s")))).toEqual(["a b", "\ta\t", null]);
    expect(onStrings(["  a  "], fn("ltrim", col("s")))).toEqual(["a  "]);
    expect(onStrings(["  a  "], fn("rtrim", col("s")))).toEqual(["  a"]);
    expect(scalar(fn("trim", lit("SSparkSQLS"), lit("SL")))).toBe("parkSQ");
    expect(displayExpression(run("s STRING", [], fn("trim", col("s"), lit("x"))).resolved)).toBe("TRIM(BOTH x FROM s)");
  });
});

describe("length and substring", () => {
  it("length counts code points", () => {
    expect(onStrings(["Spark SQL ", "", "😀a", null], fn("length", col("s")))).toEqual([10, 0, 2, null]);
    expect(scalar(fn("char_length", lit("abc")))).toBe(3);
  });

  it("substring follows Spark's 1-based, 0-as-1, negative-from-end positions", () => {
    const sub = (pos: number, len?: number): unknown => scalar(fn("substring", lit("Spark SQL"), lit(pos), ...(len === undefined ? [] : [lit(len)])));
    expect(sub(5)).toBe("k SQL");
    expect(sub(-3)).toBe("SQL");
    expect(sub(5, 1)).toBe("k");
    expect(sub(-3, 2)).toBe("SQ");
    expect(sub(0, 3)).toBe("Spa");
    expect(sub(1, 3)).toBe("Spa");
    expect(sub(-12, 5)).toBe("Sp");
    expect(sub(20, 2)).toBe("");
    expect(sub(2, -1)).toBe("");
    expect(scalar(fn("substr", lit("a😀b"), lit(2), lit(1)))).toBe("😀");
  });

  it("substring with per-row positions, and a null length gives null", () => {
    const { values } = run("s STRING, p INT", [{ s: "abcdef", p: 2 }, { s: "abcdef", p: -2 }, { s: "abc", p: null }], fn("substring", col("s"), col("p"), lit(2)));
    expect(values).toEqual(["bc", "ef", null]);
    expect(onStrings(["abc"], fn("substring", col("s"), lit(1), lit(null)))).toEqual([null]);
  });

  it("substring prints its default length as Spark does", () => {
    expect(displayExpression(run("s STRING", [], fn("substring", col("s"), lit(2))).resolved)).toBe("substring(s, 2, 2147483647)");
  });
});

describe("split, concat, concat_ws", () => {
  it("split uses a Java regex and keeps trailing empty strings", () => {
    expect(onStrings(["a,b,,c,", null], fn("split", col("s"), lit(",")))).toEqual([["a", "b", "", "c", ""], null]);
    expect(scalar(fn("split", lit("oneAtwoBthreeC"), lit("[ABC]")))).toEqual(["one", "two", "three", ""]);
    expect(scalar(fn("split", lit("oneAtwoBthreeC"), lit("[ABC]"), lit(2)))).toEqual(["one", "twoBthreeC"]);
    expect(scalar(fn("split", lit("a b  c"), lit("\\s+")))).toEqual(["a", "b", "c"]);
    expect(scalar(fn("split", lit("abc"), lit("")))).toEqual(["a", "b", "c"]);
    expect(scalar(fn("split", lit(""), lit(",")))).toEqual([""]);
    expect(scalar(fn("split", lit("a.b"), lit("\\.")))).toEqual(["a", "b"]);
  });

  it("concat is null when any argument is null, casts numbers, and concatenates arrays", () => {
    const { values } = run("a STRING, b STRING", [{ a: "x", b: "y" }, { a: "x", b: null }], fn("concat", col("a"), lit("-"), col("b")));
    expect(values).toEqual(["x-y", null]);
    expect(onStrings(["u1", "u2", "u1"], fn("concat", lit("user-"), col("s"), lit(1)))).toEqual(["user-u11", "user-u21", "user-u11"]);
    const arrays = run("a ARRAY<INT>, b ARRAY<INT>", [{ a: [1, 2], b: [3] }, { a: [1], b: null }], fn("concat", col("a"), col("b")));
    expect(arrays.values).toEqual([[1, 2, 3], null]);
  });

  it("concat_ws skips nulls and flattens arrays of strings", () => {
    const { values } = run("a STRING, b STRING, c ARRAY<STRING>", [
      { a: "x", b: null, c: ["p", null, "q"] },
      { a: null, b: null, c: null },
    ], fn("concat_ws", lit("/"), col("a"), col("b"), col("c")));
    expect(values).toEqual(["x/p/q", ""]);
    expect(scalar(fn("concat_ws", lit(null), lit("a")))).toBeNull();
  });
});

describe("regular expressions", () => {
  it("regexp_extract returns the group, or '' when there is no match", () => {
    const e = fn("regexp_extract", col("s"), lit("(\\d+)-(\\d+)"), lit(2));
    expect(onStrings(["100-200", "foo", null, "100-200"], e)).toEqual(["200", "", null, "200"]);
    expect(onStrings(["GET /index.html HTTP/1.0"], fn("regexp_extract", col("s"), lit("^(\\S+) (\\S+)")))).toEqual(["GET"]);
    expect(scalar(fn("regexp_extract", lit("abc"), lit("(x)?abc"), lit(1)))).toBe("");
    expect(() => scalar(fn("regexp_extract", lit("abc"), lit("(a)"), lit(3)))).toThrow(ExecutionError);
  });

  it("regexp_replace understands Java's $n group references and escapes", () => {
    expect(onStrings(["100-200", null], fn("regexp_replace", col("s"), lit("(\\d+)"), lit("num")))).toEqual(["num-num", null]);
    expect(scalar(fn("regexp_replace", lit("2026-01-02"), lit("(\\d+)-(\\d+)-(\\d+)"), lit("$3/$2/$1")))).toBe("02/01/2026");
    expect(scalar(fn("regexp_replace", lit("a.b"), lit("\\."), lit("\\$")))).toBe("a$b");
    expect(scalar(fn("regexp_replace", lit("abc"), lit("(?i)B"), lit("x")))).toBe("axc");
    expect(scalar(fn("regexp_replace", lit("aaa"), lit("a"), lit("b"), lit(2)))).toBe("abb");
    expect(scalar(fn("regexp_replace", lit("a1b22"), lit("\\p{Digit}++"), lit("#")))).toBe("a#b#");
  });

  it("an invalid constant regex is an analysis error", () => {
    expect(() => scalar(fn("regexp_replace", lit("a"), lit("(a"), lit("b")))).toThrow(AnalysisError);
  });
});

describe("search and padding", () => {
  it("instr and locate are 1-based, 0 when absent", () => {
    expect(onStrings(["SparkSQL", "x", null], fn("instr", col("s"), lit("SQL")))).toEqual([6, 0, null]);
    expect(scalar(fn("locate", lit("bar"), lit("foobarbar")))).toBe(4);
    expect(scalar(fn("locate", lit("bar"), lit("foobarbar"), lit(5)))).toBe(7);
    expect(scalar(fn("locate", lit("bar"), lit("foobarbar"), lit(0)))).toBe(0);
    expect(scalar(fn("locate", lit("bar"), lit("foobarbar"), lit(null)))).toBe(0);
    expect(scalar(fn("position", lit("b"), lit("😀b")))).toBe(2);
  });

  it("lpad and rpad pad or truncate to the length", () => {
    expect(scalar(fn("lpad", lit("hi"), lit(5), lit("??")))).toBe("???hi");
    expect(scalar(fn("lpad", lit("hi"), lit(1), lit("??")))).toBe("h");
    expect(scalar(fn("rpad", lit("hi"), lit(5), lit("ab")))).toBe("hiaba");
    expect(scalar(fn("lpad", lit("hi"), lit(4)))).toBe("  hi");
    expect(scalar(fn("rpad", lit("hi"), lit(-1)))).toBe("");
    expect(scalar(fn("lpad", lit("hi"), lit(5), lit("")))).toBe("hi");
  });

  it("reverse, repeat, replace", () => {
    expect(onStrings(["Spark SQL", null], fn("reverse", col("s")))).toEqual(["LQS krapS", null]);
    expect(run("a ARRAY<INT>", [{ a: [2, 1, 4] }], fn("reverse", col("a"))).values).toEqual([[4, 1, 2]]);
    expect(scalar(fn("repeat", lit("ab"), lit(3)))).toBe("ababab");
    expect(scalar(fn("repeat", lit("ab"), lit(-1)))).toBe("");
    expect(scalar(fn("replace", lit("ABCabc"), lit("abc"), lit("DEF")))).toBe("ABCDEF");
    expect(scalar(fn("replace", lit("ABCabc"), lit("abc")))).toBe("ABC");
    expect(scalar(fn("replace", lit("a$b"), lit("$"), lit("$&")))).toBe("a$&b");
  });

  it("startswith, endswith, contains", () => {
    expect(onStrings(["Spark SQL", "sql", null], fn("startswith", col("s"), lit("Spark")))).toEqual([true, false, null]);
    expect(onStrings(["Spark SQL", "sql"], fn("endswith", col("s"), lit("SQL")))).toEqual([true, false]);
    expect(onStrings(["Spark SQL", "sql"], fn("contains", col("s"), lit("k S")))).toEqual([true, false]);
    expect(scalar(fn("contains", lit("abc"), lit("")))).toBe(true);
  });
});

describe("argument checking", () => {
  it("rejects wrong types and argument counts with errors naming the function", () => {
    expect(() => run("a ARRAY<INT>", [], fn("upper", col("a")))).toThrow(/upper\(a\).*Parameter 1 requires the "STRING" type.*ARRAY<INT>/);
    expect(() => run("s STRING", [], fn("substring", col("s"), lit(true)))).toThrow(AnalysisError);
    expect(() => run("s STRING", [], fn("lower"))).toThrow(/`lower` requires 1 parameters but the actual number is 0/);
    expect(() => run("s STRING, a ARRAY<INT>", [], fn("concat", col("s"), col("a")))).toThrow(AnalysisError);
  });

  it("casts atomic values to strings implicitly", () => {
    expect(run("n INT", [{ n: 42 }], fn("length", col("n"))).values).toEqual([2]);
    expect(run("n INT", [{ n: 42 }], fn("concat", col("n"), lit("!"))).values).toEqual(["42!"]);
  });
});
