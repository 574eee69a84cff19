import { hashString } from "../../columnar/utf8-hash.ts";
import { isWellFormed } from "../../common/well-formed-text.ts";
import type { StateKey } from "../state-store.ts";
import { copyBytes, copyWords, dataViewOf } from "./copy-bytes.ts";

/**
 * The disk engine's record, as written in run files and changelogs:
 *
 *     u32le hash1  u32le hash2  u16le keyLength  u32le valueLength (TOMBSTONE: removed)  key  value
 *
 * The key is a tag byte and its payload; the value is value-codec bytes. Key forms:
 *
 * - 's' + UTF-8 of a string key, hashed over its UTF-16 code units (the first form);
 * - 'u' + UTF-16LE code units of a string key with a lone surrogate, which UTF-8 cannot carry
 *   back (written 's' before: such a key was found by no lookup once committed), hashed as 's';
 * - 'n' + float64le of a number key;
 * - 0x01 + UTF-8 of a *UTF-8 key*: a string key hashed over its UTF-8 bytes with
 *   utf8-hash.ts's hashString, the hash the JSON decoder computes as it reads a string,
 *   so that dropDuplicates over one string column hashes nothing again (added later:
 *   records of the other forms read as before). In memory such a key is the string
 *   prefixed with U+0001 (state-store.ts's UTF8_KEY_MARK), whose UTF-8 is exactly the record's key bytes;
 *   no other key form starts with that character;
 * - 0x02 + UTF-16LE code units of a UTF-8 key whose string has a lone surrogate (as 'u' for 's').
 *
 * Both hashes come from the key (hashKey): runs are sorted by hash1, bloom filters use both.
 */
export const RECORD_HEADER_BYTES = 14;
export const TOMBSTONE = 0xffffffff;
const STRING_TAG = 0x73;
const UTF16_TAG = 0x75;
const NUMBER_TAG = 0x6e;
/** The tag byte of a UTF-8 key: UTF8_KEY_MARK's UTF-8. */
export const UTF8_TAG = 0x01;
/** The tag byte of a UTF-8 key whose string UTF-8 cannot carry back (a lone surrogate). */
export const UTF16_MARKED_TAG = 0x02;

/** Whether `key` is a UTF-8 key (UTF8_KEY_MARK + the string). */
export function isUtf8Key(key: StateKey): key is string {
  return typeof key === "string" && key.charCodeAt(0) === UTF8_TAG;
}

/** Sets keyHash to the hashes of a UTF-8 key whose string has hashString `hash`. */
export function utf8KeyHashes(hash: number): void {
  keyHash.h1 = fmix(hash ^ 0x3c6ef372);
  keyHash.h2 = (fmix(hash ^ 0x5be0cd19) | 1) >>> 0;
}

/** The two 32-bit hashes of the last hashKey call (one pair, no allocation per key). */
export const keyHash = { h1: 0, h2: 0 };

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Sets keyHash to the key's two hashes (over UTF-16 code units, or the number's bits). */
export function hashKey(key: StateKey): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  if (typeof key === "string") {
    if (key.charCodeAt(0) === UTF8_TAG) return utf8KeyHashes(hashString(key, 1));
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    a ^= key.length;
  } else {
    f64[0] = key;
    a = Math.imul(a ^ u32[0]!, 0x01000193) ^ Math.imul(a ^ u32[1]!, 0x5bd1e995);
    b = Math.imul(b ^ u32[1]!, 0x01000193) ^ Math.imul(b ^ u32[0]!, 0x5bd1e995) ^ 0x2f;
  }
  keyHash.h1 = fmix(a);
  keyHash.h2 = (fmix(b ^ 0x27d4eb2f) | 1) >>> 0;
}

