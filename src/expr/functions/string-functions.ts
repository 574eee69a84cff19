import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ArrayType, BooleanType, IntegerType, StringType, typeName, type DataType } from "../../types/data-types.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { Literal, type Call, type Expression } from "../expression.ts";
import { asStr, constantVec, mapRows, mapStringDict, mapStrings } from "../vec-ops.ts";
import type { ScalarFunction } from "./scalar-function.ts";

// ---------- argument checking, shared by the string, date/time and collection functions ----------

export function checkArity(fn: string, args: readonly Expression[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new AnalysisError(`[WRONG_NUM_ARGS] The \`${fn}\` requires ${expected} parameters but the actual number is ${args.length}.`);
  }
}

/** Whether Spark (non-ANSI) implicitly casts a value of type `from` where `to` is expected. */
function implicitlyCastable(from: DataType, to: DataType): boolean {
  if (from.kind === to.kind || from.kind === "null") return true;
  const atomic = from.kind !== "struct" && from.kind !== "array" && from.kind !== "map";
  switch (to.kind) {
    case "string": return atomic;
    case "int": case "long": case "double": return from.kind === "int" || from.kind === "long" || from.kind === "double" || from.kind === "string";
    case "timestamp": return from.kind === "date" || from.kind === "string";
    case "date": return from.kind === "timestamp" || from.kind === "string";
    default: return false;
  }
}

/** Argument `k` of `fn` as type `to`, with Spark's implicit casts; AnalysisError naming the call otherwise. */
export function coerceArg(fn: string, args: readonly Expression[], k: number, to: DataType): Expression {
  const arg = args[k]!;
  const t = typeOf(arg);
  if (!implicitlyCastable(t, to)) throw typeMismatch(fn, args, k, typeName(to));
  return castIfNeeded(arg, to);
}

export function typeMismatch(fn: string, args: readonly Expression[], k: number, expected: string): AnalysisError {
  const call = `${fn}(${args.map(displayExpression).join(", ")})`;
  return new AnalysisError(
    `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${call}" due to data type mismatch: ` +
    `parameter ${k + 1} requires the ${expected} type, however "${displayExpression(args[k]!)}" has the type ${typeName(typeOf(args[k]!))}.`,
  );
}

/** A literal, possibly under casts: its vector holds one value repeated. */
export function isConstant(e: Expression): boolean {
  return e.kind === "Literal" || (e.kind === "Cast" && isConstant(e.child));
}

/**
 * Runs `f(str, otherArgs)` for a function whose first argument is a string. When the
 * other arguments are constants (the usual case) it runs once per dictionary entry and
 * keeps string results dictionary-encoded; otherwise row by row. Nulls give null.
 */
export function stringKernel(vecs: readonly Vec[], n: number, call: Call, f: (s: string, rest: unknown[]) => unknown): Vec {
  const type = call.dataType!;
  if (n > 0 && call.args.slice(1).every(isConstant)) {
    const rest = vecs.slice(1).map((v) => valueAt(v, 0));
    if (rest.includes(null)) return constantVec(null, type, n);
    const s = asStr(vecs[0]!);
    return type.kind === "string" ? mapStringDict(s, (x) => f(x, rest) as string | null) : mapStrings(s, type, (x) => f(x, rest));
  }
  return mapRows(vecs, n, type, (vals) => f(vals[0] as string, vals.slice(1)));
}

// ---------- code points: Spark counts characters as Unicode code points ----------

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

