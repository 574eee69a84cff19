import { deserialize, serialize } from "node:v8";
import { CompactWriter, readCompact } from "./compact-value-codec.ts";

const NUMBER = 0x01;
const SERIALIZED = 0x02;
const COMPACT = 0x03;

const compact = new CompactWriter();
const compactEnd = { pos: 0 };
const numberScratch = Buffer.allocUnsafe(9);

/**
 * A state value as bytes in the disk-backed store: numbers (dedup's event times, counts)
 * as a tag and a float64, plain objects and arrays of primitives in the compact form
 * (compact-value-codec.ts), anything else as a tag and its node:v8 serialization.
 */
export function encodeValue(value: unknown): Buffer {
  return Buffer.from(encodeValueShared(value));
}

/** encodeValue into a buffer shared by every call: the bytes are valid until the next call. */
export function encodeValueShared(value: unknown): Buffer {
  if (typeof value === "number") return encodeNumberInto(numberScratch, value);
  compact.pos = 1; // the tag's byte
  if (compact.write(value)) {
    compact.buf[0] = COMPACT;
    return compact.buf.subarray(0, compact.pos);
  }
  const body = serialize(value);
  const bytes = Buffer.allocUnsafe(body.length + 1);
  bytes[0] = SERIALIZED;
  body.copy(bytes, 1);
  return bytes;
}

/** The value encoded in `bytes` (which may be a buffer the engine reuses: it is read now). */
export function decodeValue<V>(bytes: Uint8Array): V {
  if (bytes[0] === NUMBER) return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat64(1, true) as V;
  if (bytes[0] === COMPACT) {
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return readCompact(buf, 1, compactEnd) as V;
  }
  // node:v8 gives typed arrays as views of the bytes it reads: copied first, so that a value
  // read back never shares a buffer the store (or lmdb) reuses or hands out again; an ArrayBuffer
  // of its own, not a slab of Buffer's pool that other values' bytes share.
  if (bytes[0] === SERIALIZED) return deserialize(new Uint8Array(bytes.subarray(1))) as V;
  throw new Error(`unknown state value tag ${bytes[0]}`);
}

/** Encodes a number as encodeValue does, into `scratch` (9 bytes, reused: no allocation per value). */
export function encodeNumberInto(scratch: Buffer, value: number): Buffer {
  scratch[0] = NUMBER;
  scratch.writeDoubleLE(value, 1);
  return scratch;
}
