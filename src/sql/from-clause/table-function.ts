import { AnalysisError } from "../../common/errors.ts";
import { resolveExpression } from "../../expr/resolve.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { foldConstants } from "../../optimizer/constant-folding.ts";
import { node, nodes, type Children } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";
import { identifierClauseParts, isIdentifierClause } from "../identifier-clause.ts";

/** `IDENTIFIER('t')` in FROM: the name parts of the table, or null for another table function. */
export function identifierClause(ctx: Children, exprs: ExpressionBuilder): string[] | null {
  const nameNode = node(ctx, "identifier");
  const args = nodes(ctx, "expression");
  if (nameNode === undefined || !isIdentifierClause(exprs.identifierText(nameNode), args.length)) return null;
  return identifierClauseParts(exprs.build(args[0]!));
}

// tableFunction := identifier '(' (expression (',' expression)*)? ')'
export function tableFunction(ctx: Children, exprs: ExpressionBuilder): LogicalPlan {
  const nameNode = node(ctx, "identifier");
  const name = nameNode === undefined ? "range" : exprs.identifierText(nameNode);
  const args = nodes(ctx, "expression").map((n) => foldConstants(resolveExpression(exprs.build(n), [])));
  if (name.toLowerCase() !== "range") {
    throw new AnalysisError(`[UNRESOLVABLE_TABLE_VALUED_FUNCTION] Could not resolve \`${name}\` to a table-valued function. Please make sure that \`${name}\` is defined as a table-valued function and that all required parameters are provided correctly. If \`${name}\` is not defined, please create the table-valued function before using it. For more information about defining table-valued functions, please refer to the Apache Spark documentation.`);
  }
  return build.rangeFunction(args.map((a) => {
    if (a.kind !== "Literal") throw new AnalysisError(`[NON_FOLDABLE_ARGUMENT] The function \`range\` requires the parameter to be a foldable expression of the type "BIGINT", but the actual argument is a non-foldable.`);
    return a.value;
  }));
}

