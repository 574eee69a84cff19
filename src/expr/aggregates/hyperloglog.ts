/**
 * HyperLogLog registers for approx_count_distinct. Precision p from Spark's relative
 * standard deviation: p = ceil(2·log2(1.106 / rsd)) (rsd 0.05 → p = 9, 512 registers).
 * Hashing is 32-bit MurmurHash3 mixing of the value's bytes; small cardinalities use
 * linear counting, as HLL++ does.
 */
export function precisionFor(rsd: number): number {
  return Math.max(4, Math.ceil((2 * Math.log(1.106 / rsd)) / Math.LN2));
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashString(s: string, seed = 42): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finalize(h, s.length);
}

export function hashNumber(x: number, seed = 42): number {
  f64[0] = x === 0 ? 0 : x; // -0 and 0 are the same value
  return finalize(mix(mix(seed, u32[0]!), u32[1]!), 8);
}

export function hashValue(v: unknown): number {
  if (typeof v === "number") return hashNumber(v);
  if (typeof v === "string") return hashString(v);
  if (typeof v === "boolean") return hashNumber(v ? 1 : 0);
  if (typeof v === "bigint") return hashString(v.toString()); // a long beyond ±2^53 (JSON has no bigint)
  return hashString(JSON.stringify(v));
}

/** Adds a hash to registers `regs[offset .. offset + 2^p)`. */
export function addHash(regs: Uint8Array, offset: number, p: number, hash: number): void {
  const index = hash >>> (32 - p);
  const rest = (hash << p) | (1 << (p - 1)); // sentinel bit bounds the run of zeros
  const rank = Math.clz32(rest) + 1;
  if (rank > regs[offset + index]!) regs[offset + index] = rank;
}

export function estimate(regs: Uint8Array, offset: number, p: number): number {
  const m = 1 << p;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = regs[offset + i]!;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
