import { StateError } from "../../common/errors.ts";
import { REMOVED, type StateChanges } from "../change-overlay.ts";
import { decodeValue, encodeNumberInto, encodeValueShared } from "../value-codec.ts";
import { decodeKey, hashKey, keyHash, readRecord, RecordWriter, TOMBSTONE, type RecordView } from "./state-record.ts";

/**
 * `<version>.changelog` of the disk provider: one version's puts and removes, as records
 * of state-record.ts (no JSON, no per-row serializer call for numbers):
 *
 *     "RVCL" u8 formatVersion(1) f64le numKeysAfter u32le numRecords  records…  "END."
 */
const MAGIC = "RVCL";
const FORMAT_VERSION = 1;
const HEADER_BYTES = 17;
const END = "END.";

export function encodeChangelog<V>(changes: StateChanges<V>, numKeysAfter: number): Buffer {
  const writer = new RecordWriter(HEADER_BYTES + changes.size * 48 + 4);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "latin1");
  header[4] = FORMAT_VERSION;
  header.writeDoubleLE(numKeysAfter, 5);
  header.writeUInt32LE(changes.size, 13);
  writer.addRaw(header);
  const scratch = Buffer.allocUnsafe(9);
  for (const [key, change] of changes) {
    hashKey(key);
    const value = change === REMOVED ? null : typeof change === "number" ? encodeNumberInto(scratch, change) : encodeValueShared(change);
    writer.addKey(keyHash.h1, keyHash.h2, key, value);
  }
  writer.addRaw(Buffer.from(END, "latin1"));
  return Buffer.from(writer.bytes());
}

/** Calls `onRecord` with each record's [start, end) in bytes this process encoded (encodeChangelog). */
export function forEachChangelogRecord(bytes: Buffer, onRecord: (start: number, end: number) => void): void {
  const view: RecordView = { h1: 0, h2: 0, keyStart: 0, keyEnd: 0, valueLength: 0, end: 0 };
  const numRecords = bytes.readUInt32LE(13);
  let pos = HEADER_BYTES;
  for (let i = 0; i < numRecords; i++) {
    readRecord(bytes, pos, view);
    onRecord(pos, view.end);
    pos = view.end;
  }
}

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
