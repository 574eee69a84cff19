import type { CstNode } from "chevrotain";
import { Alias, Call, ColumnRef, Literal, type Expression } from "../expr/expression.ts";
import { StringType } from "../types/data-types.ts";
import type { PivotSpec } from "../plan/pivot.ts";
import { node, nodes, type Children } from "./cst.ts";
import type { ExpressionBuilder } from "./expression-builder.ts";

/**
 * `PIVOT (agg [AS a], … FOR col IN (v [AS n], …))` → Spark's Pivot (AstBuilder.withPivot): several
 * pivot columns `FOR (c1, c2) IN ((v1, v2) AS n, …)` pivot on struct(c1, c2) with struct values.
 * The grouping columns are left to the plan: every input column the clause does not use.
 */
export function pivotSpec(ctx: Children, exprs: ExpressionBuilder): PivotSpec {
  const named = (n: CstNode, e: Expression): Expression => {
    const alias = node(n.children, "identifier");
    return alias === undefined ? e : Alias.create(e, exprs.identifierText(alias));
  };
  const aggregates = nodes(ctx, "pivotAggregate").map((a) => named(a, exprs.build(node(a.children, "expression")!)));
  const single = node(ctx, "pivotColumn");
  const columns = single !== undefined
    ? [exprs.identifierText(single)]
    : nodes(node(ctx, "pivotColumns")!.children, "identifier").map((i) => exprs.identifierText(i));
  const pivotColumn = columns.length === 1 ? ColumnRef.create(columns[0]!) : Call.create("struct", columns.map((c) => ColumnRef.create(c)));
  const values = nodes(ctx, "pivotValue").map((v) => {
    const tuple = nodes(v.children, "tupleItem");
    const parts = tuple.length > 0 ? tuple : nodes(v.children, "expression");
    // A value that is no tuple of the pivot columns' arity fails its cast to their struct, with Spark's error.
    const value = parts.length === 1 && tuple.length === 0
      ? exprs.build(parts[0]!)
      : parts.length === columns.length
        ? Call.create("named_struct", parts.flatMap((p, i) => [literalName(columns[i]!), exprs.build(p)]))
        : Call.create("struct", parts.map((p) => exprs.build(p)));
    return named(v, value);
  });
  return { groupings: null, pivotColumn, values, aggregates };
}

function literalName(name: string): Expression {
  return Literal.create(name, StringType);
}
