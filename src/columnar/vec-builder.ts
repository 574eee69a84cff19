import { assertNever } from "../common/errors.ts";
import type { DataType, StructType } from "../types/data-types.ts";
import { bigIntOfLong } from "./long-values.ts";
import { setDictInternedIds } from "./dict-interned-ids.ts";
import { hashString, setDictHashes } from "./utf8-hash.ts";
import type { Vec } from "./vector.ts";

/**
 * Builds a Vec from internal values appended one at a time (see vector.ts for the
 * representation). Typed arrays grow by doubling; strings are dictionary-encoded as
 * they arrive, so repeated values (actions, hosts, URLs) are stored once.
 */
export class VecBuilder {
  #length = 0;
  /** Rows the arrays hold. */
  #capacity: number;
  /**
   * Validity per row, made at the first null (rows before it valid): a column without
   * nulls never writes one, and its vector has none.
   */
  #valid: Uint8Array | null = null;
  #num: Float64Array | Int32Array | null = null;
  /**
   * Longs: the exact values of the rows beyond ±(2^53−1), once there is one (vector.ts).
   * Only those rows are written here (never 0n); finish() fills the others from #num, so
   * that appending a number stays one store, as for every other numeric column.
   */
  #exact: BigInt64Array | null = null;
  #isLong = false;
  #bool: Uint8Array | null = null;
  #codes: Int32Array | null = null;
  #dict: string[] | null = null;
  #dictIndex: Map<string, number> | null = null;
  /**
   * hashString of each dictionary entry, once a decoder handed one with its string
   * (appendInterned, appendFresh): recorded for the vector's dictionary (dictHashesOf).
   */
  #hashes: Int32Array | null = null;
  /** appendInterned: code + 1 per interner id (0: not seen yet), for the interner generation #idGeneration. */
  #codeOfId = new Int32Array(0);
  #idGeneration = -1;
  /** appendInterned: the interner id of each dictionary code (-1: none in #idGeneration), for the vector (dict-interned-ids.ts). */
  #idOfCode: Int32Array | null = null;
  #children: VecBuilder[] | null = null;
  #objects: unknown[] | null = null;

  constructor(readonly type: DataType, capacity = 1024) {
    const cap = Math.max(capacity, 16);
    this.#capacity = cap;
    switch (type.kind) {
      case "byte": case "short": case "int": case "date": case "interval_ym": this.#num = new Int32Array(cap); break;
      // Timestamps are longs of µs: beyond ±2^53 they keep exact values too.
      case "long": case "timestamp": case "timestamp_ntz": this.#num = new Float64Array(cap); this.#isLong = true; break;
      case "float": case "double": case "interval_dt": this.#num = new Float64Array(cap); break;
      case "boolean": this.#bool = new Uint8Array(cap); break;
      case "string": this.#codes = new Int32Array(cap); this.#dict = []; this.#dictIndex = new Map(); break;
      case "struct": this.#children = type.fields.map((f) => new VecBuilder(f.dataType, cap)); break;
      // Decimals: unscaled bigints (decimal-values.ts); calendar intervals: objects.
      case "null": case "binary": case "array": case "map": case "decimal": case "interval": this.#objects = []; break;
      default: assertNever(type, "data type");
    }
  }

  get length(): number {
    return this.#length;
  }

