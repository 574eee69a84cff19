import { autoName } from "../../expr/display.ts";
import { Alias, type Expression } from "../../expr/expression.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import type { Session } from "../../session/session.ts";
import { QueryBuilder } from "../../sql/query-builder.ts";
import { catalogRelations } from "../../sql/session-relations.ts";
import { parseExpression, parseSelectItem } from "../../sql/sql-script.ts";
import { filterWithSubqueries, hasSubquery, planSubqueryValues } from "../../sql/subquery-rewrite.ts";

/**
 * SQL text given to the DataFrame API (`filter("k IN (SELECT k FROM t)")`,
 * `selectExpr("k IN (SELECT …) AS hit")`) may hold subqueries, as in Spark: they are planned
 * against the session's catalog, as the same text in a SELECT would be.
 */
function plannerFor(session: Session, text: string) {
  return new QueryBuilder(text, catalogRelations(session.catalog, (key) => session.conf.get(key))).subqueryPlanner();
}

/** `filter("…")`: the rows the SQL condition keeps. */
export function filterBySql(session: Session, input: LogicalPlan, text: string): LogicalPlan {
  const condition = parseExpression(text);
  return hasSubquery(condition) ? filterWithSubqueries(input, condition, plannerFor(session, text)) : build.filter(input, condition);
}

/** `selectExpr("…", …)`: each text a select item; subquery items are named as Spark names them. */
export function selectBySql(session: Session, input: LogicalPlan, texts: readonly string[]): LogicalPlan {
  const items: Expression[] = texts.map(parseSelectItem);
  if (!items.some(hasSubquery)) return build.project(input, items);
  let plan = input;
  // Stars expand over the input as given, before subqueries widen it with their columns.
  const planned = items.flatMap((item, i) => {
    if (!hasSubquery(item)) return item.kind === "Star" ? build.expandStars([item], input) : [item];
    const named = item.kind === "Alias" ? item : Alias.create(item, autoName(item));
    const rewritten = planSubqueryValues(plan, [named], plannerFor(session, texts[i]!));
    plan = rewritten.input;
    return rewritten.exprs;
  });
  return build.project(plan, planned);
}