function pad(s: string, len: number, padding: string, left: boolean): string {
  const n = codePointLength(s);
  const spaces = len - n;
  if (spaces <= 0 || padding === "") return cpSlice(s, 0, Math.max(len, 0));
  const padChars = Array.from(padding);
  let fill = "";
  for (let i = 0; i < spaces; i++) fill += padChars[i % padChars.length];
  return left ? fill + s : s + fill;
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

// ---------- Java regular expressions (Spark's regex functions use java.util.regex) ----------

const POSIX_CLASSES: Record<string, string> = {
  Lower: "a-z", Upper: "A-Z", ASCII: "\\x00-\\x7F", Alpha: "a-zA-Z", Digit: "0-9", Alnum: "a-zA-Z0-9",
  Punct: "!-\\/:-@\\[-`{-~", Graph: "!-~", Print: " -~", Blank: " \\t", Cntrl: "\\x00-\\x1F\\x7F",
  XDigit: "0-9a-fA-F", Space: " \\t\\n\\x0B\\f\\r",
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Translates a Java regex to a JS RegExp: leading inline flags `(?i)`, `\Q…\E` quoting,
 * `\A` `\z` `\Z`, POSIX classes `\p{Alpha}`, possessive quantifiers and atomic groups
 * (matched greedily, which accepts the same strings in the common cases).
 */
export function javaRegExp(pattern: string): RegExp {
  let src = pattern;
  let flags = "g";
  const inline = /^\(\?([imsdu]+)\)/.exec(src);
  if (inline) {
    for (const f of inline[1]!) if ("ims".includes(f) && !flags.includes(f)) flags += f;
    src = src.slice(inline[0].length);
  }
  let out = "";
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const d = src[i + 1] ?? "";
      i++;
      afterQuantifier = false;
      if (d === "Q") {
        const end = src.indexOf("\\E", i + 1);
        out += escapeRegExp(end < 0 ? src.slice(i + 1) : src.slice(i + 1, end));
        i = end < 0 ? src.length : end + 1;
      } else if ((d === "p" || d === "P") && src[i + 1] === "{") {
        const end = src.indexOf("}", i);
        const name = src.slice(i + 2, end).replace(/^Is/, "");
        const cls = POSIX_CLASSES[name];
        if (cls === undefined) throw new SyntaxError(`unsupported character class \\${d}{${name}}`);
        out += inClass ? (d === "p" ? cls : (() => { throw new SyntaxError(`\\P{${name}} inside a character class is not supported`); })()) : `[${d === "P" ? "^" : ""}${cls}]`;
        i = end;
      } else if (!inClass && d === "A") out += "(?<![\\s\\S])";
      else if (!inClass && d === "z") out += "(?![\\s\\S])";
      else if (!inClass && d === "Z") out += "(?=\\n?(?![\\s\\S]))";
      else out += c + d;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") { out += "\\]"; i++; }
      afterQuantifier = false;
      continue;
    }
    if (c === "+" && afterQuantifier) { afterQuantifier = false; continue; }
    if (c === "(" && src[i + 1] === "?" && src[i + 2] === ">") { out += "(?:"; i += 2; continue; }
    out += c;
    afterQuantifier = c === "*" || c === "+" || c === "?" || c === "}";
  }
  return new RegExp(out, flags);
}

/** Replaces every match in a string. */
export type Replacement = (s: string) => string;

/** Compiles a Java replacement string (`$1`, `${name}`, `\$` for a literal `$`) for `re`. */
export function javaReplacement(rep: string, re: RegExp): Replacement {
  const groups = groupCount(re);
  const parts: (string | number)[] = [];
  let lit = "";
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i]!;
    if (c === "\\") {
      if (i + 1 >= rep.length) throw new ExecutionError(`regexp_replace: character to be escaped is missing in '${rep}'`);
      lit += rep[++i];
    } else if (c === "$") {
      if (rep[i + 1] === "{") {
        const end = rep.indexOf("}", i);
        if (end < 0) throw new ExecutionError(`regexp_replace: named capturing group is missing trailing '}' in '${rep}'`);
        parts.push(lit); lit = "";
        parts.push(rep.slice(i + 2, end));
        i = end;
        continue;
      }
      let g = rep.charCodeAt(i + 1) - 48;
      if (!(g >= 0 && g <= 9)) throw new ExecutionError(`regexp_replace: illegal group reference in '${rep}'`);
      if (g > groups) throw new ExecutionError(`regexp_replace: no group ${g} in '${re.source}'`);
      i++;
      // Java takes further digits while the group number stays valid.
      while (i + 1 < rep.length) {
        const d = rep.charCodeAt(i + 1) - 48;
        if (!(d >= 0 && d <= 9) || g * 10 + d > groups) break;
        g = g * 10 + d;
        i++;
      }
      parts.push(lit); lit = "";
      parts.push(g);
    } else lit += c;
  }
  parts.push(lit);
  return (s) => {
    re.lastIndex = 0;
    return s.replace(re, (...m: unknown[]) => {
      const named = typeof m[m.length - 1] === "object" ? (m[m.length - 1] as Record<string, string | undefined> | undefined) : undefined;
      let out = "";
      parts.forEach((p, k) => {
        if (k % 2 === 0) out += p as string;
        else if (typeof p === "number") out += (m[p] as string | undefined) ?? "";
        else {
          if (named === undefined || !(p in named)) throw new ExecutionError(`regexp_replace: no group with name {${p}}`);
          out += named[p] ?? "";
        }
      });
      return out;
    });
  };
}

