/** Words of one blocked-bloom-filter block: 512 bits, a cache line. */
export const BLOCK_WORDS = 16;

/**
 * A key's bits within its block (the block from hash1, the bits from hash2): `probes` positions
 * of 9 bits each, taken from h2 rotated by 9 after each, so every test of a key touches one
 * cache line. Shared by the runs' filters (bloom-filter.ts) and the engine's filter of all runs.
 */
export function setBlockBits(words: Uint32Array, base: number, h2: number, probes: number): void {
  let h = h2;
  for (let i = 0; i < probes; i++) {
    const bit = h & 511;
    words[base + (bit >>> 5)]! |= 1 << (bit & 31);
    h = (h >>> 9) | (h << 23);
  }
}

/** Whether all of a key's bits are set in its block (false: the key was never added). */
export function hasBlockBits(words: Uint32Array, base: number, h2: number, probes: number): boolean {
  let h = h2;
  for (let i = 0; i < probes; i++) {
    const bit = h & 511;
    if ((words[base + (bit >>> 5)]! & (1 << (bit & 31))) === 0) return false;
    h = (h >>> 9) | (h << 23);
  }
  return true;
}
