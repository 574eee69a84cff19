import { AnalysisError } from "../common/errors.ts";
import { nameParts } from "../common/identifiers.ts";
import { typeOf } from "../expr/coercion.ts";
import { displayExpression } from "../expr/display.ts";
import type { Expression } from "../expr/expression.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { foldConstants } from "../optimizer/constant-folding.ts";
import { typeName } from "../types/data-types.ts";

/** Whether a call is the IDENTIFIER clause (`IDENTIFIER('t')`, `IDENTIFIER(:name)`), Spark 3.5's identifierReference. */
export function isIdentifierClause(name: string, argCount: number): boolean {
  return name.toLowerCase() === "identifier" && argCount === 1;
}

/**
 * The name parts `IDENTIFIER(expr)` stands for: `expr` must fold to a non-null string (a
 * literal, a parameter marker, a concatenation of them), read as a possibly qualified,
 * possibly backquoted name (`'db.t'`, `'`my col`'`), as Spark's identifier clause.
 */
export function identifierClauseParts(arg: Expression): string[] {
  const folded = foldConstants(resolveExpression(arg, []));
  const type = typeOf(folded);
  if (folded.kind !== "Literal" || type.kind !== "string" || folded.value === null) {
    const reason = folded.kind !== "Literal" ? "NOT_CONSTANT" : folded.value === null ? "NULL" : "WRONG_TYPE";
    const detail = reason === "WRONG_TYPE" ? ` The data type is ${typeName(type).toUpperCase()}.` : "";
    throw new AnalysisError(`[NOT_A_CONSTANT_STRING.${reason}] The expression ${displayExpression(folded)} used for the routine or clause IDENTIFIER must be a constant STRING which is NOT NULL.${detail} SQLSTATE: 42601`);
  }
  const text = String(folded.value);
  const parts = nameParts(text.trim());
  if (parts.some((p) => p === "") || (text.split("`").length - 1) % 2 !== 0) {
    throw new AnalysisError(`[INVALID_IDENTIFIER] The identifier '${text}' is invalid. Please, consider quoting it with back-quotes as \`${text}\`. SQLSTATE: 42602`);
  }
  return parts;
}
