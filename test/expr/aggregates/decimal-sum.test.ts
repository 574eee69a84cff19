import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import type { ObjVec } from "../../../src/columnar/vector.ts";
import { DecimalSumAccumulator } from "../../../src/expr/aggregates/decimal-sum.ts";
import { decimalAvgType, decimalSumType } from "../../../src/expr/decimal-precision.ts";
import { DecimalType } from "../../../src/types/data-types.ts";

const column = (values: bigint[], precision: number): ObjVec => ({ kind: "obj", type: DecimalType(precision, 0), length: values.length, values, valid: null });

describe("decimal sum: a double-pending sum for DECIMAL(p ≤ 15) stays exact", () => {
  it("sums values near 10^15 past 2^53 exactly, through getState and both paths alike", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? -1n : 1n) * (999_999_999_999_999n - BigInt(i)));
    const expected = values.reduce((a, b) => a + b, 0n);
    for (const precision of [15, 16]) {
      const input = DecimalType(precision, 0);
      const acc = new DecimalSumAccumulator(input, decimalSumType(input), decimalSumType(input), false);
      acc.resize(2);
      acc.update([column(values, precision)], new Int32Array(values.length), values.length);
      const [sum, count] = deserialize(serialize(acc.getState(0))) as [bigint, number];
      expect([sum, count]).toEqual([expected, values.length]);
      acc.setState(1, [sum, count]);
      acc.mergeState(1, [sum, count]);
      expect((acc.evaluate(Int32Array.of(1), 1) as ObjVec).values[0]).toBe(2n * expected);
    }
  });

  it("averages with Spark's HALF_UP at scale s + 4", () => {
    const input = DecimalType(10, 0);
    const acc = new DecimalSumAccumulator(input, decimalAvgType(input), decimalSumType(input), true);
    acc.resize(1);
    acc.update([column([1n, 2n, 2n], 10)], new Int32Array(3), 3);
    expect((acc.evaluate(Int32Array.of(0), 1) as ObjVec).values[0]).toBe(16667n);
  });
});
