import { describe, expect, it } from "vitest";
import { SHORT_TEXT_MAX, shortAsciiText } from "../../src/columnar/short-ascii-text.ts";
import { asciiText, utf8Text } from "../../src/columnar/utf8-text.ts";

/** Bytes of `n` ASCII letters and digits at `offset` in a buffer with other bytes around them (a quote, a high byte). */
function asciiBytes(n: number, offset: number): Buffer {
  const b = Buffer.alloc(offset + n + 2, 0xff);
  const letters = "abcXYZ0189-_/ ~\x7f";
  for (let k = 0; k < n; k++) b[offset + k] = letters.charCodeAt((k * 7) % letters.length);
  b[offset + n] = 34;
  return b;
}

describe("short ASCII strings without latin1Slice", () => {
  it("make the string of every length up to the limit and on both sides of it, as Buffer.toString does", () => {
    expect(shortAsciiText).not.toBeNull();
    for (let n = 0; n <= SHORT_TEXT_MAX + 3; n++) {
      for (const offset of [0, 1, 3, 7]) {
        const b = asciiBytes(n, offset);
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        const want = b.toString("utf8", offset, offset + n);
        expect(want.length).toBe(n);
        if (n <= SHORT_TEXT_MAX) expect(shortAsciiText![n]!(b, offset)).toBe(want);
        expect(utf8Text(b, offset, offset + n)).toBe(want);
        expect(utf8Text(b, offset, offset + n, dv)).toBe(want);
        expect(asciiText(b, offset, offset + n)).toBe(want);
      }
    }
  });

  it("give null for a byte from 0x80 at any position, and utf8Text then decodes UTF-8 (valid, or invalid as U+FFFD)", () => {
    for (let n = 1; n <= SHORT_TEXT_MAX + 2; n++) {
      for (let at = 0; at < n; at++) {
        for (const high of [[0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xff], [0x80]]) {
          const b = asciiBytes(n + high.length - 1, 2);
          b.set(high, 2 + at);
          const len = n + high.length - 1;
          const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
          const want = b.toString("utf8", 2, 2 + len);
          if (len <= SHORT_TEXT_MAX) expect(shortAsciiText![len]!(b, 2)).toBeNull();
          expect(utf8Text(b, 2, 2 + len)).toBe(want);
          expect(utf8Text(b, 2, 2 + len, dv)).toBe(want);
        }
      }
    }
  });

  it("read only the bytes asked for: equal bytes around the run do not change the string", () => {
    const b = Buffer.from('{"id":"u17wdrqp-x1","time":"2026-01-01T00:00:00.010Z"}', "latin1");
    expect(utf8Text(b, 7, 18)).toBe("u17wdrqp-x1");
    expect(utf8Text(b, 7, 7)).toBe("");
    expect(utf8Text(b, 7, 5)).toBe(b.toString("utf8", 7, 5)); // an empty range the other way round, as Buffer gives it
    expect(utf8Text(b, 28, 52)).toBe("2026-01-01T00:00:00.010Z");
  });
});
