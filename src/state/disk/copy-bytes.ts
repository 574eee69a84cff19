/** Copies bytes [start, end) of `from` to `to` at `at`: short records byte by byte, cheaper than a call into Buffer.copy. */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (end - start > 128) {
    to.set(from.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) to[at++] = from[i]!;
}

/** A DataView over exactly the bytes of `bytes` (for copyWords). */
export function dataViewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * copyBytes of a record (tens of bytes) four at a time through DataViews over `from` and `to`
 * (dataViewOf; unaligned reads and writes, which the optimizing compiler inlines), the last
 * 0–3 bytes one by one: about half the time of the byte loop for a flush's or merge's records.
 */
export function copyWords(from: Uint8Array, fromView: DataView, start: number, end: number, to: Uint8Array, toView: DataView, at: number): void {
  let i = start;
  for (; i + 4 <= end; i += 4, at += 4) toView.setUint32(at, fromView.getUint32(i, true), true);
  for (; i < end; i++) to[at++] = from[i]!;
}