/** Java's Pattern.split with Spark's limit handling (limit ≤ 0: unlimited, trailing empty strings kept). */
export function javaSplit(s: string, re: RegExp, emptyPattern: boolean, limit: number): string[] {
  if (emptyPattern && s !== "") {
    // Spark splits into characters, ignoring the trailing empty string.
    const cps = Array.from(s);
    const n = limit > cps.length || limit <= 0 ? cps.length : limit;
    return [...cps.slice(0, n - 1), cps.slice(n - 1).join("")];
  }
  const out: string[] = [];
  let index = 0;
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const start = m.index, end = start + m[0].length;
    if (end === start) re.lastIndex++;
    if (limit > 0 && out.length >= limit - 1) break;
    // A zero-width match at the beginning never yields a leading empty string.
    if (start === 0 && end === 0) continue;
    out.push(s.slice(index, start));
    index = end;
  }
  if (index === 0 && out.length === 0) return [s];
  out.push(s.slice(index));
  return out;
}

// ---------- the functions ----------

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
function signature(fn: string, args: readonly Expression[], types: readonly DataType[], defaults: readonly unknown[], result: DataType) {
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

/** Number of capturing groups of a regex. */
const groupCounts = new WeakMap<RegExp, number>();
export function groupCount(re: RegExp): number {
  let n = groupCounts.get(re);
  if (n === undefined) {
    n = new RegExp(`${re.source}|`, re.flags.replace("g", "")).exec("")!.length - 1;
    groupCounts.set(re, n);
  }
  return n;
}

/** A regex argument compiled once per distinct pattern. */
const regexCache = new Map<string, RegExp>();
function cachedRegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = javaRegExp(pattern);
    } catch (e) {
      throw new ExecutionError(`invalid regular expression '${pattern}': ${(e as Error).message}`, { cause: e });
    }
    if (regexCache.size > 1024) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Resolve-time check of a constant pattern, so a bad regex is an analysis error. */
function checkConstantRegex(fn: string, e: Expression): void {
  if (e.kind !== "Literal" || typeof e.value !== "string") return;
  try {
    javaRegExp(e.value);
  } catch (err) {
    throw new AnalysisError(`${fn}: invalid regular expression '${e.value}': ${(err as Error).message}`, { cause: err });
  }
}

const split: ScalarFunction = {
  name: "split",
  resolve(args) {
    const sig = signature("split", args, [S, S, I], [-1], ArrayType(StringType, false));
    checkConstantRegex("split", sig.args[1]!);
    return sig;
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [re, limit]) => javaSplit(s, cachedRegExp(re as string), re === "", limit as number)),
};

const regexpExtract: ScalarFunction = {
  name: "regexp_extract",
  resolve(args) {
    const sig = signature("regexp_extract", args, [S, S, I], [1], StringType);
    checkConstantRegex("regexp_extract", sig.args[1]!);
    return sig;
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [pattern, idx]) => {
    const re = cachedRegExp(pattern as string);
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
    const re = cachedRegExp(pattern as string);
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
  stringFunction("lpad", [S, I, S], [" "], S, (s, [len, p]) => pad(s, len as number, p as string, true)),
  stringFunction("rpad", [S, I, S], [" "], S, (s, [len, p]) => pad(s, len as number, p as string, false)),
  reverse,
  stringFunction("repeat", [S, I], [], S, (s, [times]) => ((times as number) > 0 ? s.repeat(times as number) : "")),
  stringFunction("replace", [S, S, S], [""], S, (s, [search, rep]) => (search === "" ? s : s.split(search as string).join(rep as string))),
  boolStringFunction("startswith", (a, b) => a.startsWith(b)),
  boolStringFunction("endswith", (a, b) => a.endsWith(b)),
  boolStringFunction("contains", (a, b) => a.includes(b)),
];
