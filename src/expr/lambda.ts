import { AnalysisError, InternalError } from "../common/errors.ts";
import { ColumnBatch } from "../columnar/column-batch.ts";
import { VecBuilder } from "../columnar/vec-builder.ts";
import { takeVec, type Vec } from "../columnar/vector.ts";
import { StringType, type DataType } from "../types/data-types.ts";
import { nameParts } from "../common/identifiers.ts";
import type { Evaluator } from "./compile.ts";
import type { EvalContext } from "./eval-context.ts";
import { Call, GetField, Literal, referencedColumns, withChildren, childrenOf, type Expression } from "./expression.ts";
import { typeOf } from "./coercion.ts";

/**
 * Lambda functions of the higher-order functions (`x -> x + 1`, `(acc, x) -> acc + x`), as
 * Spark's LambdaFunction and NamedLambdaVariable, in plain Calls so that every expression
 * pass handles them:
 * - `lambdafunction(body, namedlambdavariable(x), …)`: the parameters are variables;
 * - a variable is unresolved `namedlambdavariable('x')` (a name) until its higher-order
 *   function resolves it to `namedlambdavariable('x#7', <typed null>)`: a unique id and its
 *   type. The body's references to `x` become that variable, so no column index is involved
 *   (column pruning and rebinding never see one).
 * A body is evaluated once per batch over all elements at once: the outer columns it reads
 * are repeated per element (takeVec by row), the variables' values are in the context.
 */

export const LAMBDA = "lambdafunction";
export const LAMBDA_VARIABLE = "namedlambdavariable";

/** The EvalContext inside a lambda body: the vectors of the variables in scope, by id. */
export interface LambdaContext extends EvalContext {
  readonly lambdaValues?: ReadonlyMap<string, Vec>;
}

let nextId = 0;

/** An unresolved lambda: parameter names and a body that refers to them as columns. */
export function lambdaFunction(params: readonly string[], body: Expression): Expression {
  return Call.create(LAMBDA, [body, ...params.map((p) => Call.create(LAMBDA_VARIABLE, [Literal.create(p, StringType)]))]);
}

export function isLambda(e: Expression): e is Call {
  return e.kind === "Call" && e.name === LAMBDA;
}

/** The parameter names (unresolved) or ids (resolved) of a lambda. */
function paramNames(lambda: Call): string[] {
  return lambda.args.slice(1).map((v) => String(((v as Call).args[0] as { value: unknown }).value));
}

/** The body with references to `names` replaced by `vars`; a nested lambda's own parameters shadow. */
function substitute(e: Expression, vars: ReadonlyMap<string, Expression>): Expression {
  if (vars.size === 0) return e;
  if (e.kind === "ColumnRef" && e.qualifier === null && e.index < 0) {
    const parts = nameParts(e.name);
    const v = vars.get(parts[0]!.toLowerCase());
    if (v === undefined) return e;
    return parts.slice(1).reduce<Expression>((acc, field) => GetField.create(acc, field, null), v);
  }
  if (isLambda(e) && e.args.slice(1).every((a) => (a as Call).args.length === 1)) {
    const shadowed = new Map(vars);
    for (const p of paramNames(e)) shadowed.delete(p.toLowerCase());
    return withChildren(e, [substitute(e.args[0]!, shadowed), ...e.args.slice(1)]);
  }
  const kids = childrenOf(e);
  return kids.length === 0 ? e : withChildren(e, kids.map((c) => substitute(c, vars)));
}

/**
 * Resolves lambda argument `k` of `fn` with parameters of `types`: binds each parameter to a
 * fresh typed variable and resolves the body with `resolve` (the caller's scope).
 */
export function resolveLambda(fn: string, lambda: Expression, types: readonly DataType[], resolve: (e: Expression) => Expression): Call {
  if (!isLambda(lambda)) throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${fn}": a lambda function (x -> …) is expected.`);
  const params = lambda.args.slice(1) as Call[];
  if (params.length !== types.length) {
    throw new AnalysisError(`[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] Invalid lambda function call. A higher order function expects ${types.length} arguments, but got ${params.length}.`);
  }
  const names = paramNames(lambda);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) {
    throw new AnalysisError(`[INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES] Invalid lambda function call. The lambda function has duplicate arguments ${names.map((n) => `\`${n}\``).join(", ")}.`);
  }
  // Already resolved (an expression resolved again): keep the variables.
  if (params.every((p) => p.args.length === 2)) {
    return withTypedBody(resolve(lambda.args[0]!), params);
  }
  const vars = params.map((_, k) => Call.create(LAMBDA_VARIABLE, [Literal.create(`${names[k]}#${nextId++}`, StringType), Literal.create(null, types[k]!)], types[k]!));
  const body = resolve(substitute(lambda.args[0]!, new Map(names.map((n, k) => [n.toLowerCase(), vars[k]!]))));
  return withTypedBody(body, vars);
}

function withTypedBody(body: Expression, vars: readonly Expression[]): Call {
  return Call.create(LAMBDA, [body, ...vars], typeOf(body));
}

/** The resolved lambda's body and variable ids. */
export function lambdaParts(lambda: Expression): { body: Expression; ids: string[] } {
  if (!isLambda(lambda)) throw new InternalError("a higher-order function's argument is not a lambda");
  return { body: lambda.args[0]!, ids: paramNames(lambda) };
}

/** A compiled lambda body: call it with, per element, the row it belongs to and the variables' values. */
export type LambdaEvaluator = (batch: ColumnBatch, ctx: LambdaContext, rows: Int32Array, values: readonly Vec[]) => Vec;

export function compileLambda(lambda: Expression, compile: (e: Expression) => Evaluator): LambdaEvaluator {
  const { body, ids } = lambdaParts(lambda);
  const evaluate = compile(body);
  const reads = referencedColumns(body);
  return (batch, ctx, rows, values) => {
    const n = rows.length;
    // Only the columns the body reads are repeated per element; the others are never read.
    const columns = batch.columns.map((c, i) => (reads.has(i) ? takeVec(c, rows, n) : c));
    const inner = new Map<string, Vec>();
    for (const [id, v] of ctx.lambdaValues ?? []) inner.set(id, takeVec(v, rows, n));
    ids.forEach((id, k) => inner.set(id, values[k]!));
    const expanded = new ColumnBatch(batch.schema, columns, n);
    return evaluate(expanded, { ...ctx, lambdaValues: inner } as LambdaContext);
  };
}

/** A vector of the given values (a variable's values across all elements). */
export function vecOf(type: DataType, values: readonly unknown[]): Vec {
  const b = new VecBuilder(type, values.length);
  for (const v of values) b.append(v);
  return b.finish();
}
