import { AnalysisError } from "../common/errors.ts";
import { Alias, ColumnRef, Literal, isAggregate, stripAlias, transformDown, transformUp, type Expression } from "../expr/expression.ts";
import { BooleanType, LongType } from "../types/data-types.ts";
import { resolveColumn, resolveExpression } from "../expr/resolve.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { remapColumns } from "../plan/rewrite-columns.ts";
import { hasSubquery } from "./subquery-rewrite.ts";
import { displayExpression } from "../expr/display.ts";

/** The aggregate expression's value over no rows: counts are 0, other aggregates NULL. */
function valueOverNoRows(e: Expression): Expression {
  return transformDown(e, (x) => {
    if (x.kind !== "AggregateCall") return undefined;
    return COUNTS.has(x.name) ? Literal.create(0, LongType) : Literal.create(null, null);
  });
}

const COUNTS = new Set(["count", "count_if", "approx_count_distinct"]);

export type SubqueryKind = "scalar" | "exists" | "in";

function conjuncts(e: Expression): Expression[] {
  return e.kind === "Call" && e.name === "and" ? e.args.flatMap(conjuncts) : [e];
}

function resolves(e: Expression, input: LogicalPlan): boolean {
  try {
    resolveExpression(e, input.output);
    return true;
  } catch (err) {
    if (err instanceof AnalysisError) return false;
    throw err;
  }
}

/**
 * Splits a subquery's WHERE into its own predicates and the correlated ones (those that
 * name the outer query's columns). A correlated predicate is resolved over
 * outer.output ++ input.output, each name looked up in the subquery first, as Spark does.
 */
export function splitCorrelated(where: Expression, input: LogicalPlan, outer: LogicalPlan): { local: Expression | null; correlated: Expression | null } {
  const local: Expression[] = [];
  const correlated: Expression[] = [];
  const w = outer.output.length;
  for (const c of conjuncts(where)) {
    if (hasSubquery(c) || resolves(c, input)) { local.push(c); continue; }
    const bound = transformUp(c, (x) => {
      if (x.kind !== "ColumnRef" || x.index >= 0) return x;
      try {
        return remapColumns(resolveColumn(x.name, x.qualifier, input.output), (i) => i + w);
      } catch (err) {
        if (!(err instanceof AnalysisError)) throw err;
        return resolveColumn(x.name, x.qualifier, outer.output);
      }
    });
    correlated.push(resolveExpression(bound, [...outer.output, ...input.output]));
  }
  const and = (es: Expression[]): Expression | null => (es.length === 0 ? null : es.reduce((a, b) => ({ kind: "Call", name: "and", args: [a, b], dataType: null })));
  const corr = and(correlated);
  return { local: and(local), correlated: corr === null ? null : resolveExpression(corr, [...outer.output, ...input.output]) };
}

/**
 * The plan of a correlated subquery, shaped for its join (see subquery-joins.ts): EXISTS
 * needs only the filtered rows; IN its value first, then the columns the correlation
 * reads; a scalar subquery must aggregate, grouped by the columns the correlation reads
 * (Spark's rule: "Correlated scalar subqueries must be aggregated").
 */
export function correlatedSubqueryPlan(kind: SubqueryKind, filtered: LogicalPlan, items: readonly Expression[], correlation: Expression, outer: LogicalPlan): build.SubqueryPlan {
  const w = outer.output.length;
  const inputRefs = filtered.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  switch (kind) {
    case "exists": return { plan: filtered, correlation };
    case "in": {
      const plan = build.project(filtered, [items[0]!, ...inputRefs]);
      return { plan, correlation: remapColumns(correlation, (i) => (i >= w ? i + 1 : i)) };
    }
    case "scalar": {
      const item = items[0]!;
      if (items.length !== 1 || !isAggregate(stripAlias(item))) {
        throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.MUST_AGGREGATE_CORRELATED_SCALAR_SUBQUERY] Unsupported subquery expression: Correlated scalar subqueries must be aggregated to return at most one row.");
      }
      requireEqualityCorrelation(correlation, w);
      const used: number[] = [];
      transformUp(correlation, (x) => {
        if (x.kind === "ColumnRef" && x.index >= w && !used.includes(x.index - w)) used.push(x.index - w);
        return x;
      });
      const plan = build.aggregate(filtered, used.map((i) => inputRefs[i]!), [item, Alias.create(Literal.create(true, BooleanType), "__present")]);
      return { plan, correlation: remapColumns(correlation, (i) => (i >= w ? w + used.indexOf(i - w) : i)), emptyValue: valueOverNoRows(stripAlias(item)) };
    }
  }
}

/** The column indexes an expression reads. */
function columnsRead(e: Expression): number[] {
  const read: number[] = [];
  transformUp(e, (x) => {
    if (x.kind === "ColumnRef") read.push(x.index);
    return x;
  });
  return read;
}

/**
 * A scalar subquery is aggregated per value of the inner columns its correlation reads, which
 * answers right only when each correlated conjunct equates inner columns with outer ones.
 * Spark decorrelates other predicates (`b.x >= a.x`) through a domain join that rivulet does
 * not have yet: refuse them rather than answer wrong.
 */
function requireEqualityCorrelation(correlation: Expression, outerWidth: number): void {
  for (const c of conjuncts(correlation)) {
    if (c.kind === "Call" && (c.name === "equalto" || c.name === "eqnullsafe") && c.args.length === 2) {
      const [l, r] = c.args.map(columnsRead) as [number[], number[]];
      const inner = (cols: number[]) => cols.length > 0 && cols.every((i) => i >= outerWidth);
      const outer = (cols: number[]) => cols.every((i) => i < outerWidth);
      if ((inner(l) && outer(r)) || (inner(r) && outer(l))) continue;
    }
    throw new AnalysisError(
      "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_COLUMN_IS_NOT_ALLOWED_IN_PREDICATE] Unsupported subquery expression: " +
      `Correlated column is not allowed in predicate: ${displayExpression(c)}.`,
    );
  }
}