  #grow(): void {
    const cap = (this.#capacity *= 2);
    const grow = <T extends Uint8Array | Int32Array | Float64Array | BigInt64Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(cap);
      (b as { set(a: T): void }).set(a);
      return b;
    };
    if (this.#valid) this.#valid = grow(this.#valid);
    if (this.#num) this.#num = grow(this.#num);
    if (this.#exact) this.#exact = grow(this.#exact);
    if (this.#bool) this.#bool = grow(this.#bool);
    if (this.#codes) this.#codes = grow(this.#codes);
  }

  appendNull(): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid === null) {
      this.#valid = new Uint8Array(this.#capacity);
      this.#valid.fill(1, 0, i);
    }
    this.#valid[i] = 0;
    if (this.#num) this.#num[i] = 0;
    if (this.#children) for (const c of this.#children) c.appendNull();
    if (this.#objects) this.#objects.push(null);
  }

  /** Appends an internal value (number, string, boolean, struct object, JS array…); null/undefined for null. */
  append(value: unknown): void {
    if (value === null || value === undefined) return this.appendNull();
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid !== null) this.#valid[i] = 1;
    if (this.#num) {
      if (this.#isLong) this.#appendLong(i, value as number | bigint);
      else this.#num[i] = typeof value === "bigint" ? Number(value) : (value as number);
    } else if (this.#bool) this.#bool[i] = value ? 1 : 0;
    else if (this.#codes) this.#codes[i] = this.#code(value as string);
    else if (this.#children) {
      const fields = (this.type as StructType).fields;
      const obj = value as Record<string, unknown>;
      for (let k = 0; k < fields.length; k++) this.#children[k]!.append(obj[fields[k]!.name]);
    } else this.#objects!.push(value);
  }

  #appendLong(i: number, value: number | bigint): void {
    if (typeof value === "bigint") {
      if (value >= -9007199254740991n && value <= 9007199254740991n) value = Number(value);
      else {
        this.#num![i] = Number(value);
        this.#exactArray()[i] = value;
        return;
      }
    }
    this.#num![i] = value;
  }

  #exactArray(): BigInt64Array {
    return (this.#exact ??= new BigInt64Array(this.#num!.length));
  }

  /** Fast paths for decoders that know the type. */
  appendNumber(value: number): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid !== null) this.#valid[i] = 1;
    this.#num![i] = value;
  }

  appendString(value: string): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid !== null) this.#valid[i] = 1;
    this.#codes![i] = this.#code(value);
  }

  /**
   * Appends a string a decoder interned as `id` (ids are dense and stable within the
   * interner's `generation`): the dictionary code is then found by index, not by hashing.
   * A string the builder also got by appendString, or under another generation, may get a
   * second dictionary entry (dictionaries may repeat a string, vector.ts). `hash` is
   * hashString(value): an interner keeps no string that decoding changed (invalid UTF-8),
   * so the hash of its bytes is the string's.
   */
  appendInterned(value: string, id: number, generation: number, hash: number): void {
    let map = this.#codeOfId;
    if (generation !== this.#idGeneration) {
      map = this.#codeOfId = new Int32Array(Math.max(256, id + 1));
      this.#idGeneration = generation;
      this.#idOfCode?.fill(-1); // the entries so far carry ids of another generation
    } else if (id >= map.length) {
      const grown = new Int32Array(Math.max(map.length * 2, id + 1));
      grown.set(map);
      map = this.#codeOfId = grown;
    }
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid !== null) this.#valid[i] = 1;
    let code = map[id]! - 1;
    if (code < 0) {
      // An id new to this builder is a string new to it in this generation: no lookup.
      code = this.#newHashedEntry(value, hash);
      map[id] = code + 1;
      let ids = this.#idOfCode;
      if (ids === null || code >= ids.length) ids = this.#growIdOfCode(code + 1);
      ids[code] = id;
    }
    this.#codes![i] = code;
  }

  /**
   * Appends a string a decoder takes to be new (a column of mostly unique values, which
   * its interner no longer keeps): a dictionary entry of its own, without the lookup.
   * Dictionaries may repeat a string (vector.ts), so a guess that was wrong costs memory only.
   */
  appendFresh(value: string, hash: number): void {
    if (this.#length === this.#capacity) this.#grow();
    const i = this.#length++;
    if (this.#valid !== null) this.#valid[i] = 1;
    this.#codes![i] = this.#newEntry(value, hash);
  }

  /**
   * A dictionary entry for `value` (`hash`: hashBytes of the bytes it was decoded from), not
   * looked up: its code. Bytes that were not valid UTF-8 decode to U+FFFD, whose UTF-8 differs
   * from them: such a string is hashed again, so that the hash is always its hashString.
   */
  #newEntry(value: string, hash: number): number {
    return this.#newHashedEntry(value, value.indexOf("\uFFFD") < 0 ? hash : hashString(value));
  }

  /** A dictionary entry for `value`, whose hashString is `hash`, not looked up: its code. */
  #newHashedEntry(value: string, hash: number): number {
    const dict = this.#dict!;
    const code = dict.length;
    dict.push(value);
    let hashes = this.#hashes;
    if (hashes === null || code >= hashes.length) hashes = this.#growHashes(code + 1);
    hashes[code] = hash;
    return code;
  }

  /** Room for `n` hashes; entries made before hashes were kept get theirs computed. */
  #growHashes(n: number): Int32Array {
    const old = this.#hashes;
    const hashes = new Int32Array(Math.max(n, 2 * (old?.length ?? 0), 256));
    if (old !== null) hashes.set(old);
    else for (let c = 0; c < this.#dict!.length; c++) hashes[c] = hashString(this.#dict![c]!);
    return (this.#hashes = hashes);
  }

  /** Room for `n` interner ids; entries made before (or without) one have -1. */
  #growIdOfCode(n: number): Int32Array {
    const old = this.#idOfCode;
    const ids = new Int32Array(Math.max(n, 2 * (old?.length ?? 0), 256)).fill(-1);
    if (old !== null) ids.set(old);
    return (this.#idOfCode = ids);
  }

  #code(value: string): number {
    let code = this.#dictIndex!.get(value);
    if (code === undefined) {
      code = this.#dict!.length;
      this.#dict!.push(value);
      this.#dictIndex!.set(value, code);
      if (this.#hashes !== null) {
        if (code >= this.#hashes.length) this.#growHashes(code + 1);
        this.#hashes[code] = hashString(value);
      }
    }
    return code;
  }

  finish(): Vec {
    const n = this.#length;
    const valid = this.#valid === null ? null : fit(this.#valid, n);
    const type = this.type;
    if (this.#exact) {
      const exact = fit(this.#exact, n), num = this.#num!;
      for (let i = 0; i < n; i++) if (exact[i] === 0n) exact[i] = bigIntOfLong(num[i]!);
      return { kind: "num", type, length: n, values: fit(num, n), exact, valid };
    }
    if (this.#num) return { kind: "num", type, length: n, values: fit(this.#num, n), valid };
    if (this.#bool) return { kind: "bool", type, length: n, values: fit(this.#bool, n), valid };
    if (this.#codes) {
      if (this.#hashes !== null) setDictHashes(this.#dict!, this.#hashes.subarray(0, this.#dict!.length));
      if (this.#idOfCode !== null) {
        const ids = this.#idOfCode.length >= this.#dict!.length ? this.#idOfCode : this.#growIdOfCode(this.#dict!.length);
        setDictInternedIds(this.#dict!, this.#idGeneration, ids.subarray(0, this.#dict!.length));
      }
      return { kind: "str", type, length: n, codes: fit(this.#codes, n), dict: this.#dict!, valid };
    }
    if (this.#children) {
      return { kind: "struct", type: type as StructType, length: n, children: this.#children.map((c) => c.finish()), valid };
    }
    return { kind: "obj", type, length: n, values: this.#objects!, valid };
  }
}

/**
 * The first n values: a view when they fill most of the array (no copy; a builder is
 * finished once), a copy when most of it would be wasted memory.
 */
function fit<T extends Float64Array | Int32Array | Uint8Array | BigInt64Array>(a: T, n: number): T {
  return (n * 2 >= a.length ? a.subarray(0, n) : a.slice(0, n)) as T;
}
