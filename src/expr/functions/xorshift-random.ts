/**
 * Spark's XORShiftRandom (a java.util.Random whose next(bits) is an xorshift step, seeded
 * through Scala's MurmurHash3 of the seed's 8 big-endian bytes), so rand(seed)/randn(seed)
 * give Spark's sequence for partition 0.
 */

const MASK64 = (1n << 64n) - 1n;

const rotl32 = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function mixLast(h: number, k: number): number {
  let k2 = Math.imul(k, 0xcc9e2d51);
  k2 = rotl32(k2, 15);
  k2 = Math.imul(k2, 0x1b873593);
  return h ^ k2;
}

function mix(h: number, k: number): number {
  const h2 = rotl32(mixLast(h, k), 13);
  return (Math.imul(h2, 5) + 0xe6546b64) | 0;
}

function avalanche(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** scala.util.hashing.MurmurHash3.bytesHash of 8 bytes (no tail). */
function bytesHash8(bytes: Uint8Array, seed: number): number {
  let h = seed;
  for (let i = 0; i < 8; i += 4) h = mix(h, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  return avalanche(h ^ 8);
}

const ARRAY_SEED = 0x3c074a61;

export function hashSeed(seed: bigint): bigint {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt.asIntN(64, seed));
  const low = bytesHash8(bytes, ARRAY_SEED);
  const high = bytesHash8(bytes, low);
  return ((BigInt(high) << 32n) | (BigInt(low) & 0xffffffffn)) & MASK64;
}

export class XORShiftRandom {
  #seed: bigint;
  #nextGaussian: number | null = null;

  constructor(seed: bigint) {
    this.#seed = hashSeed(seed);
  }

  next(bits: number): number {
    let s = this.#seed;
    s ^= (s << 21n) & MASK64;
    s ^= s >> 35n;
    s ^= (s << 4n) & MASK64;
    this.#seed = s;
    return Number(BigInt.asIntN(32, s & ((1n << BigInt(bits)) - 1n)));
  }

  /** java.util.Random.nextDouble. */
  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) * 2 ** -53;
  }

  /** java.util.Random.nextGaussian (Marsaglia's polar method, StrictMath.log/sqrt). */
  nextGaussian(): number {
    if (this.#nextGaussian !== null) {
      const g = this.#nextGaussian;
      this.#nextGaussian = null;
      return g;
    }
    let v1: number, v2: number, s: number;
    do {
      v1 = 2 * this.nextDouble() - 1;
      v2 = 2 * this.nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const multiplier = Math.sqrt((-2 * Math.log(s)) / s);
    this.#nextGaussian = v2 * multiplier;
    return v1 * multiplier;
  }
}
