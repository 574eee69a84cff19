import { ConnectorError } from "../../common/errors.ts";

/**
 * Avro's Netty transport framing (Java `NettyTransportCodec`): a frame is a big-endian
 * int32 serial, a big-endian int32 count of buffers, then each buffer as a big-endian
 * int32 length and its bytes. No terminator. A reply carries its request's serial.
 * The buffers of a frame together form one Avro call; values may straddle them.
 */
export interface NettyFrame {
  readonly serial: number;
  readonly buffers: readonly Buffer[];
}

/** The largest serial: Java's serial is an int that counts up. */
export const MAX_SERIAL = 0x7fffffff;

/** Java's Requestor and Responder write calls into 8 KiB buffers. */
export const NETTY_BUFFER_SIZE = 8192;

/** A frame-level protocol violation: the connection cannot be trusted any more. */
export class FrameError extends ConnectorError {}

export function encodeNettyFrame(frame: NettyFrame): Buffer {
  let size = 8;
  for (const b of frame.buffers) size += 4 + b.length;
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(frame.serial | 0, 0);
  out.writeInt32BE(frame.buffers.length, 4);
  let pos = 8;
  for (const b of frame.buffers) {
    out.writeInt32BE(b.length, pos);
    b.copy(out, pos + 4);
    pos += 4 + b.length;
  }
  return out;
}

/** `data` cut into buffers of at most `size` bytes, as Java's ByteBufferOutputStream does. */
export function splitIntoBuffers(data: Buffer, size = NETTY_BUFFER_SIZE): Buffer[] {
  if (data.length === 0) return [];
  const out: Buffer[] = [];
  for (let pos = 0; pos < data.length; pos += size) out.push(data.subarray(pos, Math.min(pos + size, data.length)));
  return out;
}

export interface FrameLimits {
  /** Most buffers in one frame (Java allows 10% of the heap in references). */
  readonly maxBuffers: number;
  /** Most bytes in one frame. */
  readonly maxFrameBytes: number;
}

export const DEFAULT_FRAME_LIMITS: FrameLimits = { maxBuffers: 1 << 20, maxFrameBytes: 256 << 20 };

/**
 * Reassembles frames from a byte stream in chunks of any size. Throws FrameError on a
 * negative or excessive count or length (then nothing more can be read on the connection).
 */
export class NettyFrameDecoder {
  readonly #chunks: Buffer[] = [];
  #available = 0;
  #header: { serial: number; count: number } | null = null;
  #buffers: Buffer[] = [];
  #frameBytes = 0;

  constructor(readonly limits: FrameLimits = DEFAULT_FRAME_LIMITS) {}

  /** Frames completed by `chunk`. */
  push(chunk: Buffer): NettyFrame[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#available += chunk.length;
    }
    const frames: NettyFrame[] = [];
    for (;;) {
      if (this.#header === null) {
        if (this.#available < 8) break;
        const head = this.#take(8);
        const serial = head.readInt32BE(0);
        const count = head.readInt32BE(4);
        if (count < 0 || count > this.limits.maxBuffers) {
          throw new FrameError(`malformed frame (serial ${serial}): buffer count ${count} is outside 0..${this.limits.maxBuffers}`);
        }
        this.#header = { serial, count };
        this.#buffers = [];
        this.#frameBytes = 0;
      }
      const header = this.#header;
      while (this.#buffers.length < header.count) {
        if (this.#available < 4) return frames;
        const length = this.#peekInt32();
        if (length < 0 || this.#frameBytes + length > this.limits.maxFrameBytes) {
          throw new FrameError(
            `malformed frame (serial ${header.serial}): buffer ${this.#buffers.length + 1} of ${header.count} has length ${length}` +
            (length < 0 ? "" : `, over the limit of ${this.limits.maxFrameBytes} bytes per frame`),
          );
        }
        if (this.#available < 4 + length) return frames;
        this.#take(4);
        this.#buffers.push(this.#take(length));
        this.#frameBytes += length;
      }
      frames.push({ serial: header.serial, buffers: this.#buffers });
      this.#header = null;
      this.#buffers = [];
      this.#frameBytes = 0;
    }
    return frames;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pendingBytes(): number {
    return this.#available + this.#frameBytes;
  }

  #peekInt32(): number {
    const first = this.#chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    const head = this.#take(4);
    this.#chunks.unshift(head);
    this.#available += 4;
    return head.readInt32BE(0);
  }

  #take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    this.#available -= n;
    const first = this.#chunks[0]!;
    if (first.length === n) return this.#chunks.shift()!;
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let pos = 0;
    while (pos < n) {
      const c = this.#chunks[0]!;
      const k = Math.min(c.length, n - pos);
      c.copy(out, pos, 0, k);
      pos += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    return out;
  }
}
