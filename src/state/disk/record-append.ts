import { isWellFormed } from "../../common/well-formed-text.ts";
import type { StateKey } from "../state-store.ts";
import type { RecordArena } from "./record-arena.ts";
import {
  keyByteLength, RECORD_HEADER_BYTES, UTF16_MARKED_TAG, UTF8_TAG, utf8KeyByteLength, writeRecordAt, writeU32, writeUtf8RecordAt,
} from "./state-record.ts";

/** UTF-8 keys of strings up to this long are written by writeUtf8KeyRecord (into room for 3 bytes a code unit); longer ones as before. */
const ONE_PASS_CHARS = 64;

/**
 * Appends the record of `key` (`utf8`: the UTF-8 key of that string) and `value` to the
 * arena's last chunk (RecordArena.start: where it begins); returns its length.
 */
export function appendRecord(arena: RecordArena, key: StateKey, utf8: boolean, h1: number, h2: number, value: Uint8Array): number {
  if (utf8 && (key as string).length <= ONE_PASS_CHARS) {
    // Written in one pass into room for the longest it can be, then as much taken as it is.
    const c = arena.room(utf8KeyRecordRoom(key as string, value.length));
    const length = writeUtf8KeyRecord(arena.chunks[c]!, arena.start, h1, h2, key as string, value);
    arena.advance(length);
    return length;
  }
  const keyBytes = utf8 ? utf8KeyByteLength(key as string) : keyByteLength(key);
  const length = RECORD_HEADER_BYTES + keyBytes + value.length;
  const c = arena.take(length);
  if (utf8) writeUtf8RecordAt(arena.chunks[c]!, arena.start, h1, h2, key as string, keyBytes, value);
  else writeRecordAt(arena.chunks[c]!, arena.start, h1, h2, key, keyBytes, value);
  return length;
}

/** The most bytes writeUtf8KeyRecord writes for string `s` and a value of `valueLength` bytes. */
export function utf8KeyRecordRoom(s: string, valueLength: number): number {
  return RECORD_HEADER_BYTES + 1 + 3 * s.length + valueLength;
}

/**
 * Writes the record of the UTF-8 key of string `s` (state-record.ts: the same bytes as
 * writeUtf8RecordAt) and `value` at `p` of `b`, which has utf8KeyRecordRoom(s, value.length)
 * bytes there; returns the record's length. One pass over the string for ASCII text (its
 * code units are its bytes: copied while checked), where writeUtf8RecordAt needs its length
 * first (a pass to check it is ASCII, a second to copy it); other text is written again by
 * Buffer's UTF-8 encoder over the bytes copied.
 */
export function writeUtf8KeyRecord(b: Buffer, p: number, h1: number, h2: number, s: string, value: Uint8Array): number {
  const k = p + RECORD_HEADER_BYTES;
  b[k] = UTF8_TAG;
  const n = s.length;
  let any = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    b[k + 1 + i] = c;
    any |= c;
  }
  // A code unit past 0x7f (truncated by the byte store above) makes `any` say so; a lone
  // surrogate, which UTF-8 cannot carry back, takes the UTF-16 form (state-record.ts).
  let keyBytes = 1 + n;
  if (any >= 0x80) {
    if (isWellFormed(s)) keyBytes = 1 + b.write(s, k + 1, 3 * n, "utf8");
    else {
      b[k] = UTF16_MARKED_TAG;
      keyBytes = 1 + b.write(s, k + 1, 2 * n, "utf16le");
    }
  }
  writeU32(b, p, h1);
  writeU32(b, p + 4, h2);
  b[p + 8] = keyBytes & 0xff;
  b[p + 9] = keyBytes >>> 8;
  const m = value.length;
  writeU32(b, p + 10, m);
  const v = k + keyBytes;
  for (let i = 0; i < m; i++) b[v + i] = value[i]!;
  return RECORD_HEADER_BYTES + keyBytes + m;
}
