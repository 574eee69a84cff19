import { ExecutionError } from "../../common/errors.ts";
import { IntegerType, StringType } from "../../types/data-types.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg, wrongNumArgs } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { codePointLength, substringSQL } from "./string-functions.ts";

/** Parts of strings: split_part, btrim, left, right, overlay, translate, elt, find_in_set. */

const S = StringType, I = IntegerType;

/** split_part(str, delimiter, partNum): 1-based, negative from the end, '' beyond the parts. */
function splitPart(s: string, delim: string, part: number): string {
  if (part === 0) throw new ExecutionError("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).");
  const parts = delim === "" ? [s] : s.split(delim);
  const at = part > 0 ? part - 1 : parts.length + part;
  return at >= 0 && at < parts.length ? parts[at]! : "";
}

function trimBoth(s: string, chars: string | null): string {
  if (chars === null) {
    let a = 0, b = s.length;
    while (a < b && s.charCodeAt(a) === 32) a++;
    while (b > a && s.charCodeAt(b - 1) === 32) b--;
    return s.slice(a, b);
  }
  const set = new Set(Array.from(chars));
  const cps = Array.from(s);
  let a = 0, b = cps.length;
  while (a < b && set.has(cps[a]!)) a++;
  while (b > a && set.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join("");
}

const btrim: ScalarFunction = {
  ...defineFunction({ name: "btrim", types: [S, S], result: S, f: (s: string, [chars]) => trimBoth(s, (chars as string | undefined) ?? null) }),
  resolve(args) {
    checkArity("btrim", args, 1, 2);
    return { args: args.map((_, k) => coerceArg("btrim", args, k, S)), dataType: S };
  },
};

/** overlay(input PLACING replace FROM pos [FOR len]): Spark's Overlay on code points. */
function overlay(input: string, replace: string, pos: number, len: number): string {
  const length = len >= 0 ? len : codePointLength(replace);
  return substringSQL(input, 1, pos - 1) + replace + substringSQL(input, pos + length, 2147483647);
}

/** translate(input, from, to): each character of `from` becomes the one at its index in `to`, or is removed. */
function translate(input: string, from: string, to: string): string {
  const map = new Map<string, string | null>();
  const f = Array.from(from), t = Array.from(to);
  f.forEach((c, i) => { if (!map.has(c)) map.set(c, i < t.length ? t[i]! : null); });
  let out = "";
  for (const c of input) {
    const r = map.get(c);
    if (r === undefined) out += c;
    else if (r !== null) out += r;
  }
  return out;
}

/** elt(n, input1, input2, …): the n-th input, null when n is out of range (Spark's non-ANSI mode). */
const elt: ScalarFunction = {
  name: "elt",
  nullIntolerant: false,
  resolve(args) {
    if (args.length < 2) throw wrongNumArgs("elt", args.length, 2, Infinity);
    return { args: args.map((_, k) => coerceArg("elt", args, k, k === 0 ? I : S)), dataType: S };
  },
  evaluate: (vecs, n) => mapRows(vecs, n, S, ([k, ...inputs]) => {
    if (k === null) return null;
    const i = k as number;
    return i >= 1 && i <= inputs.length ? inputs[i - 1] : null;
  }, false),
};

function findInSet(s: string, list: string): number {
  if (s.includes(",")) return 0;
  const i = list.split(",").indexOf(s);
  return i + 1;
}

export const stringPartFunctions: ScalarFunction[] = [
  defineFunction({ name: "split_part", types: [S, S, I], result: S, f: (s: string, [d, p]) => splitPart(s, d as string, p as number) }),
  btrim,
  defineFunction({ name: "left", types: [S, I], result: S, f: (s: string, [n]) => ((n as number) <= 0 ? "" : substringSQL(s, 1, n as number)) }),
  defineFunction({ name: "right", types: [S, I], result: S, f: (s: string, [n]) => ((n as number) <= 0 ? "" : substringSQL(s, -(n as number), 2147483647)) }),
  defineFunction({
    name: "overlay", types: [S, S, I, I], defaults: [-1], result: S,
    f: (s: string, [r, p, l]) => overlay(s, r as string, p as number, l as number),
  }),
  defineFunction({ name: "translate", types: [S, S, S], result: S, f: (s: string, [from, to]) => translate(s, from as string, to as string) }),
  elt,
  defineFunction({ name: "find_in_set", types: [S, S], result: I, f: (s: string, [list]) => findInSet(s, list as string) }),
];
