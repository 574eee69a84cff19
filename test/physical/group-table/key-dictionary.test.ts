import { describe, expect, test } from "vitest";
import { KeyDictionary } from "../../../src/physical/group-table/key-dictionary.ts";
import { TAG_NULL, TAG_OTHER, TAG_VALUE } from "../../../src/physical/group-table/key-encoding.ts";

describe("a key column's dictionary", () => {
  test("equal values get one code: strings by content, other values by keyString (a Map by its entries)", () => {
    const d = new KeyDictionary();
    expect([d.internString("/a"), d.internString("/b"), d.internString("/a")]).toEqual([0, 1, 0]);
    const m1 = new Map([["k", 1]]), m2 = new Map([["k", 1]]), m3 = new Map([["k", 2]]);
    expect([d.internOther(m1), d.internOther(m2), d.internOther(m3), d.internOther([1, 2])]).toEqual([0, 0, 1, 2]);
    expect(d.strings).toEqual(["/a", "/b"]);
    expect(d.others).toEqual([m1, m3, [1, 2]]);
  });

  test("the frozen strings are one list until a string is added, then a new list", () => {
    const d = new KeyDictionary();
    d.internString("x");
    const first = d.frozenStrings();
    expect(Object.isFrozen(first)).toBe(true);
    d.internString("x");
    expect(d.frozenStrings()).toBe(first);
    d.internString("y");
    const second = d.frozenStrings();
    expect(second).not.toBe(first);
    expect(second).toEqual(["x", "y"]);
    expect(first).toEqual(["x"]);
  });

  test("compact keeps the entries live slots use, numbered by first use, and rewrites their words", () => {
    const d = new KeyDictionary();
    for (let i = 0; i < 2000; i++) d.internString(`/u/${i}`);
    d.internOther([1]);
    d.internOther([2]);
    // Slots: 0 → "/u/1500", 1 → null, 2 → "/u/7", 3 → [2], 4 → "/u/1500" (dead), 5 → "/u/1500".
    const tags = Uint8Array.of(TAG_VALUE, TAG_NULL, TAG_VALUE, TAG_OTHER, TAG_VALUE, TAG_VALUE);
    const words = Float64Array.of(1500, 0, 7, 1, 1500, 1500);
    const live = Int32Array.of(0, 1, 2, 3, 5);
    expect(d.wouldCompact(live.length)).toBe(true);
    d.compact(tags, words, live, live.length, true);
    expect(d.strings).toEqual(["/u/1500", "/u/7"]);
    expect(d.others).toEqual([[2]]);
    expect(Array.from(words)).toEqual([0, 0, 1, 0, 1500, 0]);
    // Codes after compaction: a known string keeps its new code, a new one comes next.
    expect(d.internString("/u/7")).toBe(1);
    expect(d.internString("/u/3")).toBe(2);
    expect(d.internOther([2])).toBe(0);
    expect(d.bytes()).toBe(3 * 40 + 2 * ("/u/1500".length + "/u/7".length + "/u/3".length) + 64);
    expect(d.wouldCompact(3)).toBe(false);
  });
});
