import { AnalysisError } from "../common/errors.ts";
import { displayExpression } from "../expr/display.ts";
import { Alias, Call, ColumnRef, anyNode, type Expression } from "../expr/expression.ts";
import { generatorOf, isGeneratorCall } from "../expr/generators/index.ts";
import { resolveExpression } from "../expr/resolve.ts";
import { StructType } from "../types/data-types.ts";
import type { Generate, LogicalPlan, OutputColumn } from "./logical-plan.ts";
import { bindPlanColumns } from "./plan-column-binding.ts";

export interface GenerateOptions {
  /** LATERAL VIEW OUTER (explode_outer and friends say it in their name). */
  readonly outer?: boolean;
  /** The LATERAL VIEW's table name, qualifying the generated columns. */
  readonly qualifier?: string | null;
  /** Names for the generated columns (`AS (k, v)`, `LATERAL VIEW … t AS a, b`); the generator's own when absent. */
  readonly names?: readonly string[] | null;
}

/** A Generate of `call` (an unresolved generator Call) over `input`, its arguments resolved against `input`. */
export function generate(input: LogicalPlan, call: Call, options: GenerateOptions = {}): Generate {
  const found = generatorOf(call.name);
  if (found === undefined) {
    throw new AnalysisError(`[UNSUPPORTED_GENERATOR.NOT_GENERATOR] The generator is not supported: \`${call.name}\` is expected to be a generator. However, it is a scalar function, which is not a generator.`);
  }
  const args = call.args.map((a) => {
    const resolved = resolveExpression(bindPlanColumns(a, input), input.output);
    if (anyNode(resolved, isGeneratorCall)) throw nestedGenerator(call);
    return resolved;
  });
  const signature = found.fn.resolve(call.name, args);
  const names = options.names ?? null;
  if (names !== null && names.length !== signature.fields.length) {
    throw new AnalysisError(`[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF. Expected ${signature.fields.length} aliases, but got ${names.join(",")}.`);
  }
  const outer = found.outer || options.outer === true;
  const fields = signature.fields.map((f, k) => ({ ...f, name: names?.[k] ?? f.name, nullable: f.nullable || outer }));
  const generator = Call.create(call.name, signature.args, new StructType(fields));
  const generated: OutputColumn[] = fields.map((f) => ({ name: f.name, qualifier: options.qualifier ?? null, dataType: f.dataType, nullable: f.nullable }));
  return Object.freeze({ kind: "Generate", input, generator, outer, output: [...input.output, ...generated], isStreaming: input.isStreaming });
}

function nestedGenerator(e: Expression): AnalysisError {
  return new AnalysisError(`[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: nested in expressions "${displayExpression(e)}".`);
}

/** The generator of a SELECT item written as `gen(…)`, `gen(…) AS a` or `gen(…) AS (a, b)`; null when it has none at the top. */
function topGenerator(e: Expression): { readonly call: Call; readonly names: readonly string[] | null } | null {
  if (isGeneratorCall(e)) return { call: e as Call, names: null };
  if (e.kind === "Alias" && isGeneratorCall(e.child)) return { call: e.child as Call, names: e.names ?? [e.name] };
  // withColumn("t", explode(x).alias("u")): the outer name wins, as for any aliased column.
  if (e.kind === "Alias" && e.child.kind === "Alias") return topGenerator(e.names === undefined ? Alias.create(e.child.child, e.name) : e);
  return null;
}

/** Each item's top generator (or null), after Spark's checks: none nested in an expression, at most one. */
function topGenerators(exprs: readonly Expression[]): ReturnType<typeof topGenerator>[] {
  const tops = exprs.map(topGenerator);
  for (const [k, e] of exprs.entries()) {
    const inside = tops[k] === null ? [e] : tops[k]!.call.args;
    if (inside.some((x) => anyNode(x, isGeneratorCall))) throw nestedGenerator(e);
  }
  const found = tops.flatMap((t) => (t === null ? [] : [t]));
  if (found.length > 1) {
    throw new AnalysisError(`[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one generator allowed per SELECT clause but found ${found.length}: ${found.map((t) => `"${displayExpression(t.call)}"`).join(", ")}.`);
  }
  return tops;
}

/**
 * Spark's ExtractGenerator for a SELECT list: the one generator becomes a Generate below the
 * projection, which reads its columns in the generator's place (the other items resolve
 * against the input, whose columns come first). Null when the list has no generator.
 */
export function extractGenerator(input: LogicalPlan, exprs: readonly Expression[]): { plan: LogicalPlan; exprs: Expression[] } | null {
  const tops = topGenerators(exprs);
  const found = tops.flatMap((t) => (t === null ? [] : [t]));
  if (found.length === 0) return null;
  const { call, names } = found[0]!;
  const plan = generate(input, call, { names });
  const width = input.output.length;
  const out = exprs.flatMap((e, k): Expression[] => {
    if (tops[k] === null) return [resolveExpression(bindPlanColumns(e, input), input.output)];
    return plan.output.slice(width).map((c, j) => {
      const ref = ColumnRef.bound(c.name, width + j, c.dataType, c.nullable, c.qualifier);
      // A dotted name would read as a struct path when the projection names the column.
      return c.name.includes(".") ? Alias.create(ref, c.name) : ref;
    });
  });
  return { plan, exprs: out };
}

/**
 * Spark's ExtractGenerator over an aggregation (`SELECT k, explode(collect_list(v)) … GROUP BY
 * k`): the aggregation computes the generator's arguments as extra columns (`below`, in place
 * of the generator item), and the generator then runs over its result (`above`: the items
 * as columns of the aggregation, the generator reading its argument columns). Null when the
 * list has no generator at the top of an item.
 */
export function splitGeneratorOverAggregation(items: readonly Expression[]): { below: Expression[]; above: (aggregated: LogicalPlan) => Expression[] } | null {
  const tops = topGenerators(items);
  if (tops.every((t) => t === null)) return null;
  const below: Expression[] = [];
  const positions: number[][] = [];
  items.forEach((e, k) => {
    const top = tops[k];
    if (top === null || top === undefined) {
      positions.push([below.length]);
      below.push(e);
    } else {
      positions.push(top.call.args.map((a, j) => below.push(Alias.create(a, `__generator_arg_${k}_${j}`)) - 1));
    }
  });
  const above = (aggregated: LogicalPlan): Expression[] => items.map((e, k) => {
    const refs = positions[k]!.map((p) => {
      const c = aggregated.output[p]!;
      return ColumnRef.bound(c.name, p, c.dataType, c.nullable, c.qualifier);
    });
    const top = tops[k];
    if (top === null || top === undefined) return refs[0]!;
    const call = Call.create(top.call.name, refs);
    return top.names === null ? call : top.names.length === 1 ? Alias.create(call, top.names[0]!) : Alias.multi(call, top.names);
  });
  return { below, above };
}
