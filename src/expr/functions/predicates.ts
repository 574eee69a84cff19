import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { BooleanType, StringType, typeName } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { dataDiffTypes, widerCommonType } from "../type-coercion-wider.ts";
import { asBool, asStr, boolVec, mapStrings, mergeValid } from "../vec-ops.ts";
import { compareVecs } from "./comparison.ts";
import { invalidPatternMessage, javaRegExp } from "./java-regex.ts";
import type { ScalarFunction } from "./scalar-function.ts";

function requireBoolean(fn: string, t: ReturnType<typeof typeOf>): void {
  if (t.kind !== "boolean" && t.kind !== "null") {
    throw new AnalysisError(`cannot resolve '${fn}': argument must be boolean, but it is of type ${typeName(t)}`);
  }
}

/** Three-valued AND: false wins over null. */
const and: ScalarFunction = {
  name: "and",
  nullIntolerant: false,
  display: ([a, b]) => `(${a} AND ${b})`,
  resolve(args) {
    args.forEach((a) => requireBoolean("AND", typeOf(a)));
    return { args: args.map((a) => castIfNeeded(a, BooleanType)), dataType: BooleanType };
  },
  evaluate([a, b], n) {
    const x = asBool(a!), y = asBool(b!);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = x.values[i]! & y.values[i]!;
    if (x.valid === null && y.valid === null) return boolVec(BooleanType, out, null);
    const valid = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const vx = x.valid === null ? 1 : x.valid[i]!, vy = y.valid === null ? 1 : y.valid[i]!;
      const fx = vx === 1 && x.values[i] === 0, fy = vy === 1 && y.values[i] === 0;
      valid[i] = fx || fy || (vx === 1 && vy === 1) ? 1 : 0;
      if (fx || fy) out[i] = 0;
    }
    return boolVec(BooleanType, out, valid);
  },
};

/** Three-valued OR: true wins over null. */
const or: ScalarFunction = {
  name: "or",
  nullIntolerant: false,
  display: ([a, b]) => `(${a} OR ${b})`,
  resolve(args) {
    args.forEach((a) => requireBoolean("OR", typeOf(a)));
    return { args: args.map((a) => castIfNeeded(a, BooleanType)), dataType: BooleanType };
  },
  evaluate([a, b], n) {
    const x = asBool(a!), y = asBool(b!);
    const out = new Uint8Array(n);
    const valid = x.valid === null && y.valid === null ? null : new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const vx = x.valid === null ? 1 : x.valid[i]!, vy = y.valid === null ? 1 : y.valid[i]!;
      const tx = vx === 1 && x.values[i] === 1, ty = vy === 1 && y.values[i] === 1;
      out[i] = tx || ty ? 1 : 0;
      if (valid !== null) valid[i] = tx || ty || (vx === 1 && vy === 1) ? 1 : 0;
    }
    return boolVec(BooleanType, out, valid);
  },
};

const not: ScalarFunction = {
  name: "not",
  aliases: ["!"],
  display: ([a]) => `(NOT ${a})`,
  resolve(args) {
    requireBoolean("NOT", typeOf(args[0]!));
    return { args: [castIfNeeded(args[0]!, BooleanType)], dataType: BooleanType };
  },
  evaluate([a], n) {
    const x = asBool(a!);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = x.values[i]! ^ 1;
    return boolVec(BooleanType, out, x.valid);
  },
};

function nullTest(name: string, wantNull: boolean, display: string): ScalarFunction {
  return {
    name,
    nullIntolerant: false,
    display: ([a]) => `(${a} ${display})`,
    resolve: (args) => ({ args, dataType: BooleanType }),
    evaluate([a], n) {
      const out = new Uint8Array(n);
      const valid = a!.valid;
      for (let i = 0; i < n; i++) {
        const isNull = valid !== null && valid[i] === 0;
        out[i] = isNull === wantNull ? 1 : 0;
      }
      return boolVec(BooleanType, out, null);
    },
  };
}

