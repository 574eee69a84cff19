import { describe, expect, it } from "vitest";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import type { Vec } from "../../src/columnar/vector.ts";
import { groupIds } from "../../src/physical/group-ids.ts";
import { IntegerType, StringType, type DataType } from "../../src/types/data-types.ts";

const H = 3_600_000_000;

function vec(type: DataType, items: readonly unknown[]): Vec {
  const b = new VecBuilder(type);
  for (const x of items) b.append(x);
  return b.finish();
}

/** Ids by first occurrence of each row's whole key, and each id's first row: what groupIds must give. */
function expected(tuples: readonly string[]): { ids: number[]; firstRow: number[] } {
  const byKey = new Map<string, number>();
  const ids: number[] = [], firstRow: number[] = [];
  tuples.forEach((t, i) => {
    let d = byKey.get(t);
    if (d === undefined) { d = byKey.size; byKey.set(t, d); firstRow.push(i); }
    ids.push(d);
  });
  return { ids, firstRow };
}

describe("groupIds over several columns of different cardinalities", () => {
  it("gives ids in first-occurrence order of the whole key and each group's first row, whichever column has the fewest values", () => {
    // Rows in runs of a few windows (as a block of a time-ordered stream), many strings, a small int column.
    const n = 5000;
    let seed = 7;
    const rnd = (k: number): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % k; };
    const urls: (string | null)[] = [], small: (number | null)[] = [];
    const starts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rnd(900);
      urls.push(u === 0 ? null : `u${u}`);
      small.push(rnd(5) === 0 ? null : rnd(3));
      starts[i] = (10 + Math.floor(i / 1200)) * H;
    }
    const g = groupIds([vec(StringType, urls), vec(IntegerType, small)], n, null, starts, H);
    const want = expected(urls.map((u, i) => `${u}|${small[i]}|${starts[i]}`));
    expect(g.numGroups).toBe(want.firstRow.length);
    expect(Array.from(g.ids)).toEqual(want.ids);
    expect(Array.from(g.firstRow)).toEqual(want.firstRow);
    // The same keys with the small column first: the same ids.
    const swapped = groupIds([vec(IntegerType, small), vec(StringType, urls)], n, null, starts, H);
    expect(Array.from(swapped.ids)).toEqual(want.ids);
  });

  it("numbers groups by first occurrence when a later column has fewer values than the first", () => {
    const a = ["x", "y", "z", "x", "y", "z", "w"];
    const b = [2, 1, 1, 1, 2, 1, 2];
    const g = groupIds([vec(StringType, a), vec(IntegerType, b)], a.length, null, null);
    const want = expected(a.map((x, i) => `${x}|${b[i]}`));
    expect(Array.from(g.ids)).toEqual(want.ids);
    expect(Array.from(g.firstRow)).toEqual(want.firstRow);
    expect(g.numGroups).toBe(6);
  });

  it("one group for no key columns, none for no rows", () => {
    expect(groupIds([], 3, null, null)).toMatchObject({ numGroups: 1 });
    expect(Array.from(groupIds([], 3, null, null).firstRow)).toEqual([0]);
    expect(groupIds([], 0, null, null).numGroups).toBe(0);
  });
});
