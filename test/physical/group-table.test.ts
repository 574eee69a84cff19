import { describe, expect, test } from "vitest";
import type { Vec } from "../../src/columnar/vector.ts";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import type { EncodedKeys } from "../../src/physical/group-table/key-column.ts";
import { ArrayType, BooleanType, DoubleType, IntegerType, LongType, StringType, type DataType } from "../../src/types/data-types.ts";

/** The slots of rows 0..n-1 of `vecs` (one per key column), found or added as an aggregation does. */
function slotsOf(table: GroupTable, vecs: readonly Vec[]): number[] {
  const n = vecs[0]?.length ?? 1;
  const at = Int32Array.from({ length: n }, (_, i) => i);
  const keys: EncodedKeys = { tags: [], words: [] };
  table.columns.forEach((c, k) => {
    const tags = new Uint8Array(n), words = new Float64Array(n);
    c.encodeRows(vecs[k]!, at, n, tags, words);
    keys.tags.push(tags);
    keys.words.push(words);
  });
  const hashes = new Int32Array(n);
  table.hash(keys, n, hashes);
  const out = new Int32Array(n);
  table.findOrInsert(keys, hashes, n, out);
  return [...out];
}

const strVec = (dict: string[], codes: number[], valid: number[] | null = null): Vec =>
  ({ kind: "str", type: StringType, length: codes.length, codes: Int32Array.from(codes), dict, valid: valid && Uint8Array.from(valid) });
const numVec = (type: DataType, values: number[], valid: number[] | null = null): Vec =>
  ({ kind: "num", type, length: values.length, values: Float64Array.from(values), valid: valid && Uint8Array.from(valid) });

