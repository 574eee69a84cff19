import { keyString } from "../../columnar/key-string.ts";
import { TAG_OTHER, TAG_VALUE, type KeyColumnData } from "../group-table/key-column.ts";

/**
 * The partition of each group of some exported keys (group-table/key-column.ts), by a hash
 * of the key's values — not of its words: a string's word is a code into one table's
 * dictionary, and two files' tables code the same string differently. So every thread
 * that splits its partial groups this way sends a group to the same partition, whichever
 * file or table it came from: the owner of a partition sees all of that group's partials
 * (the exchange of a hash-partitioned aggregation, Spark's HashPartitioning of the shuffle).
 *
 * Only the threads of one query's batch need to agree on it: it is never written anywhere
 * (the state store's partitions are state-partitioning.ts', over the key string).
 */
export function keyPartitions(keys: readonly KeyColumnData[], count: number, parts: number): Uint16Array {
  const out = new Uint16Array(count);
  if (parts <= 1) return out;
  const hashes = new Int32Array(count).fill(SEED);
  for (const column of keys) mixColumn(column, count, hashes);
  for (let j = 0; j < count; j++) out[j] = (finish(hashes[j]!) >>> 0) % parts;
  return out;
}

const SEED = 0x2f1b5a3d;
const bits = new Float64Array(1);
const halves = new Int32Array(bits.buffer);

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x5bd1e995);
  return h ^ (h >>> 15);
}

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A string's hash over its UTF-16 code units. */
function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/** Mixes one key column into `hashes`: the tag, then the value (a string's characters, a number's bits, another value's keyString; a null or NaN has its tag only). */
function mixColumn(column: KeyColumnData, count: number, hashes: Int32Array): void {
  const { tags, words, strings, others } = column;
  // A column codes strings when it has any; a string's hash is computed once per code.
  const stringCodes = strings.length > 0;
  const ofCode = stringCodes ? new Int32Array(strings.length) : null;
  const known = stringCodes ? new Uint8Array(strings.length) : null;
  for (let j = 0; j < count; j++) {
    const tag = tags[j]!, w = words[j]!;
    let h = mix(hashes[j]!, tag);
    if (tag === TAG_VALUE && ofCode !== null) {
      if (known![w] === 0) { ofCode[w] = stringHash(strings[w]!); known![w] = 1; }
      h = mix(h, ofCode[w]!);
    } else if (tag === TAG_OTHER) {
      h = mix(h, stringHash(keyString([others[w]])));
    } else if (tag === TAG_VALUE) {
      bits[0] = w;
      h = mix(mix(h, halves[0]!), halves[1]!);
    }
    hashes[j] = h;
  }
}
