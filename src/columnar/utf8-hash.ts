/**
 * The 32-bit hash of a string's UTF-8 bytes that the JSON decoder computes as it scans a
 * string (json-line-shape.ts) and its byte interner keys on, and that a vector's dictionary
 * may carry per entry (dictHashesOf): an operator that keys on strings (dropDuplicates) then
 * hashes no string again. hashString gives the same value for a JS string.
 */

/**
 * A hash of b[start, end), four bytes at a time: each word is multiplied in and its high
 * bits folded down (a multiply alone would leave a table's index, the low bits, blind to the
 * high bytes); the last 1–3 bytes as one little-endian word; then the length and a final mix
 * (MurmurHash3's). Compiled scans compute the same value word by word as they look for the
 * string's end (json-line-shape.ts).
 */
export function hashBytes(b: Uint8Array, dv: DataView, start: number, end: number): number {
  let h = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    h = Math.imul(h ^ dv.getInt32(i, true), 0x85ebca6b);
    h ^= h >>> 15;
  }
  if (i < end) {
    let t = b[i]!;
    if (i + 1 < end) t |= b[i + 1]! << 8;
    if (i + 2 < end) t |= b[i + 2]! << 16;
    h = Math.imul(h ^ t, 0x85ebca6b);
    h ^= h >>> 15;
  }
  return finishHash(h, end - start);
}

/** The last step of hashBytes, after its words: the length mixed in. */
export function finishHash(h: number, length: number): number {
  h = Math.imul(h ^ length ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** hashBytes of the UTF-8 of s[from…]: ASCII read straight from the code units, anything else encoded first. */
export function hashString(s: string, from = 0): number {
  const n = s.length;
  let h = 0;
  let i = from;
  for (; i + 4 <= n; i += 4) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2), d = s.charCodeAt(i + 3);
    if ((a | b | c | d) >= 0x80) return hashEncoded(s, from);
    h = Math.imul(h ^ (a | (b << 8) | (c << 16) | (d << 24)), 0x85ebca6b);
    h ^= h >>> 15;
  }
  if (i < n) {
    let t = 0;
    for (let k = 0; i + k < n; k++) {
      const c = s.charCodeAt(i + k);
      if (c >= 0x80) return hashEncoded(s, from);
      t |= c << (8 * k);
    }
    h = Math.imul(h ^ t, 0x85ebca6b);
    h ^= h >>> 15;
  }
  return finishHash(h, n - from);
}

function hashEncoded(s: string, from: number): number {
  const bytes = Buffer.from(from === 0 ? s : s.slice(from), "utf8");
  return hashBytes(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
}

/** Per dictionary (a StrVec's `dict`), the hashString of each entry, where its producer knew them. */
const dictHashes = new WeakMap<readonly string[], Int32Array>();

/** Records `hashes` (hashString of each entry of `dict`, in order) for dictHashesOf. */
export function setDictHashes(dict: readonly string[], hashes: Int32Array): void {
  dictHashes.set(dict, hashes);
}

/** hashString of each entry of `dict`, if its producer recorded them (the JSON decoder does); else undefined. */
export function dictHashesOf(dict: readonly string[]): Int32Array | undefined {
  const hashes = dictHashes.get(dict);
  return hashes !== undefined && hashes.length >= dict.length ? hashes : undefined;
}
