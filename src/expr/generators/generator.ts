import { AnalysisError } from "../../common/errors.ts";
import type { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import { StructType, type StructField } from "../../types/data-types.ts";
import type { Call, Expression } from "../expression.ts";

/**
 * A table-generating function (Spark's Generator): from one input row it makes zero or more
 * rows of its own columns. `resolve` types the (already resolved) arguments and names the
 * output columns; `expand` appends row `i`'s generated rows to one builder per column and
 * says how many it appended.
 */
export interface GeneratorFunction {
  readonly name: string;
  resolve(call: string, args: readonly Expression[]): { readonly args: readonly Expression[]; readonly fields: readonly StructField[] };
  /** Built once per query (constant arguments read here); then called once per input row. */
  compile(args: readonly Expression[], fields: readonly StructField[]): (argVecs: readonly Vec[], i: number, out: readonly VecBuilder[]) => number;
}

const generators = new Map<string, GeneratorFunction>();

export function registerGenerators(list: readonly GeneratorFunction[]): void {
  for (const g of list) generators.set(g.name, g);
}

/** `explode_outer` is `explode` whose empty or null input still gives one row of nulls (Spark's `outer = true`). */
export function generatorOf(name: string): { readonly fn: GeneratorFunction; readonly outer: boolean } | undefined {
  const lower = name.toLowerCase();
  const outer = lower.endsWith("_outer");
  const fn = generators.get(outer ? lower.slice(0, -"_outer".length) : lower);
  return fn === undefined ? undefined : { fn, outer };
}

/** Generator names a user calls, with Spark's `_outer` forms (explode, posexplode, inline). */
export function generatorNames(): string[] {
  return [...generators.keys()].flatMap((n) => (["explode", "posexplode", "inline"].includes(n) ? [n, `${n}_outer`] : [n]));
}

export function isGeneratorCall(e: Expression): boolean {
  return e.kind === "Call" && generatorOf(e.name) !== undefined;
}

/** A generator call's output columns (its resolved dataType is the struct of them). */
export function generatorFields(call: Call): readonly StructField[] {
  if (call.dataType === null || call.dataType.kind !== "struct") throw new AnalysisError(`generator ${call.name} is not resolved`);
  return call.dataType.fields;
}

export function generatorOutputType(fields: readonly StructField[]): StructType {
  return new StructType(fields);
}
