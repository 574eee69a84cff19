import { describe, expect, it } from "vitest";
import { murmur3Bytes, murmur3Value, xxh64Value as xxh64ValueWords } from "../../../src/expr/functions/spark-hashes.ts";
import { XXH64_OUT, xxh64BytesWords } from "../../../src/expr/functions/xxhash64-words.ts";
import { ArrayType, IntegerType, LongType, StringType, type DataType } from "../../../src/types/data-types.ts";
import { evaluate, fn, col, lit } from "../eval-helpers.ts";

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex64 = (h: bigint): string => h.toString(16).padStart(16, "0");
const out = (): bigint => (BigInt(XXH64_OUT[0]!) << 32n) | BigInt(XXH64_OUT[1]!);
const seedWords = (seed: bigint): [number, number] => [Number(seed >> 32n), Number(seed & 0xffffffffn)];
// The XXH64 helpers with 64-bit seeds and results as unsigned bigints.
const xxh64Value = (v: unknown, t: DataType, seed: bigint): bigint => { xxh64ValueWords(v, t, ...seedWords(seed)); return out(); };
const xxh64Bytes = (b: Uint8Array, seed: bigint): bigint => { xxh64BytesWords(b, 0, b.length, ...seedWords(seed)); return out(); };

describe("Murmur3_x86_32 as Spark's", () => {
  it("equals the reference algorithm where Spark's does (lengths that are multiples of 4, the empty input)", () => {
    // Published MurmurHash3_x86_32 vectors.
    expect(murmur3Bytes(new Uint8Array(0), 0)).toBe(0);
    expect(murmur3Bytes(new Uint8Array(0), 1) >>> 0).toBe(0x514e28b7);
    expect(murmur3Bytes(new Uint8Array(0), -1) >>> 0).toBe(0x81f16f39);
    expect(murmur3Bytes(Uint8Array.of(0, 0, 0, 0), 0) >>> 0).toBe(0x2362f9de);
    expect(murmur3Bytes(Uint8Array.of(0x21, 0x43, 0x65, 0x87), 0) >>> 0).toBe(0xf55b516b);
  });

  it("hashes a trailing byte alone, sign-extended (Spark's hashUnsafeBytes, not the reference tail)", () => {
    // The reference gives 0x7e4a8634 for one 0xff byte with seed 0; Spark mixes (byte) -1 as an int.
    expect(murmur3Bytes(Uint8Array.of(0xff), 0) >>> 0).not.toBe(0x7e4a8634);
  });

  it("gives Spark's documented answers through hash()", () => {
    // SELECT hash('Spark', array(123), 2) → -1321691492 (Spark's function docs).
    let h = 42;
    h = murmur3Value("Spark", StringType, h);
    h = murmur3Value([123], ArrayType(IntegerType), h);
    h = murmur3Value(2, IntegerType, h);
    expect(h).toBe(-1321691492);
    expect(evaluate("s STRING, n INT", [{ s: "Spark", n: 2 }], fn("hash", col("s"), fn("array", lit(123)), col("n"))).values).toEqual([-1321691492]);
    // A null argument leaves the running hash as it is: hash(NULL) is the seed.
    expect(evaluate("s STRING", [{ s: null }], fn("hash", col("s"))).values).toEqual([42]);
  });

  it("hashes a long by its two 32-bit halves, bigints beyond 2^53 too", () => {
    expect(murmur3Value(1, LongType, 42)).toBe(-1712319331);
    expect(murmur3Value(-1, LongType, 42)).toBe(murmur3Value(-1n, LongType, 42));
    expect(murmur3Value(2n ** 60n + 3n, LongType, 42)).toBe(murmur3Value(BigInt.asIntN(64, 2n ** 60n + 3n), LongType, 42));
  });
});

describe("the numeric types' hashes (tinyint, smallint, float, decimal: Spark's HashExpression)", () => {
  const type = (t: object): DataType => t as unknown as DataType;
  it("tinyint and smallint hash as ints, float by its bits, a decimal of up to 18 digits by its unscaled long", () => {
    expect(murmur3Value(7, type({ kind: "byte" }), 42)).toBe(murmur3Value(7, IntegerType, 42));
    expect(murmur3Value(7, type({ kind: "short" }), 42)).toBe(murmur3Value(7, IntegerType, 42));
    // floatToIntBits(1.0f) = 0x3f800000; -0.0f hashes as 0.0f.
    expect(murmur3Value(1, type({ kind: "float" }), 42)).toBe(murmur3Value(0x3f800000, IntegerType, 42));
    expect(murmur3Value(-0, type({ kind: "float" }), 42)).toBe(murmur3Value(0, type({ kind: "float" }), 42));
    expect(murmur3Value(12345n, type({ kind: "decimal", precision: 5, scale: 2 }), 42)).toBe(murmur3Value(12345, LongType, 42));
    expect(xxh64Value(12345n, type({ kind: "decimal", precision: 5, scale: 2 }), 42n)).toBe(xxh64Value(12345, LongType, 42n));
  });

  it("a decimal of more than 18 digits by its unscaled value's BigInteger bytes (big-endian two's complement)", () => {
    const d = type({ kind: "decimal", precision: 38, scale: 0 });
    expect(murmur3Value(128n, d, 42)).toBe(murmur3Bytes(Uint8Array.of(0, 128), 42));
    expect(murmur3Value(-129n, d, 42)).toBe(murmur3Bytes(Uint8Array.of(0xff, 0x7f), 42));
    expect(xxh64Value(-1n, d, 42n)).toBe(xxh64Bytes(Uint8Array.of(0xff), 42n));
  });
});

describe("XXH64 as Spark's", () => {
  it("equals the reference XXH64 on bytes (Spark's hashUnsafeBytes is the reference)", () => {
    expect(hex64(xxh64Bytes(new Uint8Array(0), 0n))).toBe("ef46db3751d8e999");
    expect(hex64(xxh64Bytes(utf8("a"), 0n))).toBe("d24ec4f1a98c6e5b");
    expect(hex64(xxh64Bytes(utf8("abc"), 0n))).toBe("44bc2cf5ad770999");
    // 39 bytes: the 32-byte stripes, an 8-byte lane and the tail.
    expect(hex64(xxh64Bytes(utf8("Nobody inspects the spammish repetition"), 0n))).toBe("fbcea83c8a378bf1");
  });

  it("gives Spark's documented answer through xxhash64()", () => {
    let h = 42n;
    h = xxh64Value("Spark", StringType, h);
    h = xxh64Value([123], ArrayType(IntegerType), h);
    h = xxh64Value(2, IntegerType, h);
    expect(BigInt.asIntN(64, h)).toBe(5602566077635097486n);
    // A null argument leaves the running hash as it is: xxhash64(NULL) is the seed.
    expect(xxh64Value(null, IntegerType, 42n)).toBe(42n);
    expect(evaluate("s STRING", [{ s: null }], fn("xxhash64", col("s"))).values).toEqual([42]);
    expect(evaluate("n INT", [{ n: 1 }], fn("xxhash64", lit("Spark"), fn("array", lit(123)), lit(2))).values).toEqual([5602566077635097486n]);
  });
});
