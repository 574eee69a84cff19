import type { CstNode } from "chevrotain";
import { has, node, nodes, token, type Children } from "./cst.ts";
import { unquoteString } from "./literals.ts";

/** The `optionItem`s of `ctx` (OPTIONS (…), TBLPROPERTIES (…)): keys as written (quoted or dotted names), values as text. */
export function optionItems(ctx: Children, nameText: (n: CstNode) => string): Record<string, string> {
  const options: Record<string, string> = {};
  for (const item of nodes(ctx, "optionItem")) {
    const keyToken = token(item.children, "StringLiteral");
    const key = keyToken !== undefined ? unquoteString(keyToken.image) : nameText(node(item.children, "qualifiedName")!);
    options[key] = optionValue(node(item.children, "optionValue")!.children, nameText);
  }
  return options;
}

/** optionValue := StringLiteral | '-'? number | TRUE | FALSE | qualifiedName, as text. */
function optionValue(ctx: Children, nameText: (n: CstNode) => string): string {
  const s = token(ctx, "StringLiteral");
  if (s !== undefined) return unquoteString(s.image);
  const n = token(ctx, "IntegerLiteral") ?? token(ctx, "DecimalLiteral");
  if (n !== undefined) return (has(ctx, "Minus") ? "-" : "") + n.image;
  if (has(ctx, "TRUE")) return "true";
  if (has(ctx, "FALSE")) return "false";
  return nameText(node(ctx, "qualifiedName")!);
}
