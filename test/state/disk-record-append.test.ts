import { describe, expect, it } from "vitest";
import { appendRecord, utf8KeyRecordRoom, writeUtf8KeyRecord } from "../../src/state/disk/record-append.ts";
import { RecordArena } from "../../src/state/disk/record-arena.ts";
import { keyByteLength, RECORD_HEADER_BYTES, utf8KeyByteLength, writeRecordAt, writeUtf8RecordAt } from "../../src/state/disk/state-record.ts";
import { encodeValue } from "../../src/state/value-codec.ts";

/** The record writeUtf8RecordAt writes (the format's reference writer). */
function reference(h1: number, h2: number, s: string, value: Uint8Array): Buffer {
  const keyBytes = utf8KeyByteLength(s);
  const b = Buffer.alloc(RECORD_HEADER_BYTES + keyBytes + value.length);
  writeUtf8RecordAt(b, 0, h1, h2, s, keyBytes, value);
  return b;
}

const strings = [
  "", "a", "u3k9f-xxxxxx1a2b", "x".repeat(63), "y".repeat(64), "z".repeat(65), "z".repeat(300),
  "café", "\u00ff", "\u0080abc", "abc\u07ff", "日本語のキー", "emoji 😀 key", "lone \ud800 surrogate", "\udc00", "tab\tand\nnewline", "\u0001marked",
];

describe("records appended in one pass", () => {
  it("writeUtf8KeyRecord writes writeUtf8RecordAt's bytes, within utf8KeyRecordRoom, for ASCII and other text", () => {
    const random = (n: number): string => Array.from({ length: n }, (_, i) => String.fromCharCode((i * 7919 + n * 31) % 3 === 0 ? 0x20 + ((i * 13) % 95) : [0xe9, 0x3042, 0xd83d, 0x7f, 0x80][(i + n) % 5]!)).join("");
    const all = [...strings, ...Array.from({ length: 60 }, (_, n) => random(n))];
    for (const s of all) {
      for (const value of [encodeValue(1.7e15), encodeValue({ a: [1, "two"] }), new Uint8Array(0)]) {
        const want = reference(0xdeadbeef, 0x12345679, s, value);
        const room = utf8KeyRecordRoom(s, value.length);
        const b = Buffer.alloc(room + 8, 0xaa);
        const length = writeUtf8KeyRecord(b, 3, 0xdeadbeef, 0x12345679, s, value);
        expect(length, JSON.stringify(s)).toBe(want.length);
        expect(b.subarray(3, 3 + length).equals(want), JSON.stringify(s)).toBe(true);
        expect(length).toBeLessThanOrEqual(room);
        // Nothing before the record is touched.
        expect([...b.subarray(0, 3)]).toEqual([0xaa, 0xaa, 0xaa]);
      }
    }
  });

  it("appendRecord lays records end to end in the arena, each in one chunk, as the format's writers would", () => {
    const arena = new RecordArena();
    const written: Buffer[] = [];
    const where: Array<[number, number, number]> = [];
    for (let i = 0; i < 40_000; i++) {
      const utf8 = i % 3 !== 2;
      const key = i % 5 === 0 ? i * 1.5 : `${strings[i % strings.length]}-${i}`;
      const value = encodeValue(i % 7 === 0 ? { i } : i);
      const length = appendRecord(arena, key, utf8 && typeof key === "string", i, i * 3 + 1, value);
      where.push([arena.chunks.length - 1, arena.start, length]);
      const keyBytes = utf8 && typeof key === "string" ? utf8KeyByteLength(key) : keyByteLength(key);
      const want = Buffer.alloc(RECORD_HEADER_BYTES + keyBytes + value.length);
      if (utf8 && typeof key === "string") writeUtf8RecordAt(want, 0, i, i * 3 + 1, key, keyBytes, value);
      else writeRecordAt(want, 0, i, i * 3 + 1, key, keyBytes, value);
      written.push(want);
    }
    expect(arena.chunks.length).toBeGreaterThan(1);
    let total = 0;
    for (let i = 0; i < written.length; i++) {
      const [c, start, length] = where[i]!;
      expect(arena.chunks[c]!.subarray(start, start + length).equals(written[i]!)).toBe(true);
      total += length;
    }
    expect(arena.bytes).toBe(total);
    // The arena's bytes since the start are exactly the records, in order (what a changelog copies).
    const mark = { chunks: 0, pos: 0, lastUsed: 0, bytes: 0 };
    const slices = Buffer.concat(arena.slicesSince(mark).map(([chunk, start, end]) => chunk.subarray(start, end)));
    expect(slices.equals(Buffer.concat(written))).toBe(true);
  });
});