/** Whether every code unit is below 0x80 (UTF-8 length = length); short keys are checked cheaply. */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The key's bytes (tag + payload). */
export function encodeKey(key: StateKey): Buffer {
  if (typeof key === "number") {
    const bytes = Buffer.allocUnsafe(9);
    bytes[0] = NUMBER_TAG;
    bytes.writeDoubleLE(key, 1);
    return bytes;
  }
  if (isUtf8Key(key)) return Buffer.from(key, "utf8");
  if (!isWellFormed(key)) return Buffer.concat([Buffer.of(UTF16_TAG), Buffer.from(key, "utf16le")]);
  const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(key));
  bytes[0] = STRING_TAG;
  bytes.write(key, 1, "utf8");
  return bytes;
}

export function decodeKey(bytes: Buffer, start: number, end: number): StateKey {
  if (bytes[start] === NUMBER_TAG) return bytes.readDoubleLE(start + 1);
  // A UTF-8 key's bytes are its in-memory form's UTF-8, mark included.
  if (bytes[start] === UTF8_TAG) return bytes.toString("utf8", start, end);
  if (bytes[start] === UTF16_TAG) return bytes.toString("utf16le", start + 1, end);
  if (bytes[start] === UTF16_MARKED_TAG) return String.fromCharCode(UTF8_TAG) + bytes.toString("utf16le", start + 1, end);
  return bytes.toString("utf8", start + 1, end);
}

/** The length of `key`'s encoding (tag + payload). */
export function keyByteLength(key: StateKey): number {
  if (typeof key === "number") return 9;
  // A UTF-8 key's mark is its tag.
  if (key.charCodeAt(0) === UTF8_TAG) {
    if (key.length <= 64 && isAscii(key)) return key.length;
    return isWellFormed(key) ? Buffer.byteLength(key) : 1 + 2 * (key.length - 1);
  }
  if (key.length <= 64 && isAscii(key)) return 1 + key.length;
  return 1 + (isWellFormed(key) ? Buffer.byteLength(key) : 2 * key.length);
}

/** The length of the UTF-8 key of string `s` (tag + UTF-8). */
export function utf8KeyByteLength(s: string): number {
  if (s.length <= 64 && isAscii(s)) return 1 + s.length;
  return 1 + (isWellFormed(s) ? Buffer.byteLength(s) : 2 * s.length);
}

/**
 * Writes the record of `key` (keyBytes: keyByteLength(key)) and `value` (null: removed) at
 * `p` of `b`, which the caller made room for; returns where it ends. Fields are written
 * byte by byte: cheaper for records this short than calls into Buffer's methods.
 */
export function writeRecordAt(b: Buffer, p: number, h1: number, h2: number, key: StateKey, keyBytes: number, value: Uint8Array | null): number {
  writeU32(b, p, h1);
  writeU32(b, p + 4, h2);
  b[p + 8] = keyBytes & 0xff;
  b[p + 9] = keyBytes >>> 8;
  writeU32(b, p + 10, value === null ? TOMBSTONE : value.length);
  p += RECORD_HEADER_BYTES;
  if (typeof key === "number") {
    b[p] = NUMBER_TAG;
    b.writeDoubleLE(key, p + 1);
  } else if (key.charCodeAt(0) === UTF8_TAG) {
    // The mark is the tag: the whole string's UTF-8.
    if (keyBytes === key.length) for (let i = 0; i < key.length; i++) b[p + i] = key.charCodeAt(i);
    else if (isWellFormed(key)) b.write(key, p, keyBytes, "utf8");
    else {
      b[p] = UTF16_MARKED_TAG;
      b.write(key.slice(1), p + 1, keyBytes - 1, "utf16le");
    }
  } else if (keyBytes - 1 === key.length) {
    // UTF-8 as long as the UTF-16 text only when every code unit is ASCII.
    b[p] = STRING_TAG;
    for (let i = 0; i < key.length; i++) b[p + 1 + i] = key.charCodeAt(i);
  } else if (isWellFormed(key)) {
    b[p] = STRING_TAG;
    b.write(key, p + 1, keyBytes - 1, "utf8");
  } else {
    b[p] = UTF16_TAG;
    b.write(key, p + 1, keyBytes - 1, "utf16le");
  }
  p += keyBytes;
  if (value !== null) {
    const n = value.length;
    if (n <= 32) for (let i = 0; i < n; i++) b[p + i] = value[i]!;
    else b.set(value, p);
    p += n;
  }
  return p;
}

