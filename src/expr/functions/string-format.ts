import { randomUUID } from "node:crypto";
import { ArrayType, StringType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { mapRows } from "../vec-ops.ts";
import { defineFunction } from "./define-function.ts";
import { checkArity, coerceArg, wrongNumArgs } from "./function-args.ts";
import { javaFormat } from "./java-format.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** Strings made or rewritten whole: format_string/printf, mask, sentences, uuid. */

const S = StringType;

/** format_string(format, args…): Java's String.format; a null format gives null, a null argument prints "null". */
const formatString: ScalarFunction = {
  name: "format_string",
  aliases: ["printf"],
  nullIntolerant: false,
  resolve(args) {
    if (args.length < 1) throw wrongNumArgs("format_string", args.length, 1, Infinity);
    return { args: [coerceArg("format_string", args, 0, S), ...args.slice(1)], dataType: S };
  },
  evaluate(vecs, n, _ctx, call) {
    const types = call.args.slice(1).map(typeOf);
    return mapRows(vecs, n, S, ([fmt, ...rest]) => (fmt === null ? null : javaFormat(fmt as string, rest.map((value, k) => ({ value, type: types[k]! })))), false);
  },
};

/** mask(str[, upperChar, lowerChar, digitChar, otherChar]): a null replacement leaves that class as it is. */
function mask(s: string, upper: string | null, lower: string | null, digit: string | null, other: string | null): string {
  let out = "";
  for (const c of s) {
    if (c >= "A" && c <= "Z") out += upper ?? c;
    else if (c >= "a" && c <= "z") out += lower ?? c;
    else if (c >= "0" && c <= "9") out += digit ?? c;
    else out += other ?? c;
  }
  return out;
}

const maskFn: ScalarFunction = {
  name: "mask",
  nullIntolerant: false,
  resolve(args) {
    checkArity("mask", args, 1, 5);
    return { args: args.map((_, k) => coerceArg("mask", args, k, S)), dataType: S };
  },
  evaluate(vecs, n, _ctx, call) {
    const defaults = ["X", "x", "n", null];
    const given = call.args.length - 1;
    return mapRows(vecs, n, S, ([s, ...r]) => {
      if (s === null) return null;
      const [u, l, d, o] = defaults.map((x, k) => (k < given ? (r[k] as string | null) : x));
      return mask(s as string, first(u!), first(l!), first(d!), first(o!));
    }, false);
  },
};

/** The replacement character of mask(): the first character of its argument. */
function first(s: string | null): string | null {
  return s === null ? null : (Array.from(s)[0] ?? null);
}

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });
const wordSegmenters = new Map<string, Intl.Segmenter>();

/** sentences(str[, lang, country]): words of each sentence, as Java's BreakIterator finds them. */
function sentences(s: string, lang: string, country: string): string[][] {
  const locale = lang === "" ? "en" : country === "" ? lang : `${lang}-${country}`;
  let words = wordSegmenters.get(locale);
  if (words === undefined) {
    try {
      words = new Intl.Segmenter(locale, { granularity: "word" });
    } catch {
      words = new Intl.Segmenter("en", { granularity: "word" });
    }
    wordSegmenters.set(locale, words);
  }
  const out: string[][] = [];
  for (const { segment } of sentenceSegmenter.segment(s)) {
    const ws = [...words.segment(segment)].filter((w) => w.isWordLike).map((w) => w.segment);
    if (ws.length > 0) out.push(ws);
  }
  return out;
}

export const stringFormatFunctions: ScalarFunction[] = [
  formatString,
  maskFn,
  defineFunction({
    name: "sentences", types: [S, S, S], defaults: ["", ""], result: ArrayType(ArrayType(S)),
    f: (s: string, [lang, country]) => sentences(s, lang as string, country as string),
  }),
  defineFunction({ name: "uuid", types: [], result: S, deterministic: false, f: () => randomUUID() }),
];