/** `x IN (a, b, …)`: null when x is null, or when no match and the list holds a null. */
const inList: ScalarFunction = {
  name: "in",
  nullIntolerant: false,
  display: ([a, ...rest]) => `(${a} IN (${rest.join(", ")}))`,
  resolve(args) {
    // Spark's InConversion: the wider common type of the value and the list, promoting to string (`'01' IN (1, 'a')` compares strings).
    const common = widerCommonType(args.map(typeOf));
    if (common === null) throw dataDiffTypes(`(${displayExpression(args[0]!)} IN (${args.slice(1).map(displayExpression).join(", ")}))`, "in", args);
    return { args: args.map((a) => castIfNeeded(a, common)), dataType: BooleanType };
  },
  evaluate([x, ...list], n) {
    const out = new Uint8Array(n);
    let sawNullItem: Uint8Array | null = null;
    for (const item of list) {
      const eq = compareVecs(x!, item, "=", n);
      for (let i = 0; i < n; i++) {
        if (item.valid !== null && item.valid[i] === 0) { sawNullItem ??= new Uint8Array(n); sawNullItem[i] = 1; }
        else out[i] = out[i]! | eq[i]!;
      }
    }
    let valid = x!.valid === null ? null : x!.valid.slice();
    if (sawNullItem !== null) {
      valid ??= new Uint8Array(n).fill(1);
      for (let i = 0; i < n; i++) if (out[i] === 0 && sawNullItem[i] === 1) valid[i] = 0;
    }
    return boolVec(BooleanType, out, valid);
  },
};

/**
 * SQL LIKE pattern → anchored RegExp (`%` any run, `_` one character, `\` escapes). Unicode
 * mode ("u"): `_` is one code point, as Spark's (an emoji is one character, not two).
 */
export function likeToRegExp(pattern: string, escape = "\\"): RegExp {
  let re = "^";
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === escape && i + 1 < chars.length) re += chars[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(re + "$", "su");
}

/** RLIKE's pattern: java.util.regex, found anywhere in the string (Matcher.find). */
function rlikeRegExp(pattern: string): RegExp {
  let re: RegExp;
  try {
    re = javaRegExp(pattern);
  } catch (e) {
    throw new ExecutionError(invalidPatternMessage("rlike", pattern), { cause: e });
  }
  // test() on a global RegExp resumes from lastIndex: match each string from its start.
  return new RegExp(re.source, re.flags.replace("g", ""));
}

function patternMatch(name: string, toRegExp: (p: string) => RegExp, display: string): ScalarFunction {
  return {
    name,
    display: ([a, b]) => `${a} ${display} ${b}`,
    resolve(args) {
      return { args: [castIfNeeded(args[0]!, StringType), castIfNeeded(args[1]!, StringType)], dataType: BooleanType };
    },
    evaluate([a, p], n) {
      const s = asStr(a!), pat = asStr(p!);
      // The usual case is a constant pattern: compile it once and test each distinct string once.
      if (pat.dict.length === 1) {
        const re = toRegExp(pat.dict[0]!);
        const v = mapStrings(s, BooleanType, (x) => re.test(x));
        return { ...v, valid: mergeValid(n, v, pat) } as Vec;
      }
      const out = new Uint8Array(n);
      const cache = new Map<string, RegExp>();
      for (let i = 0; i < n; i++) {
        const ps = pat.dict[pat.codes[i]!]!;
        let re = cache.get(ps);
        if (!re) { re = toRegExp(ps); cache.set(ps, re); }
        out[i] = re.test(s.dict[s.codes[i]!]!) ? 1 : 0;
      }
      return boolVec(BooleanType, out, mergeValid(n, s, pat));
    },
  };
}

export const predicateFunctions: ScalarFunction[] = [
  and,
  or,
  not,
  nullTest("isnull", true, "IS NULL"),
  nullTest("isnotnull", false, "IS NOT NULL"),
  inList,
  patternMatch("like", (p) => likeToRegExp(p), "LIKE"),
  patternMatch("rlike", rlikeRegExp, "RLIKE"),
];
