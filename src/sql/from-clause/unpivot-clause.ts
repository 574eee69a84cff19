import { AnalysisError } from "../../common/errors.ts";
import { ColumnRef } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import { subqueryAlias } from "../../plan/plan-builder.ts";
import { unpivot } from "../../plan/unpivot.ts";
import { node, nodes, token, type Children } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";
import { identifierNames } from "./identifier-names.ts";

/**
 * `UNPIVOT [INCLUDE | EXCLUDE NULLS] (val FOR name IN (a, b AS bb, …)) [AS alias]`, and the
 * multi-value form `((v1, v2) FOR name IN ((a, b) AS ab, (c, d) AS cd))`, as Spark's
 * AstBuilder.withUnpivot: the id columns are every column the clause does not unpivot; a set
 * without an alias is named by its columns (joined with `_`); EXCLUDE NULLS is the default.
 */
export function unpivotClause(ctx: Children, input: LogicalPlan, exprs: ExpressionBuilder): LogicalPlan {
  const nullsWord = token(ctx, "nullsWord")?.image.toUpperCase();
  if (nullsWord !== undefined && nullsWord !== "INCLUDE" && nullsWord !== "EXCLUDE") {
    throw new AnalysisError(`[PARSE_SYNTAX_ERROR] Syntax error at or near '${token(ctx, "nullsWord")!.image}': UNPIVOT takes INCLUDE NULLS or EXCLUDE NULLS.`);
  }
  const single = node(ctx, "valueColumn");
  const valueColumnNames = single !== undefined ? [exprs.identifierText(single)] : identifierNames(exprs, node(ctx, "valueColumns")!);
  const values = nodes(ctx, "unpivotColumnSet").map((set) => {
    const names = nodes(set.children, "qualifiedName").map((q) => exprs.nameParts(q));
    const alias = node(set.children, "identifier");
    return {
      columns: names.map((parts) => ColumnRef.create(parts.join("."))),
      name: alias !== undefined ? exprs.identifierText(alias) : names.map((parts) => parts[parts.length - 1]!).join("_"),
    };
  });
  const plan = unpivot(input, {
    ids: null,
    values,
    variableColumnName: exprs.identifierText(node(ctx, "nameColumn")!),
    valueColumnNames,
    includeNulls: nullsWord === "INCLUDE",
  });
  const alias = node(ctx, "alias");
  return alias === undefined ? plan : subqueryAlias(plan, exprs.identifierText(alias));
}
