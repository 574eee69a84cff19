import { AnalysisError } from "../common/errors.ts";
import { Call, Literal, type Expression } from "../expr/expression.ts";

/**
 * `x LIKE p ESCAPE '!'` and `like(x, p, '!')` (also ILIKE): the pattern is rewritten to the
 * backslash escapes the LIKE kernels read, so `a!%b` with escape `!` is `a\%b`. As Spark's
 * escapeLikeRegex, the escape character may precede only `_`, `%` or itself.
 */
export function likeWithEscape(name: "like" | "ilike", value: Expression, pattern: Expression, escape: Expression | string): Expression {
  const esc = typeof escape === "string" ? escape : stringValue(escape);
  if (esc === undefined || esc.length !== 1) {
    throw new AnalysisError(
      `[INVALID_ESC] Found an invalid escape string: ${esc ?? "(not a string literal)"}. The escape string must contain only one character.`,
    );
  }
  if (esc === "\\") return Call.create(name, [value, pattern]);
  const text = stringValue(pattern);
  if (text === undefined) {
    throw new AnalysisError(`[UNSUPPORTED_FEATURE] ${name.toUpperCase()} … ESCAPE '${esc}' needs a string literal pattern in rivulet.`);
  }
  return Call.create(name, [value, Literal.create(rewriteEscapes(text, esc), null)]);
}

function stringValue(e: Expression): string | undefined {
  return e.kind === "Literal" && typeof e.value === "string" && (e.dataType === null || e.dataType.kind === "string") ? e.value : undefined;
}

function rewriteEscapes(pattern: string, esc: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === esc) {
      const next = pattern[i + 1];
      if (next === undefined) {
        throw new AnalysisError(`[INVALID_FORMAT.ESC_AT_THE_END] The format is invalid: '${pattern}'. The escape character is not allowed to end with.`);
      }
      if (next !== "_" && next !== "%" && next !== esc) {
        throw new AnalysisError(`[INVALID_FORMAT.ESC_IN_THE_MIDDLE] The format is invalid: '${pattern}'. The escape character is not allowed to precede '${next}'.`);
      }
      out += `\\${next}`;
      i++;
    } else if (c === "\\") out += "\\\\";
    else out += c;
  }
  return out;
}
