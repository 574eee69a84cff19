import { describe, expect, it } from "vitest";
import { xxh64Bytes, xxh64Int, xxh64Long } from "../../../src/expr/functions/spark-hashes.ts";
import { XXH64_OUT, xxh64BytesWords, xxh64IntWords, xxh64LongWords } from "../../../src/expr/functions/xxhash64-words.ts";

// The word-pair XXH64 must give the bigint XXH64's bits (which Spark's xxhash64 examples pin) for
// every input shape: 4- and 8-byte values, byte strings around the 32-byte stripe and 8/4/1-byte tails.
const result = (): bigint => (BigInt(XXH64_OUT[0]!) << 32n) | BigInt(XXH64_OUT[1]!);

function random32(seed: { s: number }): number {
  seed.s = (Math.imul(seed.s, 1103515245) + 12345) >>> 0;
  return (seed.s ^ (seed.s >>> 15)) >>> 0;
}

describe("XXH64 in 32-bit words", () => {
  const rng = { s: 7 };
  const seeds: [number, number][] = [[0, 42], [0, 0], [0xffffffff, 0xffffffff], [0x9e3779b1, 0x85ebca87]];

  it("hashes 4-byte and 8-byte values as the bigint version", () => {
    for (const [sh, sl] of seeds) {
      const seed = (BigInt(sh) << 32n) | BigInt(sl);
      for (const x of [0, 1, -1, 2147483647, -2147483648, ...Array.from({ length: 500 }, () => random32(rng) | 0)]) {
        xxh64IntWords(x, sh, sl);
        expect(result()).toBe(xxh64Int(x, seed));
        const hi = random32(rng);
        xxh64LongWords(hi, x, sh, sl);
        expect(result()).toBe(xxh64Long((BigInt(hi) << 32n) | BigInt(x >>> 0), seed));
      }
    }
  });

  it("hashes byte strings of every length up to 100 as the bigint version, at any offset", () => {
    for (const [sh, sl] of seeds) {
      const seed = (BigInt(sh) << 32n) | BigInt(sl);
      for (let n = 0; n <= 100; n++) {
        const bytes = Uint8Array.from({ length: n + 5 }, () => random32(rng) & 0xff);
        xxh64BytesWords(bytes, 5, n, sh, sl);
        expect(result()).toBe(xxh64Bytes(bytes.subarray(5), seed));
      }
    }
  });
});