describe("GroupTable", () => {
  test("string keys meet on their strings across batches whose dictionaries differ (and repeat a string)", () => {
    const table = new GroupTable([StringType]);
    const first = slotsOf(table, [strVec(["a", "b"], [0, 1, 0, 1])]);
    expect(first).toEqual([0, 1, 0, 1]);
    // Other codes for the same strings; "a" twice in one dictionary; a new string.
    const second = slotsOf(table, [strVec(["c", "b", "a", "a"], [0, 1, 2, 3])]);
    expect(second).toEqual([2, 1, 0, 0]);
    expect(table.size).toBe(3);
    expect(table.keyValues(2)).toEqual(["c"]);
  });

  test("a batch's local ids of a string column go by the table's own codes: a repeated string, rows of a window expansion, nulls", () => {
    const table = new GroupTable([StringType]);
    const column = table.columns[0]!;
    slotsOf(table, [strVec(["x", "b"], [0, 1])]); // the table knows "x" and "b" already
    // "a" at codes 0 and 2, nulls at rows 3 and 5; pairs read rows 4, 0, 2, 3, 1, 5, 4 (a row may repeat).
    const vec = strVec(["a", "b", "a"], [2, 1, 0, 0, 0, 1], [1, 1, 1, 0, 1, 0]);
    const rows = Int32Array.from([4, 0, 2, 3, 1, 5, 4]);
    const local = column.localIds(vec as Extract<Vec, { kind: "str" }>, rows.length, rows);
    expect([...local.ids]).toEqual([1, 1, 1, 0, 2, 0, 1]);
    expect(local.cardinality).toBe(3);
    expect(column.strings).toEqual(["x", "b", "a"]);
    // The next batch starts its ids afresh, and encodeRows of the same vector gives the strings' own codes.
    const tags = new Uint8Array(2), words = new Float64Array(2);
    column.encodeRows(vec, Int32Array.from([0, 1]), 2, tags, words);
    expect([...words]).toEqual([2, 1]);
    const next = column.localIds(strVec(["b", "q"], [1, 0, 1]) as Extract<Vec, { kind: "str" }>, 3, null);
    expect([...next.ids]).toEqual([1, 2, 1]);
    expect(next.cardinality).toBe(3);
    // 300,000 distinct strings in one batch: ids stay dense as the table's codes grow past its scratch.
    const many = Array.from({ length: 300_000 }, (_, i) => `s${i}`);
    const big = column.localIds(strVec(many, many.map((_, i) => many.length - 1 - i)) as Extract<Vec, { kind: "str" }>, many.length, null);
    expect(big.cardinality).toBe(many.length + 1);
    expect(big.ids[0]).toBe(1);
    expect(big.ids[many.length - 1]).toBe(many.length);
    expect(new Set(big.ids).size).toBe(many.length);
  });

  test("null is a key of its own, apart from the empty string, 0 and false", () => {
    const table = new GroupTable([StringType, DoubleType, BooleanType]);
    const slots = slotsOf(table, [
      strVec(["", "x"], [0, 0, 1, 1], [1, 0, 0, 1]),
      numVec(DoubleType, [0, 0, 0, 0], [1, 0, 0, 1]),
      { kind: "bool", type: BooleanType, length: 4, values: Uint8Array.from([0, 0, 0, 0]), valid: Uint8Array.from([1, 0, 0, 1]) },
    ]);
    expect(slots).toEqual([0, 1, 1, 2]);
    expect(table.keyValues(0)).toEqual(["", 0, false]);
    expect(table.keyValues(1)).toEqual([null, null, null]);
    expect(table.keyValues(2)).toEqual(["x", 0, false]);
  });

  test("-0.0 groups with 0.0 and every NaN with NaN, as Spark normalizes floating-point keys", () => {
    const bits = new Float64Array(3);
    const words = new Uint32Array(bits.buffer);
    bits[0] = Number.NaN;
    words[2] = 1; words[3] = 0x7ff80000; // another quiet NaN
    words[4] = 5; words[5] = 0xfff00000; // a negative signalling NaN
    const table = new GroupTable([DoubleType]);
    const slots = slotsOf(table, [numVec(DoubleType, [0, -0, bits[0]!, bits[1]!, bits[2]!, 1.5])]);
    expect(slots).toEqual([0, 0, 1, 1, 1, 2]);
    expect(Object.is(table.keyValues(0)[0], 0)).toBe(true);
    expect(table.keyValues(1)[0]).toBeNaN();
    const out = table.columns[0]!.output(Int32Array.from([0, 1, 2]), 3);
    expect(out.kind === "num" && [...out.values]).toEqual([0, Number.NaN, 1.5]);
    // The same keys given as values (state restore, partial merge) find the same slots.
    expect(table.findOrInsertValues([-0])).toEqual({ slot: 0, created: false });
    expect(table.findOrInsertValues([Number.NaN])).toEqual({ slot: 1, created: false });
  });

  test("multi-column keys: every distinct tuple is a group, whatever the values share", () => {
    const table = new GroupTable([StringType, IntegerType]);
    const slots = slotsOf(table, [strVec(["x", "y"], [0, 0, 1, 1, 0]), numVec(IntegerType, [1, 2, 1, 2, 1])]);
    expect(slots).toEqual([0, 1, 2, 3, 0]);
    expect([0, 1, 2, 3].map((s) => table.keyValues(s))).toEqual([["x", 1], ["x", 2], ["y", 1], ["y", 2]]);
  });

  test("grows through many collisions and rehashes: 200,000 keys each keep their slot", () => {
    const table = new GroupTable([LongType, StringType]);
    const n = 200_000;
    // Keys that differ only in high bits or by tiny fractions collide in the low bits of naive hashes.
    const values = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i * 2 ** 32 : i + 0.5));
    const dict = ["p", "q"];
    const codes = Array.from({ length: n }, (_, i) => i % 2);
    const slots = slotsOf(table, [numVec(LongType, values), strVec(dict, codes)]);
    expect(new Set(slots).size).toBe(n);
    expect(table.size).toBe(n);
    const again = slotsOf(table, [numVec(LongType, values.slice().reverse()), strVec(dict, codes.slice().reverse())]);
    expect(again).toEqual(slots.slice().reverse());
    expect(table.keyValues(slots[12_345]!)).toEqual([values[12_345], dict[codes[12_345]!]]);
  });

  test("removing groups keeps every other group findable (backward-shift deletion) and reuses their slots", () => {
    const table = new GroupTable([IntegerType]);
    const n = 5000;
    const keys = Array.from({ length: n }, (_, i) => i * 1024); // same low bits: long probe runs
    const slots = slotsOf(table, [numVec(IntegerType, keys)]);
    const removed = new Set<number>();
    for (let i = 0; i < n; i += 3) { table.remove(slots[i]!); removed.add(i); }
    expect(table.size).toBe(n - removed.size);
    const kept = keys.filter((_, i) => !removed.has(i));
    expect(slotsOf(table, [numVec(IntegerType, kept)])).toEqual(slots.filter((_, i) => !removed.has(i)));
    expect(table.size).toBe(n - removed.size);
    // New keys take the freed slots, not new ones.
    const fresh = slotsOf(table, [numVec(IntegerType, [7, 8, 9])]);
    expect(fresh.every((s) => s < n)).toBe(true);
    expect(table.numSlots).toBe(n);
    expect(table.liveSlots().length).toBe(table.size);
  });

  test("past 2^18 groups (slot numbers wider than the hash bits kept beside them) removals, re-finds and regrowth keep every group", () => {
    const table = new GroupTable([StringType, LongType]);
    const n = 300_000;
    const dict = Array.from({ length: 1000 }, (_, i) => `/url/${i}`);
    const codes = Array.from({ length: n }, (_, i) => i % 1000);
    const hours = Array.from({ length: n }, (_, i) => Math.floor(i / 1000) * 3_600_000_000);
    const slots = slotsOf(table, [strVec(dict, codes), numVec(LongType, hours)]);
    expect(new Set(slots).size).toBe(n);
    const removed = (i: number): boolean => i % 7 === 3;
    for (let i = 0; i < n; i++) if (removed(i)) table.remove(slots[i]!);
    const kept = [...Array(n).keys()].filter((i) => !removed(i));
    expect(slotsOf(table, [strVec(dict, kept.map((i) => codes[i]!)), numVec(LongType, kept.map((i) => hours[i]!))])).toEqual(kept.map((i) => slots[i]!));
    // The removed keys come back into freed slots; 200,000 more grow the table again.
    const back = slotsOf(table, [strVec(dict, codes.filter((_, i) => removed(i))), numVec(LongType, hours.filter((_, i) => removed(i)))]);
    expect(back.every((s) => s < n)).toBe(true);
    const more = slotsOf(table, [strVec(dict, codes.slice(0, 200_000)), numVec(LongType, hours.slice(0, 200_000).map((h) => h + 1))]);
    expect(new Set(more).size).toBe(200_000);
    expect(table.size).toBe(n + 200_000);
    expect(slotsOf(table, [strVec(dict, kept.map((i) => codes[i]!)), numVec(LongType, kept.map((i) => hours[i]!))])).toEqual(kept.map((i) => slots[i]!));
    expect(table.keyValues(more[123_456]!)).toEqual([dict[codes[123_456]!], hours[123_456]! + 1]);
  });

  test("values beyond doubles' exact range, arrays and structs group by value", () => {
    const table = new GroupTable([LongType, ArrayType(IntegerType, true)]);
    const big = 2n ** 60n + 1n;
    expect(table.findOrInsertValues([big, [1, 2]])).toEqual({ slot: 0, created: true });
    expect(table.findOrInsertValues([big, [1, 2]])).toEqual({ slot: 0, created: false });
    expect(table.findOrInsertValues([big + 1n, [1, 2]])).toEqual({ slot: 1, created: true });
    expect(table.findOrInsertValues([5, [1]])).toEqual({ slot: 2, created: true });
    expect(table.keyValues(1)).toEqual([big + 1n, [1, 2]]);
    const exact: Vec = { kind: "num", type: LongType, length: 2, values: Float64Array.from([5, Number(big)]), exact: BigInt64Array.from([5n, big]), valid: null };
    const arrays: Vec = { kind: "obj", type: ArrayType(IntegerType, true), length: 2, values: [[1], [1, 2]], valid: null };
    expect(slotsOf(table, [exact, arrays])).toEqual([2, 0]);
  });

  test("after removals, dictionaries shrink to the strings live groups use and every group is still found", () => {
    const table = new GroupTable([StringType]);
    const dict = Array.from({ length: 4000 }, (_, i) => `url-${i}`);
    const slots = slotsOf(table, [strVec(dict, dict.map((_, i) => i))]);
    for (let i = 0; i < 4000; i++) if (i % 10 !== 0) table.remove(slots[i]!);
    table.compactDictionaries();
    expect(table.columns[0]!.strings.length).toBe(400);
    const keptDict = dict.filter((_, i) => i % 10 === 0);
    expect(slotsOf(table, [strVec(keptDict.slice().reverse(), keptDict.map((_, i) => i))])).toEqual(slots.filter((_, i) => i % 10 === 0).reverse());
    expect(table.size).toBe(400);
    const out = table.columns[0]!.output(table.liveSlots(), 400);
    expect(out.kind === "str" && out.dict.length).toBe(400);
  });

  test("output of a few groups carries a dictionary of their strings only", () => {
    const table = new GroupTable([StringType]);
    const dict = Array.from({ length: 100 }, (_, i) => `k${i}`);
    slotsOf(table, [strVec(dict, dict.map((_, i) => i))]);
    const out = table.columns[0]!.output(Int32Array.from([7, 3]), 2);
    expect(out.kind === "str" && { dict: out.dict, codes: [...out.codes] }).toEqual({ dict: ["k7", "k3"], codes: [0, 1] });
  });
});
