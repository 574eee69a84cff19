/**
 * XXH64 as Spark computes it (its XXH64.hashInt, hashLong and hashUnsafeBytes; the last is the
 * reference XXH64 of the bytes), in 32-bit halves instead of bigints, so that nothing is
 * allocated per step: the `xxhash64` function and approx_count_distinct's sketch hash every row.
 * Every function leaves its 64-bit result in `XXH64_OUT` as [high word, low word], both unsigned.
 */

export const XXH64_OUT = new Uint32Array(2);

// The primes as [high, low] words.
const P1H = 0x9e3779b1, P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d, P2L = 0x27d4eb4f;
const P3H = 0x165667b1, P3L = 0x9e3779f9;
const P4H = 0x85ebca77, P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f, P5L = 0x165667c5;

// The running value and the result of each step (module registers: no tuple per step).
// Typed-array registers: unsigned words kept in `let`s above 2^30 would be boxed as heap numbers.
const R = new Uint32Array(2);

/** (hi:lo) ← (ah:al) · (bh:bl) mod 2^64, from 16-bit partial products that doubles hold exactly. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  R[1] = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  R[0] = (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(al, bh) + Math.imul(ah, bl)) >>> 0;
}

/** (hi:lo) ← (ah:al) + (bh:bl) mod 2^64. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const sum = al + bl;
  R[1] = sum >>> 0;
  R[0] = (ah + bh + (sum > 0xffffffff ? 1 : 0)) >>> 0;
}

/** (hi:lo) ← rotl(ah:al, r) for 0 < r < 32. */
function rotl(ah: number, al: number, r: number): void {
  R[0] = ((ah << r) | (al >>> (32 - r))) >>> 0;
  R[1] = ((al << r) | (ah >>> (32 - r))) >>> 0;
}

/** (hi:lo) ← (hi:lo) ^ ((hi:lo) >>> s) for 0 < s ≤ 32. */
function xorShift(s: number): void {
  const sl = s === 32 ? R[0] : ((R[1] >>> s) | (R[0] << (32 - s))) >>> 0;
  R[1] = (R[1] ^ sl) >>> 0;
  R[0] = s === 32 ? R[0] : (R[0] ^ (R[0] >>> s)) >>> 0;
}

/** XXH64's avalanche of (hi:lo) into XXH64_OUT. */
function avalanche(): void {
  // h ^= h >>> 33: the high word shifted by one lands in the low word.
  R[1] = (R[1] ^ (R[0] >>> 1)) >>> 0;
  mul(R[0], R[1], P2H, P2L);
  xorShift(29);
  mul(R[0], R[1], P3H, P3L);
  xorShift(32);
  XXH64_OUT[0] = R[0];
  XXH64_OUT[1] = R[1];
}

/** round(acc, input) = rotl(acc + input · P2, 31) · P1. */
function round(ah: number, al: number, ih: number, il: number): void {
  mul(ih, il, P2H, P2L);
  add(ah, al, R[0], R[1]);
  rotl(R[0], R[1], 31);
  mul(R[0], R[1], P1H, P1L);
}

/** h = (h ^ round(0, v)) · P1 + P4: folds one stripe accumulator into the hash. */
function mergeRound(h: number, l: number, vh: number, vl: number): void {
  round(0, 0, vh, vl);
  mul((h ^ R[0]) >>> 0, (l ^ R[1]) >>> 0, P1H, P1L);
  add(R[0], R[1], P4H, P4L);
}

/** Spark's hashInt: a 4-byte value. */
export function xxh64IntWords(x: number, seedHi: number, seedLo: number): void {
  add(seedHi, seedLo, P5H, P5L);
  add(R[0], R[1], 0, 4);
  const h0 = R[0], l0 = R[1];
  mul(0, x >>> 0, P1H, P1L);
  stepInt(h0 ^ R[0], l0 ^ R[1]);
  avalanche();
}

