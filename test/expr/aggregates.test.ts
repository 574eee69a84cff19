import { describe, expect, it } from "vitest";
import { rowsToBatch, toExternal } from "../../src/columnar/values.ts";
import { valueAt, type Vec } from "../../src/columnar/vector.ts";
import { requireAggregate, type GroupsAccumulator } from "../../src/expr/aggregates/index.ts";
import { compileExpression } from "../../src/expr/compile.ts";
import { AggregateCall, Star, type Expression } from "../../src/expr/expression.ts";
import { resolveExpression } from "../../src/expr/resolve.ts";
import { scopeOf } from "../../src/expr/scope.ts";
import { StructType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { CTX, col, lit } from "./eval-helpers.ts";

/**
 * Drives an aggregate function's GroupsAccumulator directly: rows are folded into
 * slots (one per group) and the slots evaluated, as AggregateExec does.
 */
class Harness {
  readonly call: AggregateCall;
  readonly acc: GroupsAccumulator;
  readonly schema: StructType;

  constructor(ddl: string, name: string, args: Expression[], distinct = false, numSlots = 4) {
    this.schema = parseSchema(ddl);
    this.call = resolveExpression(AggregateCall.create(name, args, distinct), scopeOf(this.schema), { allowAggregates: true }) as AggregateCall;
    this.acc = requireAggregate(name).createAccumulator(this.call);
    this.acc.resize(numSlots);
  }

  update(rows: readonly unknown[], slots: readonly number[]): this {
    const batch = rowsToBatch(this.schema, rows, "test");
    const args: Vec[] = this.call.args.filter((a) => a.kind !== "Star").map((a) => compileExpression(a)(batch, CTX));
    this.acc.update(args, Int32Array.from(slots), rows.length);
    return this;
  }

  results(slots: readonly number[]): unknown[] {
    const v = this.acc.evaluate(Int32Array.from(slots), slots.length);
    return Array.from({ length: slots.length }, (_, i) => toExternal(valueAt(v, i), this.call.dataType!));
  }
}

const X = (xs: readonly unknown[]): { x: unknown }[] => xs.map((x) => ({ x }));

describe("count", () => {
  it("count(*) counts rows, count(x) non-null values, per group", () => {
    const star = new Harness("x INT", "count", [Star.create()]).update(X([1, null, 3, null]), [0, 0, 1, 2]);
    expect(star.results([0, 1, 2, 3])).toEqual([2, 1, 1, 0]);
    const cx = new Harness("x INT", "count", [col("x")]).update(X([1, null, 3, null]), [0, 0, 1, 2]);
    expect(cx.results([0, 1, 2, 3])).toEqual([1, 1, 0, 0]);
    expect(new Harness("x INT", "count", [lit(1)]).update(X([null, null]), [0, 0]).results([0])).toEqual([2]);
  });

  it("count(DISTINCT x) counts distinct non-null values and merges sets", () => {
    const h = new Harness("x STRING", "count", [col("x")], true).update(X(["a", "b", "a", null]), [0, 0, 0, 0]).update(X(["b", "c"]), [0, 1]);
    expect(h.results([0, 1])).toEqual([2, 1]);
    const state = h.acc.getState(0);
    h.acc.mergeState(1, state);
    expect(h.results([1])).toEqual([3]);
  });
});

describe("sum and avg", () => {
  it("sum of ints is a bigint; a group with only nulls sums to null", () => {
    const h = new Harness("x INT", "sum", [col("x")]).update(X([2147483647, 1, null, 5]), [0, 0, 1, 2]);
    expect(h.call.dataType?.kind).toBe("long");
    expect(h.results([0, 1, 2, 3])).toEqual([2147483648, null, 5, null]);
  });

  it("avg is a double over the non-null values", () => {
    const h = new Harness("x INT", "avg", [col("x")]).update(X([1, 2, null]), [0, 0, 0]);
    expect(h.results([0, 1])).toEqual([1.5, null]);
  });

  it("state round-trips through getState/setState and merges", () => {
    const h = new Harness("x DOUBLE", "avg", [col("x")]).update(X([1, 2, 3]), [0, 0, 1]);
    expect(h.acc.getState(0)).toEqual([3, 2]);
    const other = new Harness("x DOUBLE", "avg", [col("x")]);
    other.acc.setState(2, h.acc.getState(0));
    other.acc.mergeState(2, h.acc.getState(1));
    expect(other.results([2])).toEqual([2]);
    other.acc.reset(2);
    expect(other.results([2])).toEqual([null]);
  });

  it("sum of strings casts them to double", () => {
    expect(new Harness("x STRING", "sum", [col("x")]).update(X(["1.5", "2", "x"]), [0, 0, 0]).results([0])).toEqual([3.5]);
  });
});

describe("min and max", () => {
  it("numbers, with all-null groups giving null", () => {
    const rows = X([5, -1, null, 7, 3]);
    const slots = [0, 0, 1, 2, 2];
    expect(new Harness("x INT", "min", [col("x")]).update(rows, slots).results([0, 1, 2])).toEqual([-1, null, 3]);
    expect(new Harness("x INT", "max", [col("x")]).update(rows, slots).results([0, 1, 2])).toEqual([5, null, 7]);
  });

  it("strings by code point, timestamps as instants", () => {
    expect(new Harness("x STRING", "max", [col("x")]).update(X(["apple", "Zebra", "banana", null]), [0, 0, 0, 0]).results([0])).toEqual(["banana"]);
    expect(new Harness("x STRING", "min", [col("x")]).update(X(["apple", "Zebra", "banana"]), [0, 0, 0]).results([0])).toEqual(["Zebra"]);
    expect(new Harness("x TIMESTAMP", "min", [col("x")]).update(X([new Date(5), new Date(-5)]), [0, 0]).results([0])).toEqual([new Date(-5)]);
  });

  it("state round-trips and merges, and reset empties a slot", () => {
    const h = new Harness("x BIGINT", "max", [col("x")]).update(X([3, 9]), [0, 1]);
    const s = h.acc.getState(1);
    h.acc.mergeState(0, s);
    expect(h.results([0])).toEqual([9]);
    h.acc.setState(0, 1);
    expect(h.results([0])).toEqual([1]);
    h.acc.reset(0);
    expect(h.acc.getState(0)).toBeNull();
    expect(h.results([0])).toEqual([null]);
  });
});

describe("first and last", () => {
  it("take the first/last value in arrival order across updates, nulls included unless ignored", () => {
    const first = new Harness("x INT", "first", [col("x")]).update(X([null, 2]), [0, 0]).update(X([3]), [0]);
    expect(first.results([0])).toEqual([null]);
    const firstIgnoring = new Harness("x INT", "first", [col("x"), lit(true)]).update(X([null, 2]), [0, 0]).update(X([3]), [0]);
    expect(firstIgnoring.results([0])).toEqual([2]);
    const last = new Harness("x INT", "last", [col("x")]).update(X([1, 2]), [0, 0]).update(X([null]), [0]);
    expect(last.results([0])).toEqual([null]);
    const lastIgnoring = new Harness("x INT", "last", [col("x"), lit(true)]).update(X([1, 2]), [0, 0]).update(X([null]), [0]);
    expect(lastIgnoring.results([0])).toEqual([2]);
  });

  it("merging: first keeps what it has, last takes the later state", () => {
    const f = new Harness("x STRING", "first", [col("x")]).update(X(["a", "b"]), [0, 1]);
    f.acc.mergeState(0, f.acc.getState(1));
    expect(f.results([0])).toEqual(["a"]);
    const l = new Harness("x STRING", "last", [col("x")]).update(X(["a", "b"]), [0, 1]);
    l.acc.mergeState(0, l.acc.getState(1));
    expect(l.results([0])).toEqual(["b"]);
    expect(l.acc.getState(2)).toBeNull();
  });
});

describe("approx_count_distinct", () => {
  it("counts small sets exactly (linear counting) and ignores nulls", () => {
    const h = new Harness("x STRING", "approx_count_distinct", [col("x")]).update(X(["a", "b", "a", null, "c"]), [0, 0, 0, 0, 1]);
    expect(h.results([0, 1, 2])).toEqual([2, 1, 0]);
  });

  it.each([10_000, 100_000])("estimates %i distinct values within 10%% (rsd 0.05)", (n) => {
    const h = new Harness("x BIGINT", "approx_count_distinct", [col("x")]);
    const chunk = 10_000;
    for (let start = 0; start < n; start += chunk) {
      h.update(Array.from({ length: chunk }, (_, i) => ({ x: start + i })), new Array(chunk).fill(0));
      // Duplicates do not count.
      h.update(Array.from({ length: 100 }, (_, i) => ({ x: start + i })), new Array(100).fill(0));
    }
    const [estimate] = h.results([0]) as number[];
    expect(Math.abs(estimate! - n) / n).toBeLessThan(0.1);
  });

  it("estimates distinct strings too, and merged sketches equal one sketch of the union", () => {
    const a = new Harness("x STRING", "approx_count_distinct", [col("x")]);
    a.update(Array.from({ length: 20_000 }, (_, i) => ({ x: `user-${i}` })), new Array(20_000).fill(0));
    a.update(Array.from({ length: 20_000 }, (_, i) => ({ x: `user-${i + 10_000}` })), new Array(20_000).fill(1));
    const [e0, e1] = a.results([0, 1]) as number[];
    expect(Math.abs(e0! - 20_000) / 20_000).toBeLessThan(0.1);
    a.acc.mergeState(0, a.acc.getState(1));
    const [merged] = a.results([0]) as number[];
    expect(Math.abs(merged! - 30_000) / 30_000).toBeLessThan(0.1);
    expect(e1).toBeGreaterThan(0);
    const copy = new Harness("x STRING", "approx_count_distinct", [col("x")]);
    copy.acc.setState(3, a.acc.getState(0));
    expect(copy.results([3])).toEqual([merged]);
  });
});
