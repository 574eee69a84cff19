import { describe, expect, test } from "vitest";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import { LongType, StringType, TimestampType } from "../../src/types/data-types.ts";

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

describe("GroupTable.findOrInsertAllValues: a restore's groups found or added a block at a time", () => {
  test("the same slots as one findOrInsertValues each: existing groups found, repeats within the block share a slot, nulls and NaN are keys", () => {
    const rows: unknown[][] = [];
    for (let i = 0; i < 5000; i++) rows.push([`/u/${i % 1700}`, i % 3 === 0 ? null : i % 7 === 0 ? Number.NaN : (i % 11) * 3_600_000_000]);
    const one = new GroupTable([StringType, TimestampType]);
    one.findOrInsertValues(["/u/5", 0]);
    const expected = rows.map((r) => one.findOrInsertValues(r).slot);
    const all = new GroupTable([StringType, TimestampType]);
    all.findOrInsertValues(["/u/5", 0]);
    expect([...all.findOrInsertAllValues(rows)]).toEqual(expected);
    expect(all.size).toBe(one.size);
    for (const s of new Set(expected)) expect(all.keyValues(s)).toEqual(one.keyValues(s));
    expect([...all.findOrInsertAllValues(rows.slice(0, 10))]).toEqual(expected.slice(0, 10));
  });
});
