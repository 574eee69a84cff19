import { AnalysisError } from "../common/errors.ts";
import { Alias, Call, ColumnRef, Literal, isAggregate, stripAlias, transformDown, transformUp, type Expression } from "../expr/expression.ts";
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
 * needs only the filtered rows; IN its values first, then the columns the correlation
 * reads; a scalar subquery must aggregate, grouped by the columns the correlation reads
 * (Spark's rule: "Correlated scalar subqueries must be aggregated").
 */
export function correlatedSubqueryPlan(kind: SubqueryKind, filtered: LogicalPlan, items: readonly Expression[], correlation: Expression, outer: LogicalPlan): build.SubqueryPlan {
  const w = outer.output.length;
  const inputRefs = filtered.output.map((c, i) => ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier));
  switch (kind) {
    case "exists": return { plan: filtered, correlation };
    case "in": {
      // (a, b) IN (SELECT x, y …): every value, then the input.
      const plan = build.project(filtered, [...items, ...inputRefs]);
      return { plan, correlation: remapColumns(correlation, (i) => (i >= w ? i + items.length : i)) };
    }
    case "scalar": {
      const item = items[0]!;
      if (items.length !== 1 || !isAggregate(stripAlias(item))) {
        throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.MUST_AGGREGATE_CORRELATED_SCALAR_SUBQUERY] Unsupported subquery expression: Correlated scalar subqueries must be aggregated to return at most one row.");
      }
      if (!isEqualityCorrelation(correlation, w)) return domainJoinedAggregate(filtered, item, correlation, outer);
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

/** Whether every correlated conjunct equates inner columns with outer ones (`b.k = a.k`), so inner columns can be the aggregate's keys. */
function isEqualityCorrelation(correlation: Expression, outerWidth: number): boolean {
  return conjuncts(correlation).every((c) => {
    if (c.kind !== "Call" || (c.name !== "equalto" && c.name !== "eqnullsafe") || c.args.length !== 2) return false;
    const [l, r] = c.args.map(columnsRead) as [number[], number[]];
    const inner = (cols: number[]) => cols.length > 0 && cols.every((i) => i >= outerWidth);
    const outer = (cols: number[]) => cols.every((i) => i < outerWidth);
    return (inner(l) && outer(r)) || (inner(r) && outer(l));
  });
}

/**
 * A correlated scalar aggregate whose correlation is not only equalities (`b.x >= a.x`), as
 * Spark's DecorrelateInnerQuery: the distinct values of the outer columns the correlation
 * reads (the domain) are joined to the subquery's rows on the correlation, the aggregate is
 * grouped by the domain columns, and the outer query joins that result on the domain
 * columns with null-safe equality (an outer NULL finds its own group). An outer value no
 * inner row matches has no group: scalarJoin gives it the value over no rows (the count bug).
 */
function domainJoinedAggregate(filtered: LogicalPlan, item: Expression, correlation: Expression, outer: LogicalPlan): build.SubqueryPlan {
  const w = outer.output.length;
  if (outer.isStreaming) {
    // Spark decorrelates per micro-batch; rivulet's domain would be a second aggregation of the stream: refuse as before.
    const shown = conjuncts(correlation).find((c) => !isEqualityCorrelation(c, w)) ?? correlation;
    throw new AnalysisError(
      "[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_COLUMN_IS_NOT_ALLOWED_IN_PREDICATE] Unsupported subquery expression: " +
      `Correlated column is not allowed in predicate: ${displayExpression(shown)}. Over a streaming query, rivulet decorrelates equality predicates only.`,
    );
  }
  const n = filtered.output.length;
  const outerRead = [...new Set(columnsRead(correlation).filter((i) => i < w))].sort((x, y) => x - y);
  const domain = build.aggregate(outer, outerRead.map((i) => boundRef(outer, i)), []);
  // The subquery's rows first, so its value (resolved over them, inner names first) keeps its column indexes.
  const onDomain = remapColumns(correlation, (i) => (i >= w ? i - w : n + outerRead.indexOf(i)));
  const joined = build.join(filtered, domain, onDomain, "inner");
  const value = resolveExpression(item, filtered.output, { allowAggregates: true });
  const plan = build.aggregate(joined, outerRead.map((_, k) => boundRef(joined, n + k)), [value, Alias.create(Literal.create(true, BooleanType), "__present")]);
  const sameDomain = outerRead
    .map((i, k): Expression => Call.create("eqnullsafe", [boundRef(outer, i), boundRef(plan, k, w)]))
    .reduce((a, b) => Call.create("and", [a, b]));
  return { plan, correlation: sameDomain, emptyValue: valueOverNoRows(stripAlias(item)) };
}

function boundRef(plan: LogicalPlan, i: number, offset = 0): ColumnRef {
  const c = plan.output[i]!;
  return ColumnRef.bound(c.name, offset + i, c.dataType, c.nullable, c.qualifier);
}
