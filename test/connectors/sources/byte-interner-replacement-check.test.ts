import { describe, expect, it } from "vitest";
import { ByteInterner, hashBytes, NOT_KEPT } from "../../../src/connectors/sources/byte-interner.ts";

/** Interns b[start, end) as the JSON decoder does; the string and the id it was given. */
function intern(interner: ByteInterner, b: Buffer, start = 0, end = b.length): { value: string; id: number } {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const value = interner.intern(b, dv, start, end, hashBytes(b, dv, start, end));
  return { value, id: interner.lastId };
}

/** Runs `body` (synchronous) counting the searches for U+FFFD made with String.prototype.indexOf. */
function countReplacementSearches(body: () => void): number {
  const indexOf = String.prototype.indexOf;
  let searches = 0;
  String.prototype.indexOf = function (this: string, search: string, position?: number): number {
    if (search === "\uFFFD") searches++;
    return indexOf.call(this, search, position);
  };
  try {
    body();
  } finally {
    String.prototype.indexOf = indexOf;
  }
  return searches;
}

describe("the byte interner keeps strings whose bytes are valid UTF-8 and no others", () => {
  it("does not search a string decoded from ASCII bytes for U+FFFD (ASCII bytes are valid UTF-8), and keeps it", () => {
    const interner = new ByteInterner();
    const ids: number[] = [];
    const searches = countReplacementSearches(() => {
      for (let i = 0; i < 500; i++) {
        const { value, id } = intern(interner, Buffer.from(`https://example.com/page/${i}?q=${"x".repeat(i % 13)}`));
        expect(value).toBe(`https://example.com/page/${i}?q=${"x".repeat(i % 13)}`);
        ids.push(id);
      }
    });
    expect(searches).toBe(0);
    expect(ids).toEqual(ids.map((_, i) => i));
  });

  it("searches other strings: valid UTF-8 (even a U+FFFD written as its bytes is refused, conservatively) and invalid bytes", () => {
    const interner = new ByteInterner();
    let kept = -2, invalid = -2, replacement = -2;
    const searches = countReplacementSearches(() => {
      kept = intern(interner, Buffer.from("café 日本")).id;
      const bad = Buffer.from([0x61, 0xff, 0x62]);
      const { value, id } = intern(interner, bad);
      expect(value).toBe(bad.toString("utf8"));
      invalid = id;
      replacement = intern(interner, Buffer.from("a\uFFFDb")).id;
    });
    expect(searches).toBe(3);
    expect(kept).toBe(0);
    expect(invalid).toBe(NOT_KEPT);
    expect(replacement).toBe(NOT_KEPT);
    expect(intern(interner, Buffer.from("café 日本"))).toEqual({ value: "café 日本", id: 0 });
  });
});
