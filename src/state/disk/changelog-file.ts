import { StateError } from "../../common/errors.ts";
import type { StateKey } from "../state-store.ts";
import type { Memtable } from "./memtable.ts";
import { REMOVED, type StateChanges } from "../change-overlay.ts";
import { decodeValue, encodeNumberInto, encodeValueShared } from "../value-codec.ts";
import { decodeKey, hashKey, keyHash, readRecord, TOMBSTONE, type RecordView } from "./state-record.ts";

/**
 * `<version>.changelog` of the disk provider: one version's puts and removes, as records
 * of state-record.ts (no JSON, no per-row serializer call for numbers):
 *
 *     "RVCL" u8 formatVersion(1) f64le numKeysAfter u32le numRecords  records…  "END."
 *
 * This process writes a version's records as its memtable holds them: the keys putIfAbsent
 * added, in hash1-sorted stretches, then the puts and removes sorted by hash1 (the memtable
 * merges sorted stretches at a flush); readers do not rely on it, so changelogs written in
 * any order still load.
 */
const MAGIC = "RVCL";
const FORMAT_VERSION = 1;
const HEADER_BYTES = 17;
const END = "END.";

/**
 * Appends a version's puts and removes (the change overlay) to the memtable as pending
 * records, sorted by hash1, after the keys its putIfAbsent added: a key in both gets two
 * records and the later one wins, in the memtable as in the changelog.
 */
export function putPendingChanges<V>(mem: Memtable, changes: StateChanges<V>): void {
  const n = changes.size;
  if (n === 0) return;
  const keys = new Array<StateKey>(n);
  const values = new Array<V | typeof REMOVED>(n);
  const h1s = new Uint32Array(n);
  const h2s = new Uint32Array(n);
  let i = 0;
  for (const [key, change] of changes) {
    hashKey(key);
    keys[i] = key;
    values[i] = change;
    h1s[i] = keyHash.h1;
    h2s[i] = keyHash.h2;
    i++;
  }
  // In hash1 order: the memtable keeps the records as they are and merges sorted stretches at a flush.
  const order = orderByHash(h1s);
  const scratch = Buffer.allocUnsafe(9);
  for (let j = 0; j < n; j++) {
    const at = order[j]!;
    const change = values[at]!;
    const value = change === REMOVED ? null : typeof change === "number" ? encodeNumberInto(scratch, change) : encodeValueShared(change);
    mem.putPending(keys[at]!, h1s[at]!, h2s[at]!, value);
  }
}

/** The changelog of the memtable's pending records (the version's), copied as they are. */
export function encodePendingChangelog(mem: Memtable, numKeysAfter: number): Buffer {
  const slices = mem.pendingSlices();
  let bytes = HEADER_BYTES + 4;
  for (const [, start, end] of slices) bytes += end - start;
  const out = Buffer.allocUnsafe(bytes);
  out.write(MAGIC, 0, "latin1");
  out[4] = FORMAT_VERSION;
  out.writeDoubleLE(numKeysAfter, 5);
  out.writeUInt32LE(mem.pendingRecords, 13);
  let pos = HEADER_BYTES;
  for (const [chunk, start, end] of slices) pos += chunk.copy(out, pos, start, end);
  out.write(END, pos, "latin1");
  return out;
}

/** Positions 0…n-1 in ascending order of `hashes`; equal hashes keep their order. */
export function orderByHash(hashes: Uint32Array): Int32Array {
  const n = hashes.length;
  const order = new Int32Array(n);
  if (n >= PACKED_SORT_LIMIT) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order.sort((a, b) => hashes[a]! - hashes[b]! || a - b);
  }
  // hash · 2^21 + position is exact in a float64: one typed-array sort, no comparator calls.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = hashes[i]! * PACKED_SORT_LIMIT + i;
  packed.sort();
  for (let i = 0; i < n; i++) {
    const p = packed[i]!;
    order[i] = p - Math.floor(p / PACKED_SORT_LIMIT) * PACKED_SORT_LIMIT;
  }
  return order;
}

const PACKED_SORT_LIMIT = 1 << 21;

/**
 * Checks a changelog read from the checkpoint (header, end marker, every record whole and
 * its value readable), then calls `onRecord` with each record's [start, end); returns the
 * key count after the version.
 */
export function readChangelog(bytes: Buffer, file: string, onRecord: (start: number, end: number) => void): number {
  const corrupt = (what: string, cause?: unknown): StateError =>
    new StateError(`state changelog ${file} is corrupt: ${what}`, cause === undefined ? undefined : { cause });
  if (bytes.length < HEADER_BYTES + 4 || bytes.toString("latin1", 0, 4) !== MAGIC) throw corrupt("it does not start with the changelog header");
  if (bytes[4] !== FORMAT_VERSION) throw corrupt(`format version ${bytes[4]} is not supported (this rivulet reads version ${FORMAT_VERSION})`);
  if (bytes.toString("latin1", bytes.length - 4) !== END) throw corrupt("it does not end with the end marker (truncated)");
  const numKeys = bytes.readDoubleLE(5);
  const numRecords = bytes.readUInt32LE(13);
  const view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  const end = bytes.length - 4;
  let pos = HEADER_BYTES;
  for (let i = 0; i < numRecords; i++) {
    if (pos >= end) throw corrupt(`it holds ${i} of its ${numRecords} records`);
    readRecord(bytes, pos, view);
    if (view.end > end) throw corrupt(`record ${i} is cut off`);
    try {
      decodeKey(bytes, view.keyStart, view.keyEnd);
      if (view.valueLength !== TOMBSTONE) decodeValue(bytes.subarray(view.keyEnd, view.end));
    } catch (error) {
      throw corrupt(`record ${i} cannot be read`, error);
    }
    onRecord(pos, view.end);
    pos = view.end;
  }
  if (pos !== end) throw corrupt("there are bytes after its records");
  return numKeys;
}
