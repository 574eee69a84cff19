import { referencedColumns, type Expression } from "../../expr/expression.ts";
import { shiftColumns } from "../rewrite-columns.ts";

/** A join condition split as Spark's ExtractEquiJoinKeys: key pairs and what remains. */
export interface EquiJoinKeys {
  /** Key expressions over the left input's columns. */
  readonly leftKeys: readonly Expression[];
  /** Key expressions over the right input's columns (indices from 0). */
  readonly rightKeys: readonly Expression[];
  /** The other conjuncts, over left ++ right columns; null when there are none. */
  readonly residual: Expression | null;
}

export function conjuncts(e: Expression | null): Expression[] {
  if (e === null) return [];
  return e.kind === "Call" && e.name === "and" ? e.args.flatMap(conjuncts) : [e];
}

export function conjunction(parts: readonly Expression[]): Expression | null {
  return parts.reduce<Expression | null>((acc, e) => (acc === null ? e : { kind: "Call", name: "and", args: [acc, e], dataType: e.dataType }), null);
}

/** Which input an expression reads, given the width of the left input. */
export function sideOf(e: Expression, leftWidth: number): "left" | "right" | "both" | "none" {
  const refs = [...referencedColumns(e)];
  if (refs.length === 0) return "none";
  if (refs.every((r) => r < leftWidth)) return "left";
  if (refs.every((r) => r >= leftWidth)) return "right";
  return "both";
}

/** Equalities between an expression of each side become key pairs; the rest is the residual. */
export function equiJoinKeys(condition: Expression | null, leftWidth: number): EquiJoinKeys {
  const leftKeys: Expression[] = [];
  const rightKeys: Expression[] = [];
  const residual: Expression[] = [];
  for (const c of conjuncts(condition)) {
    if (c.kind === "Call" && c.name === "equalto") {
      const [a, b] = c.args as [Expression, Expression];
      const sa = sideOf(a, leftWidth), sb = sideOf(b, leftWidth);
      if (sa === "left" && sb === "right") { leftKeys.push(a); rightKeys.push(shiftColumns(b, -leftWidth)); continue; }
      if (sa === "right" && sb === "left") { leftKeys.push(b); rightKeys.push(shiftColumns(a, -leftWidth)); continue; }
    }
    residual.push(c);
  }
  return { leftKeys, rightKeys, residual: conjunction(residual) };
}
