import { IntegerType, LongType, StringType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows, mapStrings } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import { requireFunction } from "./registry.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** ascii, chr/char, space, substring_index, bit_length, octet_length, len. */

const utf8 = new TextEncoder();

/** ascii(s): the code point of the first character; 0 for the empty string. */
const ascii = defineFunction({ name: "ascii", types: [StringType], result: IntegerType, f: (s: string) => (s.length === 0 ? 0 : s.codePointAt(0)!) });

/** chr(n)/char(n): the character (n mod 256); the empty string for n < 0. */
const chr = defineFunction({
  name: "chr", aliases: ["char"], types: [LongType], result: StringType,
  f: (x: number | bigint) => {
    const n = typeof x === "bigint" ? Number(BigInt.asUintN(8, x)) + (x < 0n ? -256 : 0) : x;
    return n < 0 ? "" : String.fromCharCode(Number(BigInt.asUintN(8, BigInt(Math.trunc(n)))));
  },
});

const space = defineFunction({ name: "space", types: [IntegerType], result: StringType, f: (n: number) => " ".repeat(Math.max(0, n)) });

/**
 * substring_index(s, delim, count): the part before the count-th delimiter (count > 0), or
 * after the count-th from the end (count < 0); empty for count 0 or an empty delimiter.
 */
export function substringIndex(s: string, delim: string, count: number): string {
  if (count === 0 || delim.length === 0) return "";
  // As Spark's UTF8String.subStringIndex: forward matches may overlap, backward ones do not.
  if (count > 0) {
    let at = -1;
    for (let k = 0; k < count; k++) {
      at = s.indexOf(delim, at + 1);
      if (at < 0) return s;
    }
    return s.slice(0, at);
  }
  let at = s.length;
  for (let k = 0; k < -count; k++) {
    const from = at - delim.length;
    at = from < 0 ? -1 : s.lastIndexOf(delim, from);
    if (at < 0) return s;
  }
  return s.slice(at + delim.length);
}

const substringIndexFn = defineFunction({
  name: "substring_index", types: [StringType, StringType, IntegerType], result: StringType,
  f: (s: string, [delim, count]) => substringIndex(s, delim as string, count as number),
});

/** bit_length and octet_length: of the UTF-8 bytes of a string, or of a binary. */
function byteLength(name: string, scale: number): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 1);
      return typeOf(args[0]!).kind === "binary" ? { args, dataType: IntegerType } : { args: [coerceArg(name, args, 0, StringType)], dataType: IntegerType };
    },
    evaluate([v], n) {
      if (v!.kind === "str") return mapStrings(v!, IntegerType, (s) => utf8.encode(s).length * scale);
      return mapRows([v!], n, IntegerType, ([b]) => (b as Uint8Array).length * scale);
    },
  };
}

/** len(s): length under its own name. */
const len: ScalarFunction = {
  name: "len",
  resolve: (args) => requireFunction("length").resolve(args),
  evaluate: (vecs, n, ctx, call) => requireFunction("length").evaluate(vecs, n, ctx, call),
};

export const stringExtraFunctions: ScalarFunction[] = [
  ascii, chr, space, substringIndexFn, byteLength("bit_length", 8), byteLength("octet_length", 1), len,
];
