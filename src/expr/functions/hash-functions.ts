import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { BinaryType, IntegerType, LongType, StringType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { wrongNumArgs } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { murmur3Value, xxh64Value } from "./spark-hashes.ts";
import { XXH64_OUT } from "./xxhash64-words.ts";

/** hash, xxhash64 (Spark's, seed 42), md5, sha1/sha, sha2, crc32. */

const SEED = 42;

const hash: ScalarFunction = {
  name: "hash",
  nullIntolerant: false,
  resolve(args) {
    if (args.length < 1) throw wrongNumArgs("hash", args.length, 1, Infinity);
    return { args, dataType: IntegerType };
  },
  evaluate(vecs, n, _ctx, call) {
    const types = call.args.map(typeOf);
    return mapRows(vecs, n, IntegerType, (vals) => {
      let h = SEED;
      for (let k = 0; k < vals.length; k++) h = murmur3Value(vals[k], types[k]!, h);
      return h;
    }, false);
  },
};

const xxhash64: ScalarFunction = {
  name: "xxhash64",
  nullIntolerant: false,
  resolve(args) {
    if (args.length < 1) throw wrongNumArgs("xxhash64", args.length, 1, Infinity);
    return { args, dataType: LongType };
  },
  evaluate(vecs, n, _ctx, call) {
    const types = call.args.map(typeOf);
    return mapRows(vecs, n, LongType, (vals) => {
      XXH64_OUT[0] = 0;
      XXH64_OUT[1] = SEED;
      for (let k = 0; k < vals.length; k++) xxh64Value(vals[k], types[k]!, XXH64_OUT[0]!, XXH64_OUT[1]!);
      return longOfWords(XXH64_OUT[0]!, XXH64_OUT[1]!);
    }, false);
  },
};

/** The signed long of a 64-bit value's [high, low] words: a number while safe, else a bigint. */
function longOfWords(hi: number, lo: number): number | bigint {
  const high = hi | 0;
  if (high >= -0x200000 && high < 0x200000) return high * 4294967296 + lo;
  return (BigInt(high) << 32n) | BigInt(lo);
}

function digest(algorithm: string, b: Uint8Array): string {
  return createHash(algorithm).update(b).digest("hex");
}

const SHA2: Record<number, string> = { 0: "sha256", 224: "sha224", 256: "sha256", 384: "sha384", 512: "sha512" };

export const hashFunctions: ScalarFunction[] = [
  hash,
  xxhash64,
  defineFunction({ name: "md5", types: [BinaryType], result: StringType, f: (b: Uint8Array) => digest("md5", b) }),
  defineFunction({ name: "sha1", aliases: ["sha"], types: [BinaryType], result: StringType, f: (b: Uint8Array) => digest("sha1", b) }),
  defineFunction({
    name: "sha2", types: [BinaryType, IntegerType], result: StringType,
    // An unsupported bit length gives null, as Spark's.
    f: (b: Uint8Array, [bits]) => (SHA2[bits as number] === undefined ? null : digest(SHA2[bits as number]!, b)),
  }),
  defineFunction({ name: "crc32", types: [BinaryType], result: LongType, f: (b: Uint8Array) => crc32(b) }),
];
