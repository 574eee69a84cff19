import { describe, expect, it } from "vitest";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import type { Vec } from "../../src/columnar/vector.ts";
import { ColumnRef, WindowTime } from "../../src/expr/expression.ts";
import { windowStart } from "../../src/expr/compile.ts";
import { groupIds } from "../../src/physical/group-ids.ts";
import { assignWindows } from "../../src/physical/window-assigner.ts";
import { ArrayType, BooleanType, DoubleType, IntegerType, StringType, TimestampType, type DataType } from "../../src/types/data-types.ts";

const S = 1_000_000;

function vec(type: DataType, items: readonly unknown[]): Vec {
  const b = new VecBuilder(type);
  for (const x of items) b.append(x);
  return b.finish();
}

describe("groupIds", () => {
  it("gives dense ids in order of first occurrence for strings, with null as its own group", () => {
    const g = groupIds([vec(StringType, ["b", "a", "b", null, "a", null])], 6, null, null);
    expect(Array.from(g.ids)).toEqual([0, 1, 0, 2, 1, 2]);
    expect(g.numGroups).toBe(3);
    expect(Array.from(g.firstRow)).toEqual([0, 1, 3]);
  });

  it("groups strings by value even when a dictionary repeats a string", () => {
    const v: Vec = { kind: "str", type: StringType, length: 4, codes: Int32Array.from([0, 1, 2, 1]), dict: ["x", "y", "x"], valid: null };
    const g = groupIds([v], 4, null, null);
    expect(Array.from(g.ids)).toEqual([0, 1, 0, 1]);
    expect(g.numGroups).toBe(2);
  });

  it("groups numbers and booleans; null differs from 0 and false", () => {
    const nums = groupIds([vec(DoubleType, [1.5, 0, null, 1.5, 0])], 5, null, null);
    expect(Array.from(nums.ids)).toEqual([0, 1, 2, 0, 1]);
    const bools = groupIds([vec(BooleanType, [false, null, true, false])], 4, null, null);
    expect(Array.from(bools.ids)).toEqual([0, 1, 2, 0]);
  });

  it("integers in a narrow range (a table by value) group as the Map does: first-seen order, null, -0, a row map", () => {
    // Narrow: through the table; one fraction, a NaN or a wide range sends the column through the Map instead.
    const narrow = groupIds([vec(IntegerType, [7, -3, null, 7, 0, -3, 2])], 7, null, null);
    expect(Array.from(narrow.ids)).toEqual([0, 1, 2, 0, 3, 1, 4]);
    expect(Array.from(narrow.firstRow)).toEqual([0, 1, 2, 4, 6]);
    const mixed = groupIds([vec(DoubleType, [7, -3, null, 7, 0, -3, 2.5])], 7, null, null);
    expect(Array.from(mixed.ids)).toEqual([0, 1, 2, 0, 3, 1, 4]);
    const zeros = groupIds([vec(DoubleType, [0, -0, 1, NaN, NaN])], 5, null, null);
    expect(Array.from(zeros.ids)).toEqual([0, 0, 1, 2, 2]);
    const signedZeros = groupIds([vec(DoubleType, [-0, 0, 1])], 3, null, null);
    expect(Array.from(signedZeros.ids)).toEqual([0, 0, 1]);
    const wide = groupIds([vec(DoubleType, [1e9, 5, 1e9, 5])], 4, null, null);
    expect(Array.from(wide.ids)).toEqual([0, 1, 0, 1]);
    // Row i reads key row rows[i] (window expansion).
    const mapped = groupIds([vec(IntegerType, [4, 9, 4])], 5, Int32Array.from([1, 1, 0, 2, 1]), null);
    expect(Array.from(mapped.ids)).toEqual([0, 0, 1, 1, 0]);
    // A batch of many rows over 100 values: as many groups, each id at its value's first row.
    const many = Array.from({ length: 5000 }, (_, i) => (i * 37) % 100 - 50);
    const g = groupIds([vec(IntegerType, many)], many.length, null, null);
    expect(g.numGroups).toBe(100);
    for (let i = 0; i < many.length; i++) expect(many[g.firstRow[g.ids[i]!]!]).toBe(many[i]);
  });

  it("combines several keys into one id per distinct combination", () => {
    const a = vec(StringType, ["x", "x", "y", "y", "x", null]);
    const b = vec(IntegerType, [1, 2, 1, 1, 1, 1]);
    const g = groupIds([a, b], 6, null, null);
    expect(Array.from(g.ids)).toEqual([0, 1, 2, 2, 0, 3]);
    expect(g.numGroups).toBe(4);
    expect(Array.from(g.firstRow)).toEqual([0, 1, 2, 5]);
  });

  it("groups other values (arrays) by their contents", () => {
    const g = groupIds([vec(ArrayType(IntegerType), [[1, 2], [1], [1, 2], null])], 4, null, null);
    expect(Array.from(g.ids)).toEqual([0, 1, 0, 2]);
  });

  it("reads key rows through a row mapping and adds an extra numeric key", () => {
    const keys = vec(StringType, ["a", "b"]);
    const rows = Int32Array.from([0, 0, 1, 1, 0]);
    const extra = Float64Array.from([10, 20, 10, 10, 10]);
    const g = groupIds([keys], 5, rows, extra);
    expect(Array.from(g.ids)).toEqual([0, 1, 2, 2, 0]);
    expect(g.numGroups).toBe(3);
  });

  it("window starts on a grid give the same groups by arithmetic as through a Map, and fall back when off the grid", () => {
    const hour = 3_600 * S;
    const url = vec(StringType, ["a", "b", "a", "a", "b", "c"]);
    const cases: number[][] = [
      [5, 5, 6, 5, 7, 6].map((h) => h * hour), // on the grid
      [-3, -2, -3, 4, -2, 4].map((h) => h * hour), // negative starts
      [0, 1e6, 0, 1e6, 2, 0].map((h) => h * hour), // a span too wide for a dense table
      [0, hour / 2, 0, hour, hour / 2, 0], // off the grid
      [NaN, 0, NaN, 0, hour, hour],
    ];
    for (const starts of cases) {
      const extra = Float64Array.from(starts);
      const stepped = groupIds([url], 6, null, extra, hour);
      const mapped = groupIds([url], 6, null, extra);
      expect(Array.from(stepped.ids), starts.join()).toEqual(Array.from(mapped.ids));
      expect(stepped.numGroups).toBe(mapped.numGroups);
      expect(Array.from(stepped.firstRow)).toEqual(Array.from(mapped.firstRow));
    }
  });

  it("without keys every row is in one group; no rows, no groups", () => {
    expect(groupIds([], 3, null, null)).toMatchObject({ numGroups: 1 });
    expect(Array.from(groupIds([], 3, null, null).ids)).toEqual([0, 0, 0]);
    expect(groupIds([], 0, null, null).numGroups).toBe(0);
  });
});