/** h = rotl(h, 23) · P2 + P3: the step after a 4-byte input. */
function stepInt(h: number, l: number): void {
  rotl(h >>> 0, l >>> 0, 23);
  mul(R[0], R[1], P2H, P2L);
  add(R[0], R[1], P3H, P3L);
}

/** h = rotl(h, 27) · P1 + P4: the step after an 8-byte input. */
function stepLong(h: number, l: number): void {
  rotl(h >>> 0, l >>> 0, 27);
  mul(R[0], R[1], P1H, P1L);
  add(R[0], R[1], P4H, P4L);
}

/** Spark's hashLong: an 8-byte value given as its words (signed or unsigned). */
export function xxh64LongWords(xHi: number, xLo: number, seedHi: number, seedLo: number): void {
  add(seedHi, seedLo, P5H, P5L);
  add(R[0], R[1], 0, 8);
  const h0 = R[0], l0 = R[1];
  round(0, 0, xHi >>> 0, xLo >>> 0);
  stepLong(h0 ^ R[0], l0 ^ R[1]);
  avalanche();
}

/** The little-endian 32-bit word at `at`. */
function word(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Spark's hashUnsafeBytes over `length` bytes of `b` from `start`. */
export function xxh64BytesWords(b: Uint8Array, start: number, length: number, seedHi: number, seedLo: number): void {
  const end = start + length;
  let off = start;
  let h: number, l: number;
  if (length >= 32) {
    add(seedHi, seedLo, P1H, P1L); add(R[0], R[1], P2H, P2L);
    let v1h = R[0], v1l = R[1];
    add(seedHi, seedLo, P2H, P2L);
    let v2h = R[0], v2l = R[1];
    let v3h = seedHi >>> 0, v3l = seedLo >>> 0;
    // seed − P1 = seed + (2^64 − P1)
    add(seedHi, seedLo, ~P1H >>> 0, (~P1L + 1) >>> 0);
    let v4h = R[0], v4l = R[1];
    do {
      round(v1h, v1l, word(b, off + 4), word(b, off)); v1h = R[0]; v1l = R[1];
      round(v2h, v2l, word(b, off + 12), word(b, off + 8)); v2h = R[0]; v2l = R[1];
      round(v3h, v3l, word(b, off + 20), word(b, off + 16)); v3h = R[0]; v3l = R[1];
      round(v4h, v4l, word(b, off + 28), word(b, off + 24)); v4h = R[0]; v4l = R[1];
      off += 32;
    } while (off <= end - 32);
    rotl(v1h, v1l, 1); let sh = R[0], sl = R[1];
    rotl(v2h, v2l, 7); add(sh, sl, R[0], R[1]); sh = R[0]; sl = R[1];
    rotl(v3h, v3l, 12); add(sh, sl, R[0], R[1]); sh = R[0]; sl = R[1];
    rotl(v4h, v4l, 18); add(sh, sl, R[0], R[1]);
    mergeRound(R[0], R[1], v1h, v1l);
    mergeRound(R[0], R[1], v2h, v2l);
    mergeRound(R[0], R[1], v3h, v3l);
    mergeRound(R[0], R[1], v4h, v4l);
    h = R[0]; l = R[1];
  } else {
    add(seedHi, seedLo, P5H, P5L);
    h = R[0]; l = R[1];
  }
  add(h, l, 0, length >>> 0);
  h = R[0]; l = R[1];
  for (; off <= end - 8; off += 8) {
    round(0, 0, word(b, off + 4), word(b, off));
    stepLong(h ^ R[0], l ^ R[1]);
    h = R[0]; l = R[1];
  }
  if (off + 4 <= end) {
    mul(0, word(b, off), P1H, P1L);
    stepInt(h ^ R[0], l ^ R[1]);
    h = R[0]; l = R[1];
    off += 4;
  }
  for (; off < end; off++) {
    mul(0, b[off]!, P5H, P5L);
    rotl((h ^ R[0]) >>> 0, (l ^ R[1]) >>> 0, 11);
    mul(R[0], R[1], P1H, P1L);
    h = R[0]; l = R[1];
  }
  avalanche();
}
