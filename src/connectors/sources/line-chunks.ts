import { closeSync, openSync, readSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

/** Bytes read at a time: files of any size stream through without one huge string. */
export const CHUNK_BYTES = 8 << 20;

/**
 * Splits decoded text into pieces that end at a line break, carrying the incomplete tail
 * to the next piece; the last piece may lack the final line break.
 */
class LineChunker {
  readonly #decoder = new TextDecoder("utf-8");
  #carry = "";

  push(bytes: Uint8Array): string | null {
    const text = this.#carry + this.#decoder.decode(bytes, { stream: true });
    const cut = text.lastIndexOf("\n");
    if (cut < 0) {
      this.#carry = text;
      return null;
    }
    this.#carry = text.slice(cut + 1);
    return cut === text.length - 1 ? text : text.slice(0, cut + 1);
  }

  end(): string | null {
    const text = this.#carry + this.#decoder.decode();
    this.#carry = "";
    return text === "" ? null : text;
  }
}

/** The opening of a file read ahead of time, so that reading overlaps decoding the file before it. */
export interface Prefetched {
  readonly handle: FileHandle;
  readonly buffer: Uint8Array;
  readonly bytesRead: number;
}

/** Opens `path` and starts reading its first chunk now. */
export async function prefetch(path: string, chunkBytes = CHUNK_BYTES): Promise<Prefetched> {
  const handle = await open(path, "r");
  try {
    const buffer = new Uint8Array(chunkBytes);
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
    return { handle, buffer, bytesRead };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * Calls `onText` with successive pieces of the file that hold whole lines. The next chunk
 * is read while the current one is decoded (two buffers).
 */
export async function forEachLineChunk(path: string, onText: (text: string) => void, chunkBytes = CHUNK_BYTES, first?: Promise<Prefetched>): Promise<void> {
  const opened = await (first ?? prefetch(path, chunkBytes));
  const { handle } = opened;
  try {
    const chunker = new LineChunker();
    const buffers = [opened.buffer, new Uint8Array(opened.buffer.length)];
    let current = 0;
    let bytesRead = opened.bytesRead;
    while (bytesRead > 0) {
      const next = handle.read(buffers[current ^ 1]!, 0, buffers[0]!.length, null);
      const text = chunker.push(buffers[current]!.subarray(0, bytesRead));
      if (text !== null) onText(text);
      ({ bytesRead } = await next);
      current ^= 1;
    }
    const rest = chunker.end();
    if (rest !== null) onText(rest);
  } finally {
    await handle.close();
  }
}

/** The synchronous form, for schema inference when a DataFrame is defined. */
export function forEachLineChunkSync(path: string, onText: (text: string) => boolean | void, chunkBytes = CHUNK_BYTES): void {
  const fd = openSync(path, "r");
  try {
    const chunker = new LineChunker();
    const buffer = new Uint8Array(chunkBytes);
    for (;;) {
      const bytesRead = readSync(fd, buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const text = chunker.push(buffer.subarray(0, bytesRead));
      // onText returns false to stop early.
      if (text !== null && onText(text) === false) return;
    }
    const rest = chunker.end();
    if (rest !== null) onText(rest);
  } finally {
    closeSync(fd);
  }
}

/** Calls `onLine(text, start, end, lineNumber)` for each line of a piece (without its line break). */
export function forEachLine(text: string, firstLine: number, onLine: (text: string, start: number, end: number, line: number) => void): number {
  const n = text.length;
  let i = 0;
  let line = firstLine;
  while (i < n) {
    let nl = text.indexOf("\n", i);
    if (nl < 0) nl = n;
    const end = nl > i && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    onLine(text, i, end, line);
    i = nl + 1;
    line++;
  }
  return line - firstLine;
}
