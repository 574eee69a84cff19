import type { IToken } from "chevrotain";
import type { SqlOrigin } from "../expr/origin.ts";

/** The origin of what starts at token `t` (Spark counts positions on a line from 0). */
export function originAt(t: IToken): SqlOrigin {
  return { line: t.startLine ?? 1, position: (t.startColumn ?? 1) - 1 };
}
