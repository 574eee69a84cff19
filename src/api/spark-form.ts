import type { Expression } from "../expr/expression.ts";

/**
 * How Spark's client writes a Column whose local expression no longer says it: `expr("…")`
 * is parsed here at once but goes to Spark as its text; `window(t, "1 hour")` is compiled
 * to microseconds here but goes to Spark with its duration strings; a remote `df.col("x")`
 * names the Relation it came from by plan id. The remote backend reads these; the local
 * one never needs to.
 */
export type SparkForm =
  | { readonly kind: "sql"; readonly text: string }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly Expression[] }
  | { readonly kind: "attribute"; readonly name: string; readonly planId: bigint }
  | { readonly kind: "extractValue"; readonly child: Expression; readonly extraction: Expression }
  /** withField/dropFields: Spark's UpdateFields with the name as written (a dotted path whole); no value drops. */
  | { readonly kind: "updateFields"; readonly struct: Expression; readonly fieldName: string; readonly value: Expression | null };

const forms = new WeakMap<Expression, SparkForm>();

/** Records the Spark form of `expr` (a fresh node: nodes are immutable and never shared across calls). */
export function withSparkForm<E extends Expression>(expr: E, form: SparkForm): E {
  forms.set(expr, form);
  return expr;
}

export function sparkFormOf(expr: Expression): SparkForm | undefined {
  return forms.get(expr);
}
