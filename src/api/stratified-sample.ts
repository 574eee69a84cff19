import { AnalysisError } from "../common/errors.ts";
import { Call, Case, Literal } from "../expr/expression.ts";
import { DoubleType } from "../types/data-types.ts";
import { Column, colExpr } from "./column.ts";

/**
 * Spark's sampleBy(col, fractions, seed): the condition keeping a row with probability
 * `fractions[stratum]` (0 for a stratum not listed), drawn as Spark draws it —
 * `rand(seed) < fraction` — so the same seed keeps the same rows.
 */
export function stratifiedSampleCondition(c: Column | string, fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>, seed: number): Column {
  const entries = fractions instanceof Map ? [...fractions.entries()] : Object.entries(fractions);
  const bad = entries.find(([, f]) => !(typeof f === "number" && f >= 0 && f <= 1));
  if (bad !== undefined) throw new AnalysisError(`sampleBy: Fractions must be in [0, 1], but got ${JSON.stringify(Object.fromEntries(entries.map(([k, f]) => [String(k), f])))}.`);
  const stratum = colExpr(c);
  const fraction = entries.length === 0
    ? Literal.create(0, DoubleType)
    : Case.create(entries.map(([k, f]) => [Call.create("equalto", [stratum, Literal.create(k, null)]), Literal.create(f, DoubleType)]), Literal.create(0, DoubleType));
  return new Column(Call.create("lessthan", [Call.create("rand", [Literal.create(seed, null)]), fraction]));
}
