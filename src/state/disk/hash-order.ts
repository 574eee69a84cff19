import type { StateKey } from "../state-store.ts";
import { hashKey, keyHash, utf8KeyHashes } from "./state-record.ts";

/**
 * A batch of keys with their two hashes (state-record.ts), at the same positions. `utf8`:
 * its string keys are UTF-8 keys named by the string without UTF8_KEY_MARK (what
 * putIfAbsentUtf8 is given), so no marked string is made for a key unless a record has to
 * be compared with it.
 */
export interface HashedKeys {
  readonly keys: readonly StateKey[];
  readonly utf8: boolean;
  readonly h1s: Uint32Array;
  readonly h2s: Uint32Array;
}

/**
 * The keys of `keys` hashed (`utf8Hashes`: string keys are UTF-8 keys with these string
 * hashes), but for those `skip` marks; `asked` lists the positions hashed.
 */
export function hashBatch(keys: readonly StateKey[], utf8Hashes: Int32Array | null, skip: Uint8Array | null): { batch: HashedKeys; asked: Int32Array; numAsked: number } {
  const n = keys.length;
  const h1s = new Uint32Array(n);
  const h2s = new Uint32Array(n);
  const asked = new Int32Array(n);
  let numAsked = 0;
  for (let i = 0; i < n; i++) {
    if (skip !== null && skip[i] === 1) continue;
    const key = keys[i]!;
    if (utf8Hashes !== null && typeof key === "string") utf8KeyHashes(utf8Hashes[i]!);
    else hashKey(key);
    h1s[i] = keyHash.h1;
    h2s[i] = keyHash.h2;
    asked[numAsked++] = i;
  }
  return { batch: { keys, utf8: utf8Hashes !== null, h1s, h2s }, asked, numAsked };
}

const DIGIT_BITS = 11;
const counts = new Int32Array(1 << DIGIT_BITS);

/**
 * positions[0…n) ordered by h1s[position], stable (equal hashes keep their order): a
 * least-significant-digit radix sort, three passes of 11 bits, with each position's hash
 * carried beside it, so the cost is a few linear passes over the batch (no comparisons,
 * nothing proportional to anything but n).
 */
export function orderByHash1(h1s: Uint32Array, positions: Int32Array, n: number): Int32Array {
  let from = positions.slice(0, n);
  let to = new Int32Array(n);
  let fromHash = new Uint32Array(n);
  let toHash = new Uint32Array(n);
  for (let i = 0; i < n; i++) fromHash[i] = h1s[from[i]!]!;
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(fromHash[i]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < counts.length; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const h = fromHash[i]!;
      const at = counts[(h >>> shift) & 2047]!++;
      to[at] = from[i]!;
      toHash[at] = h;
    }
    [from, to] = [to, from];
    [fromHash, toHash] = [toHash, fromHash];
  }
  return from;
}
