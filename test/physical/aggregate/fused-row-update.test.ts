import { describe, expect, test } from "vitest";
import { rowsToBatch } from "../../../src/columnar/values.ts";
import { valueAt, type Vec } from "../../../src/columnar/vector.ts";
import type { RowStep } from "../../../src/expr/aggregates/aggregate-function.ts";
import { requireAggregate, type GroupsAccumulator } from "../../../src/expr/aggregates/index.ts";
import { SlotRows } from "../../../src/expr/aggregates/slot-rows.ts";
import { compileExpression } from "../../../src/expr/compile.ts";
import { AggregateCall, type Expression } from "../../../src/expr/expression.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { fusedRowUpdate } from "../../../src/physical/aggregate/fused-row-update.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { Session, avg, col, count, lit, sum } from "../../../src/index.ts";
import { CTX, col as ref, lit as literal } from "../../expr/eval-helpers.ts";

/**
 * Fixed-width accumulators sharing one row per group (slot-rows.ts), updated in one fused
 * pass (fused-row-update.ts), give what each accumulator's own update gives: counts, double
 * and long sums, averages over ints, across pages of rows, and long sums that leave ±2^53
 * in the middle of a fused batch (they go on as bigints).
 */
const DDL = "a BIGINT, b INT, d DOUBLE";
const CALLS: [string, Expression[]][] = [["count", [literal(1)]], ["sum", [ref("a")]], ["avg", [ref("b")]], ["sum", [ref("d")]], ["count", [ref("d")]]];
const SLOTS = 40_000; // past two pages of 2^14 slots

function accumulators(shared: SlotRows | null): { accs: GroupsAccumulator[]; calls: AggregateCall[] } {
  const calls = CALLS.map(([name, args]) => resolveExpression(AggregateCall.create(name, args, false), scopeOf(parseSchema(DDL)), { allowAggregates: true }) as AggregateCall);
  const accs = calls.map((c) => requireAggregate(c.name).createAccumulator(c));
  if (shared !== null) for (const a of accs) a.shareRows?.(shared);
  for (const a of accs) a.resize(SLOTS);
  return { accs, calls };
}

function randomRows(n: number, seed: number, big: boolean): { a: number; b: number; d: number }[] {
  let x = seed;
  const random = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, (_, i) => ({
    a: big && i % 997 === 0 ? 9_007_199_254_740_000 : Math.floor(random() * 2000) - 1000,
    b: Math.floor(random() * 100),
    d: random() * 10,
  }));
}

function states(accs: GroupsAccumulator[]): unknown[][] {
  const slots = Int32Array.from({ length: SLOTS }, (_, s) => s);
  return accs.map((a) => {
    const v: Vec = a.evaluate(slots, SLOTS);
    return Array.from({ length: SLOTS }, (_, s) => valueAt(v, s));
  });
}

describe("fused row update", () => {
  test("gives each accumulator's own update's results, long sums leaving ±2^53 included", () => {
    const rows = new SlotRows();
    const fused = accumulators(rows);
    const plain = accumulators(null);
    let fusedBatches = 0;
    for (const [seed, big] of [[1, false], [2, true], [3, true]] as const) {
      const data = randomRows(30_000, seed, big);
      const batch = rowsToBatch(parseSchema(DDL), data, "test");
      // The big values all into slot 5: its sum leaves ±2^53 (becomes a bigint) within the batch.
      const slots = Int32Array.from(data, (_, i) => (big && i % 997 === 0 ? 5 : (i * 7919 + seed * 13) % SLOTS));
      const args = fused.calls.map((c) => c.args.map((e) => compileExpression(e)(batch, CTX)));
      const steps = fused.accs.map((a, k) => a.rowStep?.(args[k]!) ?? null);
      if (steps.every((s): s is RowStep => s !== null)) {
        expect(fusedRowUpdate(rows, steps, slots, slots.length)).toBe(true);
        fusedBatches++;
      } else fused.accs.forEach((a, k) => a.update(args[k]!, slots, slots.length));
      plain.accs.forEach((a, k) => a.update(args[k]!, slots, slots.length));
    }
    // The first two batches fuse (the second's sums leave ±2^53 inside the loop); then a slot is a bigint: per accumulator.
    expect(fusedBatches).toBe(2);
    expect(typeof (fused.accs[1]!.getState(5) as unknown[])[0]).toBe("bigint");
    expect(fused.accs[1]!.getState(5)).toEqual(plain.accs[1]!.getState(5));
    expect(states(fused.accs)).toEqual(states(plain.accs));
    expect(states(fused.accs)[1]!.some((v) => typeof v === "bigint")).toBe(true);
  });

  test("count(x) over a column with nulls is not fused (it skips the nulls)", () => {
    const shared = new SlotRows();
    const { accs, calls } = accumulators(shared);
    const batch = rowsToBatch(parseSchema(DDL), [{ a: 1, b: 1, d: null }, { a: 2, b: 2, d: 3 }], "test");
    const args = calls.map((c) => c.args.map((e) => compileExpression(e)(batch, CTX)));
    expect(accs[4]!.rowStep?.(args[4]!)).toBeNull();
    expect(accs[0]!.rowStep?.(args[0]!)).not.toBeNull();
  });

  test("a batch aggregation over 20,011 groups (fused: no nulls) gives the sums, counts and averages of the rows", async () => {
    const spark = Session.builder().appName("fused-row-update").getOrCreate();
    const data = Array.from({ length: 50_000 }, (_, i) => ({ g: i % 20_011, a: (i % 13) - 6, b: i % 7, d: i % 2 === 0 ? 0.5 : 1.25 }));
    const df = spark.createDataFrame(data, "g INT, a BIGINT, b INT, d DOUBLE")
      .groupBy(col("g")).agg(count(lit(1)).as("n"), sum(col("a")).as("sa"), avg(col("b")).as("ab"), sum(col("d")).as("sd"));
    const rows = await df.collect();
    const expected = new Map<number, { n: number; sa: number; sb: number; sd: number }>();
    for (const r of data) {
      const e = expected.get(r.g) ?? { n: 0, sa: 0, sb: 0, sd: 0 };
      e.n++;
      e.sa += r.a;
      e.sb += r.b;
      e.sd += r.d;
      expected.set(r.g, e);
    }
    expect(rows.length).toBe(expected.size);
    for (const r of rows) {
      const e = expected.get(r.g as number)!;
      expect([Number(r.n), Number(r.sa), r.ab, r.sd]).toEqual([e.n, e.sa, e.sb / e.n, e.sd]);
    }
  });
});
