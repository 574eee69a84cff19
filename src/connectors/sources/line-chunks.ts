import { closeSync, openSync, readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

/** Bytes read at a time: files of any size stream through without one huge string. */
export const CHUNK_BYTES = 8 << 20;

// Chunk buffers are reused from file to file: allocating two 8 MiB buffers per file costs
// more in garbage collection than decoding a small file does.
const freeBuffers: Buffer[] = [];
const MAX_FREE_BUFFERS = 4;

function takeBuffer(size: number): Buffer {
  const i = freeBuffers.findIndex((b) => b.length === size);
  return i >= 0 ? freeBuffers.splice(i, 1)[0]! : Buffer.allocUnsafe(size);
}

/** Hands buffers back once nothing refers to their bytes any more. */
function releaseBuffers(buffers: readonly Buffer[]): void {
  for (const b of buffers) if (freeBuffers.length < MAX_FREE_BUFFERS) freeBuffers.push(b);
}

/** The opening of a file read ahead of time, so that reading overlaps decoding the file before it. */
export interface Prefetched {
  readonly handle: FileHandle;
  readonly buffer: Buffer;
  readonly bytesRead: number;
}

/** Opens `path` and starts reading its first chunk now. */
export async function prefetch(path: string, chunkBytes = CHUNK_BYTES): Promise<Prefetched> {
  const handle = await open(path, "r");
  try {
    const buffer = takeBuffer(chunkBytes);
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
    return { handle, buffer, bytesRead };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Receives b[start, end): whole lines, each ending with a line break except perhaps the file's last. */
export type OnLineBlock = (b: Buffer, start: number, end: number) => boolean | void;

/**
 * Cuts chunks of a file's bytes into blocks of whole lines, without decoding them. A
 * line cut by a chunk boundary is carried (copied) and completed from the next chunk; a
 * UTF-8 byte order mark at the start of the file is dropped, as TextDecoder would.
 */
class LineBlocks {
  #carry: Buffer | null = null;
  #first = true;

  /** Hands `onBlock` the whole lines of chunk[0, n); false if onBlock asked to stop. */
  push(chunk: Buffer, n: number, onBlock: OnLineBlock): boolean {
    let from = 0;
    if (this.#first) {
      this.#first = false;
      if (n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
    }
    if (this.#carry !== null) {
      const nl = chunk.indexOf(10, from);
      if (nl < 0 || nl >= n) {
        this.#carry = Buffer.concat([this.#carry, chunk.subarray(from, n)]);
        return true;
      }
      const joined = Buffer.concat([this.#carry, chunk.subarray(from, nl + 1)]);
      this.#carry = null;
      if (onBlock(joined, 0, joined.length) === false) return false;
      from = nl + 1;
    }
    const last = n > from ? chunk.lastIndexOf(10, n - 1) : -1;
    if (last >= from && onBlock(chunk, from, last + 1) === false) return false;
    const rest = Math.max(last + 1, from);
    // A copy: the chunk's buffer is reused for the next read.
    if (rest < n) this.#carry = Buffer.from(chunk.subarray(rest, n));
    return true;
  }

  end(onBlock: OnLineBlock): void {
    const carry = this.#carry;
    this.#carry = null;
    if (carry !== null && carry.length > 0) onBlock(carry, 0, carry.length);
  }
}

/**
 * Calls `onBlock` with successive blocks of whole lines of the file, as bytes. The next
 * chunk is read while the current one is decoded (two buffers, reused). `afterChunk`, if
 * given, runs (and is awaited) after each chunk's lines, while the next read is under way.
 */
export async function forEachLineBlock(
  path: string, onBlock: OnLineBlock, chunkBytes = CHUNK_BYTES, first?: Promise<Prefetched>, afterChunk?: () => Promise<void>,
): Promise<void> {
  const opened = await (first ?? prefetch(path, chunkBytes));
  const { handle } = opened;
  const buffers = [opened.buffer, takeBuffer(opened.buffer.length)];
  let pending: Promise<unknown> | null = null;
  try {
    const blocks = new LineBlocks();
    let current = 0;
    let bytesRead = opened.bytesRead;
    while (bytesRead > 0) {
      const next = (pending = handle.read(buffers[current ^ 1]!, 0, buffers[0]!.length, null));
      blocks.push(buffers[current]!, bytesRead, onBlock);
      if (afterChunk !== undefined) await afterChunk();
      ({ bytesRead } = await next);
      current ^= 1;
    }
    blocks.end(onBlock);
    if (afterChunk !== undefined) await afterChunk();
  } finally {
    // A read still filling the other buffer must end before the buffer is reused.
    await pending?.catch(() => {});
    await handle.close();
    releaseBuffers(buffers);
  }
}

/** The synchronous form (schema inference); `onBlock` returns false to stop early. */
export function forEachLineBlockSync(path: string, onBlock: OnLineBlock, chunkBytes = CHUNK_BYTES): void {
  const fd = openSync(path, "r");
  try {
    const blocks = new LineBlocks();
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      if (!blocks.push(buffer, bytesRead, onBlock)) return;
    }
    blocks.end(onBlock);
  } finally {
    closeSync(fd);
  }
}

/** Calls `onLine(b, start, end, lineNumber)` for each line of a block (without its line break). */
export function forEachByteLine(b: Buffer, start: number, end: number, firstLine: number, onLine: (b: Buffer, start: number, end: number, line: number) => void): number {
  let i = start;
  let line = firstLine;
  while (i < end) {
    let nl = b.indexOf(10, i);
    if (nl < 0 || nl > end) nl = end;
    const lineEnd = nl > i && b[nl - 1] === 13 ? nl - 1 : nl;
    onLine(b, i, lineEnd, line);
    i = nl + 1;
    line++;
  }
  return line - firstLine;
}
