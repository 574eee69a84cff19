import type { Expression } from "./expression.ts";

/**
 * Where an expression was written in SQL text (Spark's Origin): `line` from 1, `position`
 * from 0, as Spark prints them ("line 1 pos 7"). Kept beside the tree, not in it, so that an
 * expression written in SQL equals the same expression built with the DataFrame API.
 */
export interface SqlOrigin {
  readonly line: number;
  readonly position: number;
}

const origins = new WeakMap<Expression, SqlOrigin>();

/** Records where `e` was written; returns `e`. */
export function withOrigin<T extends Expression>(e: T, origin: SqlOrigin): T {
  origins.set(e, origin);
  return e;
}

export function originOf(e: Expression): SqlOrigin | undefined {
  return origins.get(e);
}

/** Spark's suffix of an error raised at an origin: "; line 1 pos 7", or "" when unknown. */
export function atOrigin(origin: SqlOrigin | undefined): string {
  return origin === undefined ? "" : `; line ${origin.line} pos ${origin.position}`;
}
