import { BooleanType, IntegerType, StringType } from "../../types/data-types.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg, stringKernel } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** Measures of strings: levenshtein, soundex, luhn_check. */

const S = StringType, I = IntegerType;

/** Edit distance over code points; with a threshold, -1 once the distance exceeds it (Spark 3.5). */
export function levenshtein(a: string, b: string, threshold?: number): number {
  const s = Array.from(a), t = Array.from(b);
  if (s.length === 0 || t.length === 0) {
    const d = Math.max(s.length, t.length);
    return threshold !== undefined && d > threshold ? -1 : d;
  }
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  const d = prev[t.length]!;
  return threshold !== undefined && d > threshold ? -1 : d;
}

const levenshteinFn: ScalarFunction = {
  name: "levenshtein",
  resolve(args) {
    checkArity("levenshtein", args, 2, 3);
    return { args: args.map((_, k) => coerceArg("levenshtein", args, k, k < 2 ? S : I)), dataType: I };
  },
  evaluate: (vecs, n, _ctx, call) => {
    if (call.args.length === 3) return mapRows(vecs, n, I, ([a, b, th]) => levenshtein(a as string, b as string, th as number));
    return stringKernel(vecs, n, call, (a, [b]) => levenshtein(a, b as string));
  },
};

/** Codes of A…Z for American Soundex; 7 marks H and W, which do not separate equal codes. */
const SOUNDEX_CODES = "01230127022455012623017202";

/** Spark's soundex: a string that does not start with an ASCII letter is returned as it is. */
export function soundex(s: string): string {
  if (s === "") return "";
  const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);
  const first = upper(s.charCodeAt(0));
  if (first < 65 || first > 90) return s;
  const out = [String.fromCharCode(first)];
  let last = SOUNDEX_CODES[first - 65]!;
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const c = upper(s.charCodeAt(i));
    if (c < 65 || c > 90) { last = "0"; continue; }
    const code = SOUNDEX_CODES[c - 65]!;
    if (code === "7") continue;
    if (code !== "0" && code !== last) out.push(code);
    last = code;
  }
  while (out.length < 4) out.push("0");
  return out.join("");
}

/** Whether a string of digits passes the Luhn checksum (false for '' and for any non-digit). */
export function luhnCheck(s: string): boolean {
  if (s === "" || !/^[0-9]+$/.test(s)) return false;
  let sum = 0;
  for (let i = s.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let d = s.charCodeAt(i) - 48;
    if (alt) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

export const stringMetricFunctions: ScalarFunction[] = [
  levenshteinFn,
  defineFunction({ name: "soundex", types: [S], result: S, f: (s: string) => soundex(s) }),
  defineFunction({ name: "luhn_check", types: [S], result: BooleanType, f: (s: string) => luhnCheck(s) }),
];
