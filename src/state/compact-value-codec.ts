/**
 * A compact binary form for the state values operators keep most (plain objects and dense
 * arrays of numbers, strings, booleans and null, nested): written into a reused buffer, with
 * no native call per value. node:v8's serializer allocates native memory per value, and a
 * commit of 50,000 session states left hundreds of MiB of freed native memory resident
 * (see benchmarks/RESULTS.md). `writeCompact` returns false for anything else (Dates, Maps,
 * bigints, typed arrays, class instances, sparse arrays, strings with lone surrogates), which
 * keeps the v8 form.
 *
 *     value := 'n' f64le | 's' u32le length utf8 | 't' | 'f' | 'z' (null) | 'u' (undefined)
 *            | 'a' u32le count value… | 'o' u32le count (u32le length utf8 key, value)…
 */
import { isWellFormed } from "../common/well-formed-text.ts";

const MAX_DEPTH = 32;
/** Strings up to this length are written and read in a JS loop when they are ASCII. */
const ASCII_LOOP_MAX = 24;

export class CompactWriter {
  buf = Buffer.allocUnsafe(1 << 12);
  pos = 0;

  /** Appends `value`; false (and the position unchanged) when it has no compact form. */
  write(value: unknown): boolean {
    const start = this.pos;
    if (this.#value(value, 0)) return true;
    this.pos = start;
    return false;
  }

  #value(v: unknown, depth: number): boolean {
    switch (typeof v) {
      case "number":
        this.#reserve(9);
        this.buf[this.pos] = 0x6e;
        this.buf.writeDoubleLE(v, this.pos + 1);
        this.pos += 9;
        return true;
      case "string":
        this.#byte(0x73);
        return this.#string(v);
      case "boolean":
        this.#byte(v ? 0x74 : 0x66);
        return true;
      case "undefined":
        this.#byte(0x75);
        return true;
      case "object": {
        if (v === null) {
          this.#byte(0x7a);
          return true;
        }
        if (depth >= MAX_DEPTH) return false;
        if (Array.isArray(v)) {
          if (Object.keys(v).length !== v.length) return false; // holes or extra properties
          this.#byte(0x61);
          this.#u32(v.length);
          for (const item of v) if (!this.#value(item, depth + 1)) return false;
          return true;
        }
        if (Object.getPrototypeOf(v) !== Object.prototype) return false;
        const keys = Object.keys(v);
        this.#byte(0x6f);
        this.#u32(keys.length);
        for (const key of keys) {
          if (key === "__proto__" || !this.#string(key)) return false;
          if (!this.#value((v as Record<string, unknown>)[key], depth + 1)) return false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  #byte(b: number): void {
    this.#reserve(1);
    this.buf[this.pos++] = b;
  }

  #u32(n: number): void {
    this.#reserve(4);
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4;
  }

  /** Appends `s` as u32le length and UTF-8; false when it cannot be UTF-8 (a lone surrogate). */
  #string(s: string): boolean {
    const len = s.length;
    this.#reserve(4 + len * 3);
    const buf = this.buf;
    const at = this.pos + 4;
    // Short ASCII strings (object keys, ids) byte by byte: a native write per string costs
    // more than the copy.
    if (len <= ASCII_LOOP_MAX) {
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === len) {
        buf.writeUInt32LE(len, this.pos);
        this.pos = at + len;
        return true;
      }
    }
    if (!isWellFormed(s)) return false;
    const n = buf.write(s, at, "utf8");
    buf.writeUInt32LE(n, this.pos);
    this.pos = at + n;
    return true;
  }

  #reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Reads the compact value at `at` of `bytes`; `end` receives the offset after it. */
export function readCompact(bytes: Buffer, at: number, end: { pos: number }): unknown {
  const tag = bytes[at];
  switch (tag) {
    case 0x6e:
      end.pos = at + 9;
      return bytes.readDoubleLE(at + 1);
    case 0x73: {
      const n = bytes.readUInt32LE(at + 1);
      end.pos = at + 5 + n;
      return readString(bytes, at + 5, n);
    }
    case 0x74: end.pos = at + 1; return true;
    case 0x66: end.pos = at + 1; return false;
    case 0x7a: end.pos = at + 1; return null;
    case 0x75: end.pos = at + 1; return undefined;
    case 0x61: {
      const count = bytes.readUInt32LE(at + 1);
      const out = new Array<unknown>(count);
      end.pos = at + 5;
      for (let i = 0; i < count; i++) out[i] = readCompact(bytes, end.pos, end);
      return out;
    }
    case 0x6f: {
      const count = bytes.readUInt32LE(at + 1);
      const out: Record<string, unknown> = {};
      let p = at + 5;
      for (let i = 0; i < count; i++) {
        const n = bytes.readUInt32LE(p);
        const key = objectKey(bytes, p + 4, n);
        out[key] = readCompact(bytes, p + 4 + n, end);
        p = end.pos;
      }
      end.pos = p;
      return out;
    }
    default:
      throw new Error(`unknown compact state value tag ${tag} at ${at}`);
  }
}

/** The string of `n` UTF-8 bytes at `at`: short ASCII ones decoded here, the rest natively. */
function readString(bytes: Buffer, at: number, n: number): string {
  if (n > ASCII_LOOP_MAX) return bytes.toString("utf8", at, at + n);
  let s = "";
  for (let i = 0; i < n; i++) {
    const c = bytes[at + i]!;
    if (c >= 0x80) return bytes.toString("utf8", at, at + n);
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Object keys repeat in every value of an operator's state ("start", "end", …): the last
 * key seen for each hash of the bytes is kept, and returned again when the bytes match, so
 * that reading a value does not make its key strings anew.
 */
const KEY_SLOTS = 256;
const keyCache: string[] = new Array<string>(KEY_SLOTS).fill("");

function objectKey(bytes: Buffer, at: number, n: number): string {
  if (n > ASCII_LOOP_MAX) return bytes.toString("utf8", at, at + n);
  let h = n;
  for (let i = 0; i < n; i++) h = (h * 31 + bytes[at + i]!) | 0;
  const slot = (h ^ (h >>> 8)) & (KEY_SLOTS - 1);
  const cached = keyCache[slot]!;
  if (cached.length === n) {
    let i = 0;
    while (i < n && cached.charCodeAt(i) === bytes[at + i]) i++;
    if (i === n) return cached;
  }
  const key = readString(bytes, at, n);
  if (key.length === n) keyCache[slot] = key; // ASCII only: then equal code units mean equal bytes
  return key;
}
