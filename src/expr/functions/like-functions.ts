import { ExecutionError } from "../../common/errors.ts";
import { BooleanType, StringType } from "../../types/data-types.ts";
import { mapRows } from "../vec-ops.ts";
import { coerceArg, stringKernel, wrongNumArgs } from "./function-args.ts";
import { javaRegExp } from "./java-regex.ts";
import { likeToRegExp } from "./predicates.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** ILIKE, the quantified LIKE ANY/ALL forms, and regexp/regexp_like (RLIKE under its function names). */

const cache = new Map<string, RegExp>();

function likeRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? "i" : "s"}${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    const base = likeToRegExp(caseInsensitive ? pattern.toLowerCase() : pattern);
    re = caseInsensitive ? new RegExp(base.source, "siu") : base;
    if (cache.size > 1024) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** `a ILIKE p`: LIKE on lower-cased strings (Spark's ILike is Like(Lower(a), Lower(p))). */
const ilike: ScalarFunction = {
  name: "ilike",
  display: ([a, b]) => `ilike(${a}, ${b})`,
  resolve(args) {
    if (args.length !== 2) throw wrongNumArgs("ilike", args.length, 2);
    return { args: args.map((_, k) => coerceArg("ilike", args, k, StringType)), dataType: BooleanType };
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [p]) => likeRegExp(p as string, true).test(s.toLowerCase())),
};

/**
 * `a [NOT] LIKE|ILIKE ANY|ALL (p1, p2, …)` (SOME is ANY). As Spark's MultiLikeBase: null when
 * the value is null, or when no non-null pattern decides and some pattern is null.
 */
function quantifiedLike(name: string, ci: boolean, all: boolean, negated: boolean): ScalarFunction {
  const word = `${negated ? "NOT " : ""}${ci ? "ILIKE" : "LIKE"} ${all ? "ALL" : "ANY"}`;
  return {
    name,
    nullIntolerant: false,
    display: ([a, ...ps]) => `${a} ${word} (${ps.join(", ")})`,
    resolve(args) {
      if (args.length < 2) throw wrongNumArgs(name, args.length, 2, Infinity);
      return { args: args.map((_, k) => coerceArg(name, args, k, StringType)), dataType: BooleanType };
    },
    evaluate: (vecs, n) => mapRows(vecs, n, BooleanType, ([v, ...patterns]) => {
      if (v === null) return null;
      const s = ci ? (v as string).toLowerCase() : (v as string);
      let sawNull = false;
      for (const p of patterns) {
        if (p === null) { sawNull = true; continue; }
        const matches = likeRegExp(p as string, ci).test(s) !== negated;
        // ANY: one success decides; ALL: one failure decides.
        if (all ? !matches : matches) return !all;
      }
      return sawNull ? null : all;
    }, false),
  };
}

const regexCache = new Map<string, RegExp>();

/** regexp(str, regex) / regexp_like: RLIKE as a function (a find, not a whole-string match). */
const regexpLike: ScalarFunction = {
  name: "regexp_like",
  aliases: ["regexp"],
  resolve(args) {
    if (args.length !== 2) throw wrongNumArgs("regexp_like", args.length, 2);
    return { args: args.map((_, k) => coerceArg("regexp_like", args, k, StringType)), dataType: BooleanType };
  },
  evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [p]) => {
    let re = regexCache.get(p as string);
    if (re === undefined) {
      try {
        re = javaRegExp(p as string);
      } catch (e) {
        throw new ExecutionError(`[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter(s) \`regexp\` in \`regexp_like\` is invalid: '${p as string}'`, { cause: e });
      }
      if (regexCache.size > 1024) regexCache.clear();
      regexCache.set(p as string, re);
    }
    re.lastIndex = 0;
    return re.test(s);
  }),
};

export const likeFunctions: ScalarFunction[] = [
  ilike,
  regexpLike,
  ...[false, true].flatMap((ci) => [false, true].flatMap((all) => [false, true].map((negated) =>
    quantifiedLike(`${negated ? "not_" : ""}${ci ? "ilike" : "like"}_${all ? "all" : "any"}`, ci, all, negated)))),
];
