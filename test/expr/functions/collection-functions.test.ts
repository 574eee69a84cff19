import { describe, expect, it } from "vitest";
import { rowsToBatch, toExternal } from "../../../src/columnar/values.ts";
import { valueAt } from "../../../src/columnar/vector.ts";
import { AnalysisError, ExecutionError } from "../../../src/common/errors.ts";
import { compileExpression } from "../../../src/expr/compile.ts";
import { Alias, Call, ColumnRef, Literal, type Expression } from "../../../src/expr/expression.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { typeName } from "../../../src/types/data-types.ts";
import { UTC } from "../../../src/common/time-zone.ts";

const CTX = { batchTimestampMicros: 0, timeZoneId: UTC.id };
const col = (name: string): Expression => ColumnRef.create(name);
const lit = (v: unknown): Expression => Literal.create(v, null);
const fn = (name: string, ...args: Expression[]): Expression => Call.create(name, args);

function run(ddl: string, rows: readonly unknown[], e: Expression): { values: unknown[]; type: string } {
  const schema = parseSchema(ddl);
  const batch = rowsToBatch(schema, rows, "test");
  const resolved = resolveExpression(e, scopeOf(schema));
  const vec = compileExpression(resolved)(batch, CTX);
  const values = Array.from({ length: batch.numRows }, (_, i) => toExternal(valueAt(vec, i), resolved.dataType!));
  return { values, type: typeName(resolved.dataType!) };
}

const ARRAYS = "a ARRAY<INT>, m MAP<STRING, INT>";
const rows = [
  { a: [1, 2, 3], m: { x: 1, y: 2 } },
  { a: [], m: {} },
  { a: null, m: null },
  { a: [1, null], m: { z: null } },
];

describe("collection functions", () => {
  it("size counts elements and entries, -1 for null", () => {
    expect(run(ARRAYS, rows, fn("size", col("a"))).values).toEqual([3, 0, -1, 2]);
    expect(run(ARRAYS, rows, fn("size", col("m"))).values).toEqual([2, 0, -1, 1]);
  });

  it("array_contains is null when not found but the array holds a null", () => {
    expect(run(ARRAYS, rows, fn("array_contains", col("a"), lit(2))).values).toEqual([true, false, null, null]);
    expect(run(ARRAYS, rows, fn("array_contains", col("a"), lit(1))).values).toEqual([true, false, null, true]);
    expect(run(ARRAYS, rows, fn("array_contains", col("a"), lit(null))).values).toEqual([null, null, null, null]);
  });

  it("element_at is 1-based, negative from the end, null out of range; maps by key", () => {
    expect(run(ARRAYS, rows, fn("element_at", col("a"), lit(1))).values).toEqual([1, null, null, 1]);
    expect(run(ARRAYS, rows, fn("element_at", col("a"), lit(-1))).values).toEqual([3, null, null, null]);
    expect(run(ARRAYS, rows, fn("element_at", col("a"), lit(5))).values).toEqual([null, null, null, null]);
    expect(run(ARRAYS, rows, fn("element_at", col("m"), lit("y"))).values).toEqual([2, null, null, null]);
    expect(() => run(ARRAYS, rows, fn("element_at", col("a"), lit(0)))).toThrow(ExecutionError);
  });

  it("array(…) widens element types and keeps nulls", () => {
    const r = run("i INT, l BIGINT", [{ i: 1, l: 2 }, { i: null, l: 3 }], fn("array", col("i"), col("l")));
    expect(r.type).toBe("array<bigint>");
    expect(r.values).toEqual([[1, 2], [null, 3]]);
    expect(run("i INT", [{ i: 1 }], fn("array", col("i"), lit("a"))).values).toEqual([["1", "a"]]);
  });

  it("struct(…) names fields after columns and aliases, else col1…; named_struct takes names", () => {
    const r = run("s STRING, i INT", [{ s: "a", i: 1 }, { s: null, i: 2 }], fn("struct", col("s"), Alias.create(col("i"), "n"), lit(true)));
    expect(r.type).toBe("struct<s:string,n:int,col3:boolean>");
    expect(r.values).toEqual([{ s: "a", n: 1, col3: true }, { s: null, n: 2, col3: true }]);
    const named = run("s STRING, i INT", [{ s: "a", i: 1 }], fn("named_struct", lit("x"), col("i"), lit("y"), col("s")));
    expect(named.type).toBe("struct<x:int,y:string>");
    expect(named.values).toEqual([{ x: 1, y: "a" }]);
  });

  it("rejects wrong argument types", () => {
    expect(() => run("s STRING", [], fn("size", col("s")))).toThrow(/size\(s\).*\("ARRAY" or "MAP"\)/);
    expect(() => run("s STRING", [], fn("element_at", col("s"), lit(1)))).toThrow(AnalysisError);
    expect(() => run(ARRAYS, [], fn("array_contains", col("a"), lit(true)))).toThrow(AnalysisError);
    expect(() => run("s STRING", [], fn("named_struct", col("s"), lit(1)))).toThrow(/string literal/);
    expect(() => run("s STRING", [], fn("named_struct", lit("x")))).toThrow(AnalysisError);
  });
});
