import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ArrayType, BooleanType, IntegerType, StringType, typeName, type DataType } from "../../types/data-types.ts";
import { valueAt } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { Literal, type Expression } from "../expression.ts";
import { asStr, constantVec, mapRows, mapStringDict, mapStrings } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { checkArity, coerceArg, isConstant, stringKernel, typeMismatch } from "./function-args.ts";
import { groupCount, invalidPatternMessage, javaRegExp, javaReplacement, javaSplit, type Replacement } from "./java-regex.ts";


const SURROGATE = /[\uD800-\uDFFF]/;

export function codePointLength(s: string): number {
  return SURROGATE.test(s) ? Array.from(s).length : s.length;
}

function cpSlice(s: string, start: number, end: number): string {
  return SURROGATE.test(s) ? Array.from(s).slice(start, end).join("") : s.slice(start, end);
}

/** 0-based code-point index of `sub` in `s` from code point `from`, or -1. */
function cpIndexOf(s: string, sub: string, from: number): number {
  if (!SURROGATE.test(s)) return from > s.length ? -1 : s.indexOf(sub, from);
  const cps = Array.from(s);
  if (from > cps.length) return -1;
  const at = s.indexOf(sub, cps.slice(0, from).join("").length);
  return at < 0 ? -1 : Array.from(s.slice(0, at)).length;
}

/** UTF8String.substringSQL: 1-based `pos`, 0 as 1, negative from the end. */
export function substringSQL(s: string, pos: number, len: number): string {
  const n = codePointLength(s);
  let start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
  const end = start + len;
  start = Math.max(start, 0);
  return start >= end ? "" : cpSlice(s, start, Math.min(end, n));
}

function trimChars(s: string, chars: string | null, leading: boolean, trailing: boolean): string {
  const set = chars === null ? null : new Set(Array.from(chars));
  const cps = set === null ? null : Array.from(s);
  if (cps === null) {
    // Spark trims the space character (ASCII 32) only, not all whitespace.
    let a = 0, b = s.length;
    if (leading) while (a < b && s.charCodeAt(a) === 32) a++;
    if (trailing) while (b > a && s.charCodeAt(b - 1) === 32) b--;
    return s.slice(a, b);
  }
  let a = 0, b = cps.length;
  if (leading) while (a < b && set!.has(cps[a]!)) a++;
  if (trailing) while (b > a && set!.has(cps[b - 1]!)) b--;
  return cps.slice(a, b).join("");
}


function unaryString(name: string, f: (s: string) => string, aliases?: string[]): ScalarFunction {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, StringType)], dataType: StringType };
    },
    evaluate: ([s]) => mapStringDict(asStr(s!), f),
  };
}

function trimFunction(name: string, leading: boolean, trailing: boolean, word: string): ScalarFunction {
  return {
    name,
    display: (args) => (args.length === 1 ? `${name}(${args[0]})` : `TRIM(${word} ${args[1]} FROM ${args[0]})`),
    resolve(args) {
      checkArity(name, args, 1, 2);
      return { args: args.map((_, k) => coerceArg(name, args, k, StringType)), dataType: StringType };
    },
    evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [chars]) => trimChars(s, (chars as string | undefined) ?? null, leading, trailing)),
  };
}

/** Resolves `(str, int…)` signatures, appending Spark's default literals for missing optional arguments. */
export function signature(fn: string, args: readonly Expression[], types: readonly DataType[], defaults: readonly unknown[], result: DataType) {
  const required = types.length - defaults.length;
  checkArity(fn, args, required, types.length);
  const full = [...args, ...defaults.slice(args.length - required).map((v, k) => Literal.create(v, types[args.length + k]!))];
  return { args: full.map((_, k) => coerceArg(fn, full, k, types[k]!)), dataType: result };
}

function stringFunction(
  name: string, types: readonly DataType[], defaults: readonly unknown[], result: DataType,
  f: (s: string, rest: unknown[]) => unknown, extra: Partial<ScalarFunction> = {},
): ScalarFunction {
  return {
    name,
    resolve: (args) => signature(name, args, types, defaults, result),
    evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, f),
    ...extra,
  };
}

const S = StringType, I = IntegerType;
const INT_MAX = 2147483647;

const length: ScalarFunction = {
  name: "length",
  aliases: ["char_length", "character_length"],
  resolve(args) {
    checkArity("length", args, 1);
    if (typeOf(args[0]!).kind === "binary") return { args, dataType: IntegerType };
    return { args: [coerceArg("length", args, 0, StringType)], dataType: IntegerType };
  },
  evaluate([v], n, _ctx, call) {
    if (v!.kind === "str") return mapStrings(v!, IntegerType, codePointLength);
    return mapRows([v!], n, call.dataType!, ([b]) => (b as Uint8Array).length);
  },
};

