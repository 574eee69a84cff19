import { ExecutionError } from "../../common/errors.ts";
import { ArrayType, IntegerType, StringType, type DataType } from "../../types/data-types.ts";
import { stringKernel } from "./function-args.ts";
import { groupCount } from "./java-regex.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { cachedRegExp, checkConstantRegex, signature } from "./string-functions.ts";

/** regexp_count, regexp_extract_all, regexp_instr, regexp_substr: java.util.regex matching, as Spark's. */

const S = StringType, I = IntegerType;

/** Each match of `re` in `s`, as Matcher.find() steps (an empty match moves on by one). */
function* matches(s: string, re: RegExp): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[0].length === 0) re.lastIndex++;
    yield m;
    if (re.lastIndex > s.length) break;
  }
}

function checkGroup(fn: string, re: RegExp, g: number): void {
  const count = groupCount(re);
  if (g < 0 || g > count) {
    throw new ExecutionError(
      `[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] The value of parameter(s) \`idx\` in \`${fn}\` is invalid: ` +
      `Expects group index between 0 and ${count}, but got ${g}.`,
    );
  }
}

function regexFunction(name: string, types: readonly DataType[], defaults: readonly unknown[], result: DataType, f: (s: string, re: RegExp, rest: unknown[]) => unknown): ScalarFunction {
  return {
    name,
    resolve(args) {
      const sig = signature(name, args, types, defaults, result);
      checkConstantRegex(name, sig.args[1]!);
      return sig;
    },
    evaluate: (vecs, n, _ctx, call) => stringKernel(vecs, n, call, (s, [pattern, ...rest]) => f(s, cachedRegExp(pattern as string, name), rest)),
  };
}

const regexpCount = regexFunction("regexp_count", [S, S], [], I, (s, re) => {
  let c = 0;
  for (const _ of matches(s, re)) c++;
  return c;
});

const regexpExtractAll = regexFunction("regexp_extract_all", [S, S, I], [1], ArrayType(StringType), (s, re, [idx]) => {
  const g = idx as number;
  checkGroup("regexp_extract_all", re, g);
  return [...matches(s, re)].map((m) => m[g] ?? "");
});

/** regexp_substr(s, r): the first match, null when none (or when it is empty). */
const regexpSubstr = regexFunction("regexp_substr", [S, S], [], S, (s, re) => {
  re.lastIndex = 0;
  const m = re.exec(s);
  return m === null || m[0] === "" ? null : m[0];
});

/** regexp_instr(s, r[, idx]): the 1-based position where the first match (its group idx) starts; 0 when none. */
const regexpInstr = regexFunction("regexp_instr", [S, S, I], [0], I, (s, re, [idx]) => {
  const g = idx as number;
  checkGroup("regexp_instr", re, g);
  re.lastIndex = 0;
  const m = re.exec(s);
  if (m === null) return 0;
  if (g === 0) return m.index + 1;
  const group = m[g];
  // JS gives no group offsets without the d flag: find the group's text from the match start.
  return group === undefined ? 0 : s.indexOf(group, m.index) + 1;
});

export const regexpFunctions: ScalarFunction[] = [regexpCount, regexpExtractAll, regexpSubstr, regexpInstr];
