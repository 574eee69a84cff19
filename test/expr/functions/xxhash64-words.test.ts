import { describe, expect, it } from "vitest";
import { XXH64_OUT, xxh64BytesWords, xxh64IntWords, xxh64LongWords } from "../../../src/expr/functions/xxhash64-words.ts";

// The word-pair XXH64 against fixed vectors from the reference implementation (libxxhash 0.8.1's
// XXH64, called from Python's ctypes): 4- and 8-byte values as Spark's hashInt/hashLong hash them
// (XXH64 of their little-endian bytes), and byte strings around the 32-byte stripe and the 8/4/1-byte
// tails, at seed 0, Spark's 42 and 2^64 − 1.
const hex = (): string => XXH64_OUT[0]!.toString(16).padStart(8, "0") + XXH64_OUT[1]!.toString(16).padStart(8, "0");
const seedWords = (seed: bigint): [number, number] => [Number(seed >> 32n), Number(seed & 0xffffffffn)];

/** The reference's inputs: byte i of the buffer is ((i²·31 + 7i + 11) >> 1) & 0xff. */
const BUFFER = Uint8Array.from({ length: 100 }, (_, i) => ((i * i * 31 + i * 7 + 11) >> 1) & 0xff);
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 15, 16, 17, 23, 24, 28, 31, 32, 33, 35, 36, 39, 40, 47, 48, 63, 64, 65, 71, 72, 95, 96, 100];
const BYTES: [bigint, string][] = [
  [0n, "ef46db3751d8e999 50ff15a81340970f d60db730b9476fe7 8ccbc11513581b7c 2e24135328fddb44 0278781cd12065f7 87d838dde063272b ec16b8eb653956b7 d1201e5df9206381 8bfdfcf2e48803cc 1afbb1b2ff6278a3 14f2824a1d7418d6 93456aebad9a3381 cee1e963bc2b150d 15bcc77bf0dcf34c 40c89dfdb28ed817 c21096bf46514ea6 167245bd4396fa60 a9f33d95001fb6b0 1504fe28d015a290 3082b6524c26b611 13964754a04be5ce febd0298458e3cc6 fbe6e7c8d8eacda7 6c2b82b32a672414 62e72cba0de5f64c 3611ac851d62d63f ce22077daa80d16d 2983c059e8573c19 c26c89953849cc86 b6b1a8db0920d808 042daf69464dfcf3 8136bf9bee3f1cb0 6914760b6dd3eb50"],
  [42n, "98b1582b0977e704 ab7b8f24033b23d3 0ce5df125cb0b0c0 3dd7ec96129df286 3c4b394a372474e9 58b7682dea731bfb e8797b913f81e8ae b4b2f644b11a836f 2afd7cafa57669be cf3b5a2dd90faf21 dd56bc69b1f7acb1 0e778a203ad8de66 84a0367420d58670 4bce8a9b6d6fea71 addae1700d1faae4 cac6bd895c8d086b afc845d6ce6cb2eb 5a64f0d9eeff6282 d82bfe8211cdde9e 7eeee948a73c3568 8f1fa0d194127bc8 4c68050099022dc5 3cafa0ae87db94c4 e3e2fde777b95502 62d7ed0fb1fda7d0 d54fc31784d51f4d b009da1c0b7122eb 07867490d1466394 daff2ffac1954aee 0e0a61f99ae0fdda 3ef2a260e1ebe1f6 e3d4fdf0c1569c74 58d8f5c04cd76c8d c0090c6229257cb1"],
  [2n ** 64n - 1n, "298f4c84b24f5380 e315439bcc05b2f8 2424fa0c148e7692 a484848cbf850200 e5a7507475c4dd2e 0631b70ff5893dda 0c9a14ed59a2330e 713a20c4eba96fa3 bbb953b495ebe5df 81ff8f1cf1f9d1ce d4cab97fad7af581 095108f51faacb0d 7c49e0719f2b4f71 de6b00df6adfc072 bdc8275163c0290c 4639ec5169302098 e93714d265c5d4b9 8fa59e98e0133cb4 71f7dc98f435add8 46c65f3fea129978 baeb8d7da77a2c12 bcd2a61ec4cea030 7a4d14184e1d341b 2efc5b1e182c31e7 dfb51e42aab5ef00 5e77acab106b48ef 9cf455535c30b5e1 56dd1b10d5be49a7 e36e2120c372d961 98e33c35e47b1a1c 84c49582833fe547 6330efc1d7fee7fd 85ae5a4e50cff103 565a8b399fbd32a1"],
];
const INTS = [0, 1, -1, 2147483647, -2147483648, 123456789];
const INT_HASHES: [bigint, string][] = [
  [0n, "3aefa6fd5cf2deb4 f42f94001fcb5351 7f78e4bda3addf93 293bb5f36edfe474 822e51211bf08373 8350f6c56f52fcca"],
  [42n, "3229fbc4681e48f3 a309b38455455929 1bfdda8861c06e45 14f0ac009c21721c 1cc7cb8d034769cd 4b06a18e8a1a63e0"],
];
const LONGS = [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n, 0x123456789abcdef0n];
const LONG_HASHES: [bigint, string][] = [
  [0n, "34c96acdcadb1bbb 9f29cb17a2a49995 85d136adb773c6c9 e61780137af44266 3f425eacf01544e0 ff70cc60366e770c 3ae0074d8d122d3c"],
  [42n, "b71b47ebda15746c 9ed50fd59358d232 358ae035bfb46fd2 1e3b3f88aae56904 88608019c494c1f4 d2f1c616ae7eb306 574dcb2e819352b8"],
];

describe("XXH64 in 32-bit words", () => {
  it("hashes byte strings as the reference XXH64, at any offset into the buffer", () => {
    for (const [seed, expected] of BYTES) {
      const [sh, sl] = seedWords(seed);
      const got = LENGTHS.map((n) => {
        const shifted = new Uint8Array(n + 5);
        shifted.set(BUFFER.subarray(0, n), 5);
        xxh64BytesWords(shifted, 5, n, sh, sl);
        return hex();
      });
      expect(got.join(" ")).toBe(expected);
    }
  });

  it("hashes 4-byte values as XXH64 of their little-endian bytes (Spark's hashInt)", () => {
    for (const [seed, expected] of INT_HASHES) {
      const [sh, sl] = seedWords(seed);
      expect(INTS.map((x) => { xxh64IntWords(x, sh, sl); return hex(); }).join(" ")).toBe(expected);
    }
  });

  it("hashes 8-byte values as XXH64 of their little-endian bytes (Spark's hashLong), given signed or unsigned words", () => {
    for (const [seed, expected] of LONG_HASHES) {
      const [sh, sl] = seedWords(seed);
      const signed = LONGS.map((x) => { xxh64LongWords(Number(BigInt.asIntN(32, x >> 32n)), Number(BigInt.asIntN(32, x)), sh, sl); return hex(); });
      const unsigned = LONGS.map((x) => { xxh64LongWords(Number(BigInt.asUintN(32, x >> 32n)), Number(BigInt.asUintN(32, x)), sh, sl); return hex(); });
      expect(signed.join(" ")).toBe(expected);
      expect(unsigned.join(" ")).toBe(expected);
    }
  });
});