describe("assignWindows", () => {
  const time = ColumnRef.bound("t", 0, TimestampType, true);
  const windowsOf = (times: readonly (number | null)[], size: number, slide: number, start = 0): [number, number[]][] => {
    const a = assignWindows(vec(TimestampType, times.map((t) => (t === null ? null : t * S))), WindowTime.create(time, size * S, slide * S, start * S));
    const byRow = new Map<number, number[]>();
    for (let i = 0; i < a.length; i++) {
      const r = a.rows === null ? i : a.rows[i]!;
      byRow.set(r, [...(byRow.get(r) ?? []), a.starts[i]! / S]);
    }
    return [...byRow].map(([r, starts]) => [r, starts.sort((x, y) => x - y)]);
  };

  it("tumbling: one window per row, aligned to the epoch, half-open", () => {
    expect(windowsOf([0, 9, 10, 25], 10, 10)).toEqual([[0, [0]], [1, [0]], [2, [10]], [3, [20]]]);
  });

  it("tumbling with negative times aligns below zero", () => {
    expect(windowsOf([-1, -10, -11], 10, 10)).toEqual([[0, [-10]], [1, [-10]], [2, [-20]]]);
  });

  it("tumbling with a start offset", () => {
    expect(windowsOf([12, 2, 3], 10, 10, 3)).toEqual([[0, [3]], [1, [-7]], [2, [3]]]);
  });

  it("sliding (size/slide = 3): exactly the windows with start <= t < start + size", () => {
    expect(windowsOf([25, 30, 0], 30, 10)).toEqual([
      [0, [0, 10, 20]],
      [1, [10, 20, 30]],
      [2, [-20, -10, 0]],
    ]);
    for (const t of [-5, 7, 19.5]) {
      const [[, starts]] = windowsOf([t], 30, 10) as [[number, number[]]];
      expect(starts.length).toBe(3);
      for (const s of starts) expect(s <= t && t < s + 30).toBe(true);
    }
  });

  it("sliding where the size is not a multiple of the slide", () => {
    expect(windowsOf([9, 8], 10, 4)).toEqual([[0, [0, 4, 8]], [1, [0, 4, 8]]]);
    expect(windowsOf([10], 10, 4)).toEqual([[0, [4, 8]]]);
  });

  it("sliding with a start offset and negative times", () => {
    expect(windowsOf([-5], 30, 10, 5)).toEqual([[0, [-25, -15, -5]]]);
  });

  it("drops rows with a null time", () => {
    expect(windowsOf([5, null, 15], 10, 10)).toEqual([[0, [0]], [2, [10]]]);
    expect(windowsOf([null, 25], 30, 10)).toEqual([[1, [0, 10, 20]]]);
  });
});

describe("windowStart", () => {
  it("is t minus its non-negative remainder modulo the size, for any sign, offset and magnitude", () => {
    const reference = (t: number, size: number, start: number): number => t - ((((t - start) % size) + size) % size);
    const sizes = [1, 7, 1_000, 60 * S, 3_600 * S, 86_400 * S, 7 * 86_400 * S, 999_999_937];
    let seed = 7;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let k = 0; k < 20_000; k++) {
      const size = sizes[k % sizes.length]!;
      const t = Math.floor((random() - 0.5) * 2 ** (10 + Math.floor(random() * 43)));
      const start = Math.floor(random() * size) * (k % 2 === 0 ? 1 : -1);
      const aligned = Math.floor(t / size) * size;
      for (const x of [t, t - 1, t + 1, aligned, aligned - 1, aligned + start, aligned + start - 1]) {
        expect(windowStart(x, size, start), `t=${x} size=${size} start=${start}`).toBe(reference(x, size, start));
      }
    }
  });
});