/** A regex argument compiled once per distinct pattern. */
const regexCache = new Map<string, RegExp>();
export function cachedRegExp(pattern: string, fn = "regexp"): RegExp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = javaRegExp(pattern);
    } catch (e) {
      throw new ExecutionError(invalidPatternMessage(fn, pattern), { cause: e });
    }
    if (regexCache.size > 1024) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Resolve-time check of a constant pattern, so a bad regex is an analysis error. */
export function checkConstantRegex(fn: string, e: Expression): void {
  if (e.kind !== "Literal" || typeof e.value !== "string") return;
  try {
    javaRegExp(e.value);
  } catch (err) {
    throw new AnalysisError(invalidPatternMessage(fn, e.value), { cause: err });
  }
}

const split: ScalarFunction = {
  name: "split",
  resolve(args) {
    const sig = signature("split", args, [S, S, I], [-1], ArrayType(StringType, false));
    checkConstantRegex("split", sig.args[1]!);
    return sig;
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [re, limit]) => javaSplit(s, cachedRegExp(re as string, "split"), re === "", limit as number)),
};

const regexpExtract: ScalarFunction = {
  name: "regexp_extract",
  resolve(args) {
    const sig = signature("regexp_extract", args, [S, S, I], [1], StringType);
    checkConstantRegex("regexp_extract", sig.args[1]!);
    return sig;
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [pattern, idx]) => {
    const re = cachedRegExp(pattern as string, call.name);
    const g = idx as number;
    if (g < 0) throw new ExecutionError(`regexp_extract: the specified group index cannot be less than zero, got ${g}`);
    if (g > 0 && g > groupCount(re)) throw new ExecutionError(`regexp_extract: regex group count is ${groupCount(re)}, but the specified group index is ${g}`);
    re.lastIndex = 0;
    const m = re.exec(s);
    return m === null ? "" : m[g] ?? "";
  }),
};

const replacementCache = new Map<string, Replacement>();
const regexpReplace: ScalarFunction = {
  name: "regexp_replace",
  resolve(args) {
    const sig = signature("regexp_replace", args, [S, S, S, I], [1], StringType);
    checkConstantRegex("regexp_replace", sig.args[1]!);
    return sig;
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [pattern, rep, position]) => {
    const pos = (position as number) - 1;
    if (pos < 0) throw new ExecutionError(`regexp_replace: the position must be positive, got ${pos + 1}`);
    if (pos !== 0 && pos >= s.length) return s;
    const re = cachedRegExp(pattern as string, call.name);
    const key = `${re.source}\u0000${rep as string}`;
    let r = replacementCache.get(key);
    if (r === undefined) {
      r = javaReplacement(rep as string, re);
      if (replacementCache.size > 1024) replacementCache.clear();
      replacementCache.set(key, r);
    }
    return s.slice(0, pos) + r(s.slice(pos));
  }),
};

const concat: ScalarFunction = {
  name: "concat",
  resolve(args) {
    const types = args.map(typeOf);
    if (types.some((t) => t.kind === "array")) {
      let elem: DataType | null = null;
      types.forEach((t, k) => {
        if (t.kind === "null") return;
        if (t.kind !== "array") throw typeMismatch("concat", args, k, "array");
        const w: DataType | null = elem === null ? t.elementType : widerType(elem, t.elementType);
        if (w === null) throw typeMismatch("concat", args, k, typeName(ArrayType(elem!)));
        elem = w;
      });
      const type = ArrayType(elem!);
      return { args: args.map((a) => castIfNeeded(a, type)), dataType: type };
    }
    return { args: args.map((_, k) => coerceArg("concat", args, k, StringType)), dataType: StringType };
  },
  evaluate(vecs, n, _ctx, call) {
    const type = call.dataType!;
    if (type.kind === "array") return mapRows(vecs, n, type, (vals) => ([] as unknown[]).concat(...vals));
    if (vecs.length === 0) return constantVec("", StringType, n);
    // One varying column among constants (e.g. concat('user-', id)): once per dictionary entry.
    const varying = call.args.map((a, k) => (isConstant(a) ? -1 : k)).filter((k) => k >= 0);
    if (n > 0 && varying.length === 1) {
      const k = varying[0]!;
      const consts = vecs.map((v) => valueAt(v, 0));
      if (consts.some((c, j) => j !== k && c === null)) return constantVec(null, StringType, n);
      const before = consts.slice(0, k).join(""), after = consts.slice(k + 1).join("");
      return mapStringDict(asStr(vecs[k]!), (s) => before + s + after);
    }
    return mapRows(vecs, n, StringType, (vals) => vals.join(""));
  },
};

