/**
 * The string of UTF-8 bytes, as Buffer.toString("utf8") gives it, for everything that decodes
 * text from bytes it holds (the JSON cursor and decoders, the byte interner): one way, so that
 * equal bytes are always the same string. Bytes that are all ASCII — ids, urls, most keys —
 * are made a one-byte string by copying (latin1 decodes them alike), which V8 does about 1.5x
 * faster than validating them as UTF-8; short ones without a call into C++ at all
 * (short-ascii-text.ts).
 */
import { SHORT_TEXT_MAX, shortAsciiText } from "./short-ascii-text.ts";

/** Buffer's own decoders, which Buffer.toString calls after checking its arguments (not in Node's typings). */
interface SlicingBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * The string whose UTF-8 bytes are b[start, end). `dv`, a view of the same bytes, lets the
 * ASCII check read four bytes at a time (the byte interner has one at hand); without it the
 * check reads bytes.
 */
export function utf8Text(b: Buffer, start: number, end: number, dv?: DataView): string {
  const n = end - start;
  if (n >= 0 && n <= SHORT_TEXT_MAX && shortAsciiText !== null) {
    // Checks the bytes are ASCII as it reads them: null when one is not.
    const s = shortAsciiText[n]!(b, start);
    return s !== null ? s : (b as SlicingBuffer).utf8Slice(start, end);
  }
  return isAscii(b, dv, start, end) ? (b as SlicingBuffer).latin1Slice(start, end) : (b as SlicingBuffer).utf8Slice(start, end);
}

/**
 * The string of b[start, end), bytes known to be ASCII (isAscii): a copy. The byte interner
 * makes its kept strings here, once per distinct value: without the short path, which made
 * the per-url decode (2,000 urls, 2,000 calls in 2M lines) ~10% slower in 14 of 17
 * interleaved pairs, for no gain a miss could show — a JIT effect, not the calls' own cost.
 */
export function asciiText(b: Buffer, start: number, end: number): string {
  return (b as SlicingBuffer).latin1Slice(start, end);
}

/** Whether b[start, end) are all ASCII bytes (`dv`, when given, views the same bytes). */
export function isAscii(b: Buffer, dv: DataView | undefined, start: number, end: number): boolean {
  let high = 0;
  let k = start;
  if (dv !== undefined) for (; k + 4 <= end; k += 4) high |= dv.getInt32(k, true);
  for (; k < end; k++) high |= b[k]!;
  return (high & 0x80808080) === 0;
}
