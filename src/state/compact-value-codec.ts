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
const MAX_DEPTH = 32;

/** No lone surrogate (UTF-8 could not carry it back). */
function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c > 0xdbff) return false;
    const d = s.charCodeAt(i + 1);
    if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
    i++;
  }
  return true;
}

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
        if (!isWellFormed(v)) return false;
        this.#byte(0x73);
        this.#string(v);
        return true;
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
          if (key === "__proto__" || !isWellFormed(key)) return false;
          this.#string(key);
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

  #string(s: string): void {
    this.#reserve(4 + s.length * 3);
    const n = this.buf.write(s, this.pos + 4, "utf8");
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4 + n;
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
      return bytes.toString("utf8", at + 5, at + 5 + n);
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
        const key = bytes.toString("utf8", p + 4, p + 4 + n);
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
