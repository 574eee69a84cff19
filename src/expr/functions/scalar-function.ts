import type { DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { EvalContext } from "../eval-context.ts";
import type { Call, Expression } from "../expression.ts";
import type { Evaluator } from "../compile.ts";

/** What resolving a call against its argument types yields: the (possibly cast) arguments and the result type. */
export interface ResolvedSignature {
  readonly args: readonly Expression[];
  readonly dataType: DataType;
}

/**
 * A scalar function or operator. `resolve` checks and coerces argument types (throwing
 * AnalysisError with a message naming the function); `evaluate` runs over whole vectors.
 */
export interface ScalarFunction {
  readonly name: string;
  /** Alternative names, e.g. "day" for "dayofmonth". */
  readonly aliases?: readonly string[];
  /** False for current_timestamp, rand…: the optimizer must not fold them. */
  readonly deterministic?: boolean;
  /** How explain() and auto-generated column names print the call; default `name(arg, …)`. */
  readonly display?: (args: readonly string[]) => string;
  /** Whether null in any argument makes the result null (lets the optimizer fold). Default true. */
  readonly nullIntolerant?: boolean;
  resolve(args: readonly Expression[]): ResolvedSignature;
  /**
   * Higher-order functions: resolves the unresolved arguments itself, so that a lambda's
   * body is resolved knowing its parameters' types (`resolveArg` resolves in the caller's scope).
   */
  resolveWithLambdas?(args: readonly Expression[], resolveArg: (e: Expression) => Expression): ResolvedSignature;
  /** Compiles the call itself instead of evaluating compiled arguments (lambda bodies run per element). */
  compile?(call: Call, compileArg: (e: Expression) => Evaluator): Evaluator;
  evaluate(args: readonly Vec[], length: number, ctx: EvalContext, call: Call): Vec;
}
