import { describe, expect, test } from "vitest";
import { GroupTable } from "../../src/physical/group-table/group-table.ts";
import { TAG_VALUE, type KeyColumnData } from "../../src/physical/group-table/key-column.ts";
import { StringType } from "../../src/types/data-types.ts";

/** Partial groups' string keys as codes into `strings` (a worker's dictionary as this thread keeps it). */
const codesInto = (strings: readonly string[], codes: readonly number[]): KeyColumnData =>
  ({ tags: new Uint8Array(codes.length).fill(TAG_VALUE), words: Float64Array.from(codes), strings, others: [] });

/** The slots of the imported keys, new groups added, as AggregationGroups.merge finds them. */
function merge(table: GroupTable, data: KeyColumnData): number[] {
  const m = data.tags.length;
  const words = new Float64Array(m);
  table.columns[0]!.importWords(data, m, words);
  const keys = { tags: [data.tags], words: [words] };
  const hashes = new Int32Array(m);
  table.hash(keys, m, hashes);
  const slots = new Int32Array(m);
  table.findOrInsert(keys, hashes, m, slots);
  return [...slots];
}

const keysOf = (table: GroupTable, slots: readonly number[]): unknown[] => slots.map((s) => table.keyValues(s)[0]);

describe("KeyColumn.importWords: what a worker's string codes became here, kept per list", () => {
  test("a list that grows between files: old codes keep their strings, new ones are looked up", () => {
    const table = new GroupTable([StringType]);
    const worker = ["/a", "/b"];
    expect(keysOf(table, merge(table, codesInto(worker, [1, 0, 1])))).toEqual(["/b", "/a", "/b"]);
    worker.push("/c", "/d");
    const slots = merge(table, codesInto(worker, [3, 0, 2, 1]));
    expect(keysOf(table, slots)).toEqual(["/d", "/a", "/c", "/b"]);
    expect(table.size).toBe(4);
  });

  test("two lists with the same codes for different strings do not share what their codes became", () => {
    const table = new GroupTable([StringType]);
    const one = ["/x", "/y"], two = ["/y", "/z"];
    expect(keysOf(table, merge(table, codesInto(one, [0, 1])))).toEqual(["/x", "/y"]);
    expect(keysOf(table, merge(table, codesInto(two, [0, 1])))).toEqual(["/y", "/z"]);
    expect(keysOf(table, merge(table, codesInto(one, [1, 0])))).toEqual(["/y", "/x"]);
    expect(table.size).toBe(3);
  });

  test("after the column's dictionary is compacted (its codes change), a list seen before still decodes right", () => {
    const table = new GroupTable([StringType]);
    const worker = Array.from({ length: 2000 }, (_, i) => `/u/${i}`);
    const all = merge(table, codesInto(worker, worker.map((_, i) => i)));
    // The watermark removes most groups: the dictionary then mostly holds removed keys and is rebuilt.
    for (const s of all.slice(0, 1990)) table.remove(s);
    table.compactDictionaries();
    expect(table.columns[0]!.strings.length).toBe(10);
    const again = merge(table, codesInto(worker, [1995, 3, 1999]));
    expect(keysOf(table, again)).toEqual(["/u/1995", "/u/3", "/u/1999"]);
    // The groups still live are found again, not added twice.
    expect(again[0]).toBe(all[1995]);
    expect(again[2]).toBe(all[1999]);
    expect(table.size).toBe(11);
  });
});
