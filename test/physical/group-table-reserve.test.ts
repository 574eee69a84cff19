import { describe, expect, test } from "vitest";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import { LongType } from "../../src/types/data-types.ts";

/** Adds (or finds) the groups of keys [from, to), one at a time as a restore does; their slots. */
function addKeys(table: GroupTable, from: number, to: number): number[] {
  const slots: number[] = [];
  for (let k = from; k < to; k++) slots.push(table.findOrInsertValues([k]).slot);
  return slots;
}

describe("GroupTable.reserve: room for a known number of groups made at once", () => {
  test("after reserve(n), adding up to n groups grows no array of the table", () => {
    const sizes: number[] = [];
    const table = new GroupTable([LongType], (numSlots) => sizes.push(numSlots));
    table.reserve(1000);
    expect(sizes).toEqual([1000]); // the accumulators are told once, for all of them
    const bytes = table.memoryBytes();
    addKeys(table, 0, 1000);
    expect(table.memoryBytes()).toBe(bytes);
    expect(table.size).toBe(1000);
    // Without it, the same groups are added by doublings to other sizes.
    const grown = new GroupTable([LongType]);
    addKeys(grown, 0, 1000);
    expect(grown.memoryBytes()).not.toBe(bytes);
  });

  test("reserving on a table that holds groups keeps every group at its slot, and goes on adding past the reservation", () => {
    const table = new GroupTable([LongType]);
    const before = addKeys(table, 0, 300);
    table.reserve(5000);
    expect(addKeys(table, 0, 300)).toEqual(before);
    const after = addKeys(table, 300, 9000);
    expect(new Set([...before, ...after]).size).toBe(9000);
    expect(addKeys(table, 0, 9000)).toEqual([...before, ...after]);
    for (const s of after.slice(0, 50)) expect(table.keyValues(s)[0]).toBe(300 + after.indexOf(s));
    table.reserve(10); // smaller than what it has: nothing changes
    expect(addKeys(table, 0, 9000)).toEqual([...before, ...after]);
  });
});
