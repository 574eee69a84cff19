import { describe, expect, it } from "vitest";
import type { StrVec, Vec } from "../../src/columnar/vector.ts";
import { groupIds } from "../../src/physical/group-ids.ts";
import { KeyColumn } from "../../src/physical/group-table/key-column.ts";
import { ScratchArrays } from "../../src/physical/scratch-arrays.ts";
import { IntegerType, StringType } from "../../src/types/data-types.ts";

const strVec = (dict: string[], codes: number[], valid: number[] | null = null): StrVec =>
  ({ kind: "str", type: StringType, length: codes.length, codes: Int32Array.from(codes), dict, valid: valid && Uint8Array.from(valid) });
const intVec = (values: number[]): Vec => ({ kind: "num", type: IntegerType, length: values.length, values: Float64Array.from(values), valid: null });

/** Deterministic pseudo-random ints in [0, k). */
function ints(n: number, k: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % k;
  });
}

describe("scratch arrays reused from batch to batch give what fresh arrays give", () => {
  it("groupIds: a large batch, then smaller ones over the same scratch, with window starts", () => {
    const scratch = new ScratchArrays();
    const H = 3_600_000_000;
    for (const [n, k, seed] of [[5000, 700, 1], [1200, 90, 2], [3000, 3000, 3], [10, 3, 4]] as const) {
      const key = intVec(ints(n, k, seed).map((x) => x * 7));
      const starts = Float64Array.from(ints(n, 5, seed + 10), (h) => h * H);
      const fresh = groupIds([key], n, null, starts, H);
      const reused = groupIds([key], n, null, starts, H, scratch);
      expect(reused.numGroups).toBe(fresh.numGroups);
      expect([...reused.ids]).toEqual([...fresh.ids]);
      expect([...reused.firstRow]).toEqual([...fresh.firstRow]);
    }
  });

  it("KeyColumn.localIds (transient): null rows read 0 after a batch that wrote other ids there; codes unseen in this batch start over", () => {
    const column = new KeyColumn(StringType);
    const dict = ["a", "b", "c", "d", "e"];
    const first = column.localIds(strVec(dict, [4, 3, 2, 1, 0, 4]), 6, null, true);
    expect([...first.ids]).toEqual([1, 2, 3, 4, 5, 1]);
    const second = column.localIds(strVec(dict, [0, 1, 2, 0, 0, 3], [0, 1, 0, 1, 1, 0]), 6, null, true);
    expect([...second.ids]).toEqual([0, 1, 0, 2, 2, 0]);
    expect(second.cardinality).toBe(3);
    const fresh = new KeyColumn(StringType);
    fresh.localIds(strVec(dict, [4, 3, 2, 1, 0, 4]), 6, null);
    expect([...fresh.localIds(strVec(dict, [0, 1, 2, 0, 0, 3], [0, 1, 0, 1, 1, 0]), 6, null).ids]).toEqual([...second.ids]);
  });
});
