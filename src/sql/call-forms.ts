import { AnalysisError } from "../common/errors.ts";
import { Call, Cast, Literal, Star, type Expression } from "../expr/expression.ts";
import { wrongNumArgs } from "../expr/functions/function-args.ts";
import { parseDataType } from "../types/ddl.ts";

/**
 * Spark's special call syntax, as plain calls: `substring(s FROM 5 FOR 1)`,
 * `trim(BOTH 'x' FROM s)`, `position('b' IN s)`, the type-named casts `int(x)`, `date(x)`,
 * and the quantified `LIKE ANY/SOME/ALL (…)`.
 */

/** What a call's parentheses held, beyond a plain argument list. */
export type CallForm =
  | { readonly kind: "plain" }
  /** `f(a FROM b [FOR c])` */
  | { readonly kind: "from"; readonly from: Expression; readonly for: Expression | null }
  /** `f(a FOR c)` */
  | { readonly kind: "for"; readonly for: Expression }
  /** `overlay(a PLACING b FROM c [FOR d])` */
  | { readonly kind: "placing"; readonly placing: Expression; readonly from: Expression; readonly for: Expression | null }
  /** `f(a IN b)` */
  | { readonly kind: "in"; readonly in: Expression }
  /** `f(BOTH|LEADING|TRAILING [chars] FROM source)` */
  | { readonly kind: "trim"; readonly mode: "BOTH" | "LEADING" | "TRAILING"; readonly chars: Expression | null; readonly source: Expression };

const TRIM_FUNCTIONS: Record<string, string> = { BOTH: "trim", LEADING: "ltrim", TRAILING: "rtrim" };

function formError(name: string, form: string): AnalysisError {
  return new AnalysisError(`[PARSE_SYNTAX_ERROR] Syntax error: \`${name}(… ${form} …)\` is not a call form of ${name}; only substring/substr take FROM … FOR, trim takes [BOTH|LEADING|TRAILING] … FROM, position takes … IN …, overlay takes … PLACING … FROM … [FOR …]`);
}

/** A special form as the call of the function it stands for; null for a plain argument list. */
export function specialCall(name: string, args: readonly Expression[], form: CallForm): Expression | null {
  const lower = name.toLowerCase();
  switch (form.kind) {
    case "plain": return null;
    case "trim":
      if (lower !== "trim") throw formError(name, form.mode);
      return Call.create(TRIM_FUNCTIONS[form.mode]!, form.chars === null ? [form.source] : [form.source, form.chars]);
    case "from":
      if (lower === "substring" || lower === "substr") return Call.create("substring", [args[0]!, form.from, ...(form.for === null ? [] : [form.for])]);
      if (lower === "trim" && form.for === null) return Call.create("trim", [form.from, args[0]!]);
      throw formError(name, "FROM");
    case "for":
      // substring(s FOR n): from the first character.
      if (lower === "substring" || lower === "substr") return Call.create("substring", [args[0]!, Literal.create(1, null), form.for]);
      throw formError(name, "FOR");
    case "in":
      if (lower === "position") return Call.create("locate", [args[0]!, form.in]);
      throw formError(name, "IN");
    case "placing":
      if (lower === "overlay") return Call.create("overlay", [args[0]!, form.placing, form.from, ...(form.for === null ? [] : [form.for])]);
      throw formError(name, "PLACING");
  }
}

/** Spark's functions named after a type: `int(x)` is `CAST(x AS INT)`. */
const CAST_FUNCTIONS = new Set(["boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "date", "timestamp", "binary", "string"]);

export function castFunction(name: string, args: readonly Expression[]): Expression | null {
  const lower = name.toLowerCase();
  if (!CAST_FUNCTIONS.has(lower)) return null;
  if (args.length !== 1) throw wrongNumArgs(lower, args.length, 1);
  return Cast.create(args[0]!, parseDataType(lower));
}

/** `count(t.*)`: the columns of `t` (counted where all are non-null), expanded when resolved. */
export function qualifiedStar(qualifier: string): Expression {
  return Star.create(qualifier);
}

/** `a [NOT] LIKE|ILIKE ANY|SOME|ALL (p, …)` as like_any, not_like_all, ilike_any… */
export function quantifiedLike(value: Expression, patterns: readonly Expression[], quantifier: string, caseInsensitive: boolean, negated: boolean): Expression {
  const q = quantifier.toUpperCase() === "ALL" ? "all" : "any";
  return Call.create(`${negated ? "not_" : ""}${caseInsensitive ? "ilike" : "like"}_${q}`, [value, ...patterns]);
}
