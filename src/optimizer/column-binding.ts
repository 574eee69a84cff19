import { ColumnRef, transformUp, type Expression } from "../expr/expression.ts";
import type { Scope } from "../expr/scope.ts";

/**
 * Re-points column references into another scope: index `i` becomes `map(i)`, and the
 * reference takes that column's name, type and nullability (as when an expression
 * moves below a node that renames or re-qualifies its input).
 */
export function rebindColumns(e: Expression, map: (index: number) => number, scope: Scope): Expression {
  return transformUp(e, (x) => {
    if (x.kind !== "ColumnRef") return x;
    const i = map(x.index);
    const c = scope[i]!;
    if (i === x.index && c.name === x.name && c.qualifier === x.qualifier && c.nullable === x.nullable) return x;
    return ColumnRef.bound(c.name, i, c.dataType, c.nullable, c.qualifier);
  });
}

/**
 * For each column of a join's output, its index in left.output ++ right.output (the
 * space the join condition is resolved in). Semi/anti joins output the left side only;
 * USING joins drop the right side's key columns. Mirrors the physical planner.
 */
export { joinOutputColumns } from "../plan/join-output.ts";
