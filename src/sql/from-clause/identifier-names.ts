import type { CstNode } from "chevrotain";
import { nodes } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";

/** `(a, b, c)` (an identifierList) → its names. */
export function identifierNames(exprs: ExpressionBuilder, n: CstNode): string[] {
  return nodes(n.children, "identifier").map((i) => exprs.identifierText(i));
}
