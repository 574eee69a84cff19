import { ColumnRef, transformUp, type Expression } from "../expr/expression.ts";

/** Re-points column references by `delta` (e.g. a right join side's columns after the left's). */
export function shiftColumns(e: Expression, delta: number): Expression {
  return remapColumns(e, (i) => i + delta);
}

/** Re-points column references through `map` (input index → new input index). */
export function remapColumns(e: Expression, map: (index: number) => number): Expression {
  return transformUp(e, (x) => (x.kind === "ColumnRef" ? ColumnRef.bound(x.name, map(x.index), x.dataType!, x.nullable, x.qualifier) : x));
}