/**
 * writeRecordAt for the UTF-8 key of string `s` (keyBytes: utf8KeyByteLength(s)), without
 * making its in-memory form.
 */
export function writeUtf8RecordAt(b: Buffer, p: number, h1: number, h2: number, s: string, keyBytes: number, value: Uint8Array): number {
  writeU32(b, p, h1);
  writeU32(b, p + 4, h2);
  b[p + 8] = keyBytes & 0xff;
  b[p + 9] = keyBytes >>> 8;
  writeU32(b, p + 10, value.length);
  p += RECORD_HEADER_BYTES;
  b[p] = UTF8_TAG;
  if (keyBytes - 1 === s.length) for (let i = 0; i < s.length; i++) b[p + 1 + i] = s.charCodeAt(i);
  else if (isWellFormed(s)) b.write(s, p + 1, keyBytes - 1, "utf8");
  else {
    b[p] = UTF16_MARKED_TAG;
    b.write(s, p + 1, keyBytes - 1, "utf16le");
  }
  p += keyBytes;
  const n = value.length;
  if (n <= 32) for (let i = 0; i < n; i++) b[p + i] = value[i]!;
  else b.set(value, p);
  return p + n;
}

/** A u32 little-endian, byte by byte (cheaper than a DataView call for a record header). */
export function writeU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v & 0xff;
  b[p + 1] = (v >>> 8) & 0xff;
  b[p + 2] = (v >>> 16) & 0xff;
  b[p + 3] = v >>> 24;
}

/** Appends records to growing buffers (a run file's blocks, a changelog). */
export class RecordWriter {
  #buf: Buffer;
  #view: DataView;
  #pos = 0;

