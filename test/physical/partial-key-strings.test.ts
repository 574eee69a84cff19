import { describe, expect, test } from "vitest";
import { TAG_NULL, TAG_VALUE, type KeyColumnData } from "../../src/physical/group-table/key-column.ts";
import { KeyStringsSender, receiveKeyStrings } from "../../src/physical/partial-key-strings.ts";

/** One file's partial groups as a worker's table exports them: a string column (its own codes) and a number column. */
function exported(urls: readonly (string | null)[], hours: readonly number[]): KeyColumnData[] {
  const strings: string[] = [];
  const codes = new Map<string, number>();
  const tags = new Uint8Array(urls.length);
  const words = new Float64Array(urls.length);
  urls.forEach((u, j) => {
    if (u === null) { tags[j] = TAG_NULL; return; }
    let c = codes.get(u);
    if (c === undefined) { c = strings.length; strings.push(u); codes.set(u, c); }
    tags[j] = TAG_VALUE;
    words[j] = c;
  });
  return [
    { tags, words, strings, others: [] },
    { tags: new Uint8Array(hours.length).fill(TAG_VALUE), words: Float64Array.from(hours), strings: [], others: [] },
  ];
}

/** What the receiving thread reads back: each group's key values. */
function decoded(keys: readonly KeyColumnData[], count: number): unknown[][] {
  return Array.from({ length: count }, (_, j) => keys.map((c) => (c.tags[j] === TAG_NULL ? null : c.strings.length > 0 ? c.strings[c.words[j]!] : c.words[j])));
}

/** Sends `files` through one sender as structured clones (as postMessage does), receiving each in order. */
function roundTrip(sender: KeyStringsSender, files: readonly [readonly (string | null)[], readonly number[]][]) {
  return files.map(([urls, hours]) => {
    const keys = exported(urls, hours);
    const sent = sender.encode(keys, urls.length);
    const message = structuredClone({ keys: KeyStringsSender.withoutStrings(keys, sent), sent });
    return { message, keys: receiveKeyStrings(message.keys, message.sent) };
  });
}

describe("partial groups' key strings, sent once per worker", () => {
  test("each file's groups decode to their own keys; a string travels only with the first file that has it", () => {
    const files: [(string | null)[], number[]][] = [
      [["/a", "/b", null, "/a"], [1, 1, 1, 2]],
      [["/b", "/c", "/a"], [2, 2, 3]],
      [[null, "/c"], [4, 4]],
    ];
    const results = roundTrip(new KeyStringsSender(`plan-${process.pid}-1`), files);
    results.forEach(({ keys }, f) => {
      const [urls, hours] = files[f]!;
      expect(decoded(keys, urls.length)).toEqual(urls.map((u, j) => [u, hours[j]]));
    });
    expect(results.map((r) => r.message.sent.delta[0]!.added)).toEqual([["/a", "/b"], ["/c"], []]);
    // The number column is not a string column: untouched, no delta.
    expect(results.map((r) => r.message.sent.delta[1])).toEqual([null, null, null]);
    expect(results.every((r) => r.message.keys[0]!.strings.length === 0)).toBe(true);
  });

  test("two plans (two senders) keep apart dictionaries", () => {
    const one = roundTrip(new KeyStringsSender(`plan-${process.pid}-2`), [[["/x"], [1]], [["/y", "/x"], [1, 1]]]);
    const two = roundTrip(new KeyStringsSender(`plan-${process.pid}-3`), [[["/y"], [1]]]);
    expect(decoded(one[1]!.keys, 2)).toEqual([["/y", 1], ["/x", 1]]);
    expect(decoded(two[0]!.keys, 1)).toEqual([["/y", 1]]);
  });

  test("a dictionary that would pass its bound starts again; groups received before, not merged yet, keep their strings", () => {
    const sender = new KeyStringsSender(`plan-${process.pid}-4`, 9);
    const big = Array.from({ length: 8 }, (_, i) => `/u/${i}`);
    const [first] = roundTrip(sender, [[big, new Array<number>(big.length).fill(0)]]);
    const [second] = roundTrip(sender, [[["/late", "/u/7"], [1, 1]]]);
    expect(second!.message.sent.delta[0]).toEqual({ restart: true, added: ["/late", "/u/7"] });
    expect(decoded(second!.keys, 2)).toEqual([["/late", 1], ["/u/7", 1]]);
    expect(first!.keys[0]!.strings[first!.keys[0]!.words[7]!]).toBe("/u/7");
    expect(first!.keys[0]!.strings.length).toBe(big.length);
  });
});
