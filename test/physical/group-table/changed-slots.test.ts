import { describe, expect, it } from "vitest";
import { ChangedSlots } from "../../../src/physical/group-table/changed-slots.ts";

/** A Set-based model of what ChangedSlots must give: each slot once, in order of first change. */
function model(batches: readonly (readonly number[])[]): number[][] {
  return batches.map((b) => [...new Set(b)]);
}

describe("ChangedSlots (a bit per slot and a list)", () => {
  it("lists each slot once in order of first change, across bit words and growth, and forgets them at reset", () => {
    const changed = new ChangedSlots();
    const batches: number[][] = [
      [5, 31, 32, 33, 5, 0, 63, 64, 31, 1_000_000, 999_999, 1_000_000],
      [32, 7, 7, 2_000_001, 5],
      [],
      [1, 1, 1],
    ];
    const want = model(batches);
    batches.forEach((batch, i) => {
      changed.reset();
      for (const s of batch) changed.add(s);
      expect([...changed.slots()]).toEqual(want[i]);
      expect(changed.size).toBe(want[i]!.length);
      for (const s of [0, 1, 5, 7, 31, 32, 33, 63, 64, 999_999, 1_000_000, 2_000_001, 3_000_000]) {
        expect(changed.has(s), `batch ${i}, slot ${s}`).toBe(want[i]!.includes(s));
      }
    });
  });

  it("a reset after a few slots of a large bitset clears just those; after many, all of them", () => {
    const changed = new ChangedSlots();
    // Grow the bitset to ~62k words, then list few slots (reset clears slot by slot)…
    changed.add(2_000_000);
    changed.reset();
    expect(changed.has(2_000_000)).toBe(false);
    for (const s of [3, 40, 41, 1_500_000]) changed.add(s);
    changed.reset();
    for (const s of [3, 40, 41, 1_500_000]) expect(changed.has(s)).toBe(false);
    changed.add(41);
    expect([...changed.slots()]).toEqual([41]);
    // …then many (reset clears the whole bitset).
    changed.reset();
    for (let s = 0; s < 1_000_000; s += 3) changed.add(s);
    expect(changed.size).toBe(333_334);
    changed.reset();
    let left = 0;
    for (let s = 0; s < 1_000_000; s++) if (changed.has(s)) left++;
    expect(left).toBe(0);
    for (const s of [9, 9, 12]) changed.add(s);
    expect([...changed.slots()]).toEqual([9, 12]);
  });
});