const concatWs: ScalarFunction = {
  name: "concat_ws",
  nullIntolerant: false,
  resolve(args) {
    checkArity("concat_ws", args, 1, Infinity);
    const out = args.map((a, k) => {
      const t = typeOf(a);
      if (k > 0 && t.kind === "array") {
        if (t.elementType.kind !== "string" && t.elementType.kind !== "null") throw typeMismatch("concat_ws", args, k, "array<string>");
        return castIfNeeded(a, ArrayType(StringType));
      }
      return coerceArg("concat_ws", args, k, StringType);
    });
    return { args: out, dataType: StringType };
  },
  evaluate(vecs, n) {
    return mapRows(vecs, n, StringType, ([sep, ...rest]) => {
      if (sep === null) return null;
      const parts: string[] = [];
      for (const r of rest) {
        if (Array.isArray(r)) for (const x of r) { if (x !== null) parts.push(x as string); }
        else if (r !== null) parts.push(r as string);
      }
      return parts.join(sep as string);
    }, false);
  },
};

const locate: ScalarFunction = {
  name: "locate",
  aliases: ["position"],
  nullIntolerant: false,
  resolve: (args) => signature("locate", args, [S, S, I], [1], IntegerType),
  evaluate(vecs, n, _ctx, call) {
    return mapRows(vecs, n, call.dataType!, ([sub, s, start]) => {
      // Spark: a null start position gives 0, not null.
      if (start === null) return 0;
      if (sub === null || s === null) return null;
      return (start as number) < 1 ? 0 : cpIndexOf(s as string, sub as string, (start as number) - 1) + 1;
    }, false);
  },
};

function reverseValue(x: unknown): unknown {
  return Array.isArray(x) ? [...x].reverse() : Array.from(x as string).reverse().join("");
}

const reverse: ScalarFunction = {
  name: "reverse",
  resolve(args) {
    checkArity("reverse", args, 1);
    const t = typeOf(args[0]!);
    if (t.kind === "array") return { args, dataType: t };
    return { args: [coerceArg("reverse", args, 0, StringType)], dataType: StringType };
  },
  evaluate([v], n, _ctx, call) {
    if (v!.kind === "str") return mapStringDict(v!, (s) => reverseValue(s) as string);
    return mapRows([v!], n, call.dataType!, ([a]) => reverseValue(a));
  },
};

/** Spark's initcap: lower-case, then upper-case the first letter of each space-separated word. */
function initcap(s: string): string {
  return s.toLowerCase().split(" ").map((w) => {
    if (w === "") return w;
    const first = String.fromCodePoint(w.codePointAt(0)!);
    return first.toUpperCase() + w.slice(first.length);
  }).join(" ");
}

function boolStringFunction(name: string, f: (a: string, b: string) => boolean): ScalarFunction {
  return stringFunction(name, [S, S], [], BooleanType, (s, [x]) => f(s, x as string));
}

export const stringFunctions: ScalarFunction[] = [
  unaryString("lower", (s) => s.toLowerCase(), ["lcase"]),
  unaryString("upper", (s) => s.toUpperCase(), ["ucase"]),
  unaryString("initcap", initcap),
  trimFunction("trim", true, true, "BOTH"),
  trimFunction("ltrim", true, false, "LEADING"),
  trimFunction("rtrim", false, true, "TRAILING"),
  length,
  stringFunction("substring", [S, I, I], [INT_MAX], S, (s, [pos, len]) => substringSQL(s, pos as number, len as number), { aliases: ["substr"] }),
  split,
  concat,
  concatWs,
  regexpExtract,
  regexpReplace,
  stringFunction("instr", [S, S], [], I, (s, [sub]) => cpIndexOf(s, sub as string, 0) + 1),
  locate,
  reverse,
  stringFunction("repeat", [S, I], [], S, (s, [times]) => ((times as number) > 0 ? s.repeat(times as number) : "")),
  stringFunction("replace", [S, S, S], [""], S, (s, [search, rep]) => (search === "" ? s : s.split(search as string).join(rep as string))),
  boolStringFunction("startswith", (a, b) => a.startsWith(b)),
  boolStringFunction("endswith", (a, b) => a.endsWith(b)),
  boolStringFunction("contains", (a, b) => a.includes(b)),
];
