import type { CstElement, CstNode, IToken } from "chevrotain";

/**
 * Typed access to CST children. chevrotain keys a node's children by rule or token name
 * (or LABEL); these helpers keep the visitors free of casts.
 */
export type Children = CstNode["children"];

export function isToken(e: CstElement): e is IToken {
  return (e as IToken).image !== undefined;
}

export function nodes(ctx: Children, name: string): CstNode[] {
  return (ctx[name] ?? []).filter((e): e is CstNode => !isToken(e));
}

export function node(ctx: Children, name: string): CstNode | undefined {
  return nodes(ctx, name)[0];
}

export function tokens(ctx: Children, name: string): IToken[] {
  return (ctx[name] ?? []).filter(isToken);
}

export function token(ctx: Children, name: string): IToken | undefined {
  return tokens(ctx, name)[0];
}

export function has(ctx: Children, name: string): boolean {
  return (ctx[name]?.length ?? 0) > 0;
}

/** Every token under a node, in source order. */
export function tokensOf(n: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (x: CstNode): void => {
    for (const list of Object.values(x.children)) {
      for (const e of list) {
        if (isToken(e)) out.push(e);
        else walk(e);
      }
    }
  };
  walk(n);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

/** The source text a node spans. */
export function sourceText(n: CstNode, text: string): string {
  const toks = tokensOf(n);
  if (toks.length === 0) return "";
  const last = toks[toks.length - 1]!;
  return text.slice(toks[0]!.startOffset, (last.endOffset ?? last.startOffset) + 1);
}

/** The first token of a node (for error positions). */
export function firstToken(n: CstNode): IToken | undefined {
  return tokensOf(n)[0];
}
