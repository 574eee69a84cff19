import type { Expression } from "../expr/expression.ts";

/**
 * The column name Spark gives a call the SQL front end rewrote (`decode(x, 1, 'a')` planned
 * as a CASE keeps `decode(x, 1, a)`, as Spark's RuntimeReplaceable keeps its name). Kept beside
 * the tree; an unaliased select item that has one is aliased with it.
 */
const names = new WeakMap<Expression, string>();

export function withWrittenName<T extends Expression>(e: T, name: string): T {
  names.set(e, name);
  return e;
}

export function writtenName(e: Expression): string | undefined {
  return names.get(e);
}
