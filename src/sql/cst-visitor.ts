import type { CstElement, CstNode } from "chevrotain";

/**
 * Dispatches a CST node to the subclass method named after its rule, as chevrotain's generated
 * visitor does, without needing the parser: chevrotain builds its visitor class from an analysed
 * parser, which would make importing rivulet build the whole grammar before any SQL is seen.
 * A rule the subclass has no method for is walked through its children, returning undefined
 * (chevrotain's "with defaults").
 */
export abstract class CstVisitor<Param, Result> {
  visit(node: CstNode | readonly CstNode[] | undefined, param?: Param): Result {
    const target = Array.isArray(node) ? node[0] : node;
    if (target === undefined) return undefined as Result;
    const method = (this as unknown as Record<string, ((children: CstNode["children"], param?: Param) => Result) | undefined>)[target.name];
    if (typeof method === "function") return method.call(this, target.children, param);
    for (const elements of Object.values(target.children) as CstElement[][]) {
      for (const element of elements) if ("children" in element) this.visit(element, param);
    }
    return undefined as Result;
  }
}
