/** Copies bytes [start, end) of `from` to `to` at `at`: short records byte by byte, cheaper than a call into Buffer.copy. */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (end - start > 128) {
    to.set(from.subarray(start, end), at);
    return;
  }
  for (let i = start; i < end; i++) to[at++] = from[i]!;
}
