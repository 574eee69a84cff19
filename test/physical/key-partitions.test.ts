import { describe, expect, test } from "vitest";
import { toExternal } from "../../src/columnar/values.ts";
import { valueAt } from "../../src/columnar/vector.ts";
import { exportGroups, exportGroupsByPartition, importKeys, mergeStates, type PartialGroups } from "../../src/physical/aggregate/partial-groups.ts";
import { keyPartitions } from "../../src/physical/parallel/key-partitions.ts";
import { calls, files, mapSide, newGroups } from "./partial-groups-fixtures.ts";

/**
 * The exchange of a hash-partitioned aggregation, on the real group table and accumulators:
 * each file's partial groups split by key values, each partition merged by its own table
 * (its owner thread's), must give every group exactly once, with the values one table
 * merging every file's whole partial gets.
 */

/** A reduce side: merges partial groups in the order given, as AggregateExec's merge does. */
function reduceSide() {
  const groups = newGroups();
  return {
    merge(partial: PartialGroups): void {
      const m = partial.count;
      if (m === 0) return;
      const keys = importKeys(groups.table, partial);
      const hashes = new Int32Array(m);
      groups.table.hash(keys, m, hashes);
      const slots = new Int32Array(m);
      groups.table.findOrInsert(keys, hashes, m, slots);
      mergeStates(groups.accumulators, slots, partial);
    },
    /** Each group's key and aggregate values, by key. */
    contents(): Map<string, unknown[]> {
      const live = groups.table.liveSlots();
      const values = groups.accumulators.map((a) => a.evaluate(live, live.length));
      const out = new Map<string, unknown[]>();
      live.forEach((slot, i) => {
        out.set(JSON.stringify(groups.table.keyValues(slot)), values.map((v, k) => toExternal(valueAt(v, i), calls[k]!.dataType!)));
      });
      return out;
    },
  };
}

describe("hash-partitioned partial groups", () => {
  for (const parts of [2, 3]) {
    test(`${parts} partitions, each merged by its own table: every group once, with the values of one table merging everything`, () => {
      const input = files(6, 400, 150);
      const whole = reduceSide();
      const owners = Array.from({ length: parts }, reduceSide);
      for (const rows of input) {
        const { table, accumulators } = mapSide(rows);
        const byPartition = exportGroupsByPartition(table, accumulators, parts);
        expect(byPartition.reduce((n, p) => n + p.count, 0)).toBe(table.size);
        byPartition.forEach((p, i) => owners[i]!.merge(p));
        const again = mapSide(rows);
        whole.merge(exportGroups(again.table, again.accumulators));
      }
      const expected = whole.contents();
      const got = new Map<string, unknown[]>();
      for (const owner of owners) {
        const contents = owner.contents();
        // Each owner holds groups the others do not: a key always went to the same partition.
        for (const [key, values] of contents) {
          expect(got.has(key)).toBe(false);
          got.set(key, values);
        }
        // And every owner got a share.
        expect(contents.size).toBeGreaterThan(expected.size / parts / 2);
      }
      expect(got.size).toBe(expected.size);
      // Each partition's groups merged in file order, as the whole: the DOUBLE sums agree to the last bit.
      for (const [key, values] of expected) expect(got.get(key)).toEqual(values);
    });
  }

  test("a key's partition depends on its values, not on a table's codes: two tables coding the same strings differently agree", () => {
    const a = mapSide([{ url: "/x", hour: 1, bytes: 1, ms: 0 }, { url: "/y", hour: 1, bytes: 1, ms: 0 }, { url: null, hour: 2, bytes: 1, ms: 0 }]);
    const b = mapSide([{ url: null, hour: 2, bytes: 1, ms: 0 }, { url: "/y", hour: 1, bytes: 1, ms: 0 }, { url: "/x", hour: 1, bytes: 1, ms: 0 }]);
    const partsOf = (g: ReturnType<typeof mapSide>) => {
      const keys = g.table.columns.map((c) => c.exportData(g.table.size));
      const parts = keyPartitions(keys, g.table.size, 7);
      return new Map(Array.from(parts, (p, slot) => [JSON.stringify(g.table.keyValues(slot)), p]));
    };
    const pa = partsOf(a), pb = partsOf(b);
    expect(a.table.columns[0]!.exportData(3).strings).toEqual(["/x", "/y"]);
    expect(b.table.columns[0]!.exportData(3).strings).toEqual(["/y", "/x"]);
    for (const [key, p] of pa) expect(pb.get(key)).toBe(p);
    expect(keyPartitions(a.table.columns.map((c) => c.exportData(3)), 3, 1)).toEqual(new Uint16Array(3));
  });
});