  constructor(initialBytes = 1 << 16) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
    this.#view = dataViewOf(this.#buf);
  }

  get length(): number {
    return this.#pos;
  }

  /** Appends one record; `value` null is a tombstone. */
  add(h1: number, h2: number, key: Uint8Array, value: Uint8Array | null): void {
    const size = RECORD_HEADER_BYTES + key.length + (value?.length ?? 0);
    this.#reserve(size);
    const b = this.#buf;
    let p = this.#pos;
    b.writeUInt32LE(h1, p);
    b.writeUInt32LE(h2, p + 4);
    b.writeUInt16LE(key.length, p + 8);
    b.writeUInt32LE(value === null ? TOMBSTONE : value.length, p + 10);
    p += RECORD_HEADER_BYTES;
    b.set(key, p);
    p += key.length;
    if (value !== null) {
      b.set(value, p);
      p += value.length;
    }
    this.#pos = p;
  }

  /** Appends a record of `key` (encoded here, without a Buffer per key); `value` null is a tombstone. */
  addKey(h1: number, h2: number, key: StateKey, value: Uint8Array | null): void {
    const keyBytes = keyByteLength(key);
    this.#reserve(RECORD_HEADER_BYTES + keyBytes + (value?.length ?? 0));
    this.#pos = writeRecordAt(this.#buf, this.#pos, h1, h2, key, keyBytes, value);
  }

  /** Appends a record already encoded (a merge copies records as they are). */
  addRaw(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  /** Appends bytes [start, end) of `from`. */
  addRange(from: Buffer, start: number, end: number): void {
    this.#reserve(end - start);
    copyBytes(from, start, end, this.#buf, this.#pos);
    this.#pos += end - start;
  }

  /** addRange of a record, copied through `fromView` (dataViewOf(from)) a word at a time (copyWords). */
  addRecordFrom(from: Buffer, fromView: DataView, start: number, end: number): void {
    this.#reserve(end - start);
    copyWords(from, fromView, start, end, this.#buf, this.#view, this.#pos);
    this.#pos += end - start;
  }

  /** The bytes written so far (a view: valid until the next add). */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  reset(): void {
    this.#pos = 0;
  }

  #reserve(size: number): void {
    if (this.#pos + size <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + size));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
    this.#view = dataViewOf(next);
  }
}

/** The unsigned 32-bit little-endian integer at `pos` (no bounds check or call, unlike Buffer.readUInt32LE). */
export function readU32(bytes: Uint8Array, pos: number): number {
  return (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16)) + bytes[pos + 3]! * 0x1000000;
}

/** The record at `pos` of `bytes`: its fields as offsets (valueLength TOMBSTONE: removed). */
export interface RecordView {
  h1: number;
  h2: number;
  keyStart: number;
  keyEnd: number;
  valueLength: number;
  /** Offset of the next record. */
  end: number;
}

export function readRecord(bytes: Buffer, pos: number, into: RecordView): void {
  into.h1 = readU32(bytes, pos);
  into.h2 = readU32(bytes, pos + 4);
  const keyLength = bytes[pos + 8]! | (bytes[pos + 9]! << 8);
  into.valueLength = readU32(bytes, pos + 10);
  into.keyStart = pos + RECORD_HEADER_BYTES;
  into.keyEnd = into.keyStart + keyLength;
  into.end = into.keyEnd + (into.valueLength === TOMBSTONE ? 0 : into.valueLength);
}

/** Whether the key bytes of a record equal `key`'s encoding. */
export function recordKeyEquals(bytes: Buffer, view: RecordView, key: StateKey): boolean {
  if (typeof key === "number") {
    return view.keyEnd - view.keyStart === 9 && bytes[view.keyStart] === NUMBER_TAG && bytes.readDoubleLE(view.keyStart + 1) === key;
  }
  // A UTF-8 key: its string after the mark, against the bytes after the tag.
  if (key.charCodeAt(0) === UTF8_TAG) return utf8KeyEquals(bytes, view, key, 1);
  if (bytes[view.keyStart] === UTF16_TAG) return bytes.toString("utf16le", view.keyStart + 1, view.keyEnd) === key;
  if (bytes[view.keyStart] !== STRING_TAG) return false;
  // Same length in UTF-8 first (cheap), then the text.
  const length = view.keyEnd - view.keyStart - 1;
  if (length < key.length) return false;
  if (length === key.length) {
    // As long in UTF-8 as in UTF-16 code units: equal only if ASCII and equal byte for code unit (no string made).
    const start = view.keyStart + 1;
    for (let i = 0; i < length; i++) {
      const b = bytes[start + i]!;
      if (b !== key.charCodeAt(i) || b >= 0x80) return false;
    }
    return true;
  }
  return bytes.toString("utf8", view.keyStart + 1, view.keyEnd) === key;
}

/** Whether a record's key bytes are the UTF-8 key of string `s`. */
export function recordUtf8KeyEquals(bytes: Buffer, view: RecordView, s: string): boolean {
  return utf8KeyEquals(bytes, view, s, 0);
}

/** Whether a record's key is the UTF-8 key of s[from…], in either of its forms. */
function utf8KeyEquals(bytes: Buffer, view: RecordView, s: string, from: number): boolean {
  const tag = bytes[view.keyStart];
  if (tag === UTF8_TAG) return utf8KeyEqualsAt(bytes, view.keyStart + 1, view.keyEnd, s, from);
  return tag === UTF16_MARKED_TAG && bytes.toString("utf16le", view.keyStart + 1, view.keyEnd) === (from === 0 ? s : s.slice(from));
}

/** Whether bytes [start, end) are the UTF-8 of s[from…]. */
function utf8KeyEqualsAt(bytes: Buffer, start: number, end: number, s: string, from: number): boolean {
  const length = end - start;
  const chars = s.length - from;
  if (length < chars) return false;
  if (length === chars) {
    // As long in UTF-8 as in UTF-16 code units: equal only if ASCII and equal byte for code unit.
    for (let i = 0; i < length; i++) {
      const b = bytes[start + i]!;
      if (b !== s.charCodeAt(from + i) || b >= 0x80) return false;
    }
    return true;
  }
  return bytes.toString("utf8", start, end) === (from === 0 ? s : s.slice(from));
}
