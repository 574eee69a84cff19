import { describe, expect, it } from "vitest";
import { Session, col, functions as F } from "../../../src/index.ts";
import { requireAggregate } from "../../../src/expr/aggregates/index.ts";
import { AggregateCall } from "../../../src/expr/expression.ts";
import { resolveExpression } from "../../../src/expr/resolve.ts";
import { scopeOf } from "../../../src/expr/scope.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { col as columnRef } from "../eval-helpers.ts";

// Spark's HyperLogLogPlusPlus picks a value's register by the top p bits of xxhash64(value, 42)
// (p = 9 at the default rsd 0.05). Values that share a register count once under linear counting;
// values in different registers count once each. So with Spark's hash, the answers below are
// Spark's answers: a sketch with another hash would put these values in other registers.
const spark = Session.builder().appName("approx-count-distinct-spark-hash").getOrCreate();

type Row = { id: number | bigint; reg: number | bigint };

async function byRegister(sql: string): Promise<Map<number, (number | bigint)[]>> {
  const rows = (await spark.sql(sql).collect()) as Row[];
  const regs = new Map<number, (number | bigint)[]>();
  for (const r of rows) {
    const reg = Number(r.reg);
    regs.set(reg, [...(regs.get(reg) ?? []), r.id]);
  }
  return regs;
}

describe("approx_count_distinct hashes as Spark does", () => {
  it("two longs in the same register of Spark's sketch count once; three in different registers count three times", async () => {
    const regs = await byRegister("SELECT id, shiftrightunsigned(xxhash64(id), 55) AS reg FROM range(3000)");
    const shared = [...regs.values()].find((ids) => ids.length >= 2)!;
    const [a, b] = shared;
    expect(await spark.sql(`SELECT approx_count_distinct(id) AS n, count(DISTINCT id) AS d FROM range(3000) WHERE id IN (${a}, ${b})`).collect()).toEqual([{ n: 1, d: 2 }]);
    const apart = [...regs.values()].slice(0, 3).map((ids) => ids[0]);
    expect(await spark.sql(`SELECT approx_count_distinct(id) AS n FROM range(3000) WHERE id IN (${apart.join(", ")})`).collect()).toEqual([{ n: 3 }]);
  });

  it("strings hash their UTF-8 bytes (SQL and DataFrame forms agree)", async () => {
    const regs = await byRegister("SELECT concat('user-', id) AS id, shiftrightunsigned(xxhash64(concat('user-', id)), 55) AS reg FROM range(3000)");
    const [a, b] = [...regs.values()].find((ids) => ids.length >= 2)!;
    const sql = `SELECT approx_count_distinct(u) AS n FROM (SELECT concat('user-', id) AS u FROM range(3000)) WHERE u IN ('${a}', '${b}')`;
    expect(await spark.sql(sql).collect()).toEqual([{ n: 1 }]);
    const df = spark.sql("SELECT concat('user-', id) AS u FROM range(3000)").where(col("u").isin(a, b));
    expect(await df.agg(F.approx_count_distinct(col("u")).alias("n")).collect()).toEqual([{ n: 1 }]);
  });

  it("small sets count exactly and large ones stay within the requested error", async () => {
    expect(await spark.sql("SELECT approx_count_distinct(col1) AS n FROM VALUES (1), (1), (2), (2), (3) AS tab(col1)").collect()).toEqual([{ n: 3 }]);
    const [{ n }] = (await spark.sql("SELECT approx_count_distinct(id % 50000) AS n FROM range(200000)").collect()) as { n: number }[];
    expect(Math.abs(Number(n) - 50000) / 50000).toBeLessThan(0.05 * 3);
  });

  it("refuses to merge a sketch of the older 32-bit hash (no tag) instead of counting values twice", () => {
    const call = resolveExpression(AggregateCall.create("approx_count_distinct", [columnRef("x")], false), scopeOf(parseSchema("x INT")), { allowAggregates: true });
    const acc = requireAggregate("approx_count_distinct").createAccumulator(call as AggregateCall);
    acc.resize(1);
    expect(() => acc.setState(0, new Uint8Array(512))).toThrow(/older than its Spark-compatible hash .*new checkpoint location/);
    expect(() => acc.mergeState(0, new Uint8Array(512))).toThrow(/cannot be merged/);
  });
});
