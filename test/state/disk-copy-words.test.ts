import { describe, expect, it } from "vitest";
import { copyWords, dataViewOf } from "../../src/state/disk/copy-bytes.ts";
import { RecordArena } from "../../src/state/disk/record-arena.ts";

describe("disk state: records copied a word at a time", () => {
  it("copies every length and alignment exactly, between buffers that start inside a larger one", () => {
    const backing = Buffer.alloc(4096);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 151 + 7) & 255;
    // Views that start at odd offsets of their ArrayBuffers, as pooled and sliced Buffers do.
    const from = backing.subarray(3, 3000);
    const to = Buffer.alloc(1024 + 5).subarray(5);
    for (let length = 0; length <= 70; length++) {
      for (const start of [0, 1, 2, 3, 17]) {
        for (const at of [0, 1, 2, 3, 9]) {
          to.fill(0xee);
          copyWords(from, dataViewOf(from), start, start + length, to, dataViewOf(to), at);
          expect(to.subarray(at, at + length).equals(from.subarray(start, start + length))).toBe(true);
          // Nothing written around the copy.
          expect(to.subarray(0, at).every((b) => b === 0xee)).toBe(true);
          expect(to.subarray(at + length, at + length + 8).every((b) => b === 0xee)).toBe(true);
        }
      }
    }
  });

  it("an arena address keeps offsets up to 2^32 - 1 and chunk numbers apart", () => {
    for (const chunk of [0, 1, 7, 123_456]) {
      for (const offset of [0, 1, (1 << 20) - 1, 2 ** 31, 2 ** 32 - 1]) {
        expect(RecordArena.offsetOf(RecordArena.address(chunk, offset))).toBe(offset);
      }
    }
  });
});
