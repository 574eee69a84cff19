import { ExecutionError } from "../../common/errors.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { sliceVec } from "../../columnar/vector.ts";
import { checkArity } from "./function-args.ts";
import { requireFunction } from "./registry.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import type { EvalContext } from "../eval-context.ts";
import type { Call } from "../expression.ts";

/**
 * try_element_at and try_to_timestamp: the function of the same name, with null where it
 * would fail at run time (Spark's TryEval).
 */
function tryOf(name: string, of: string, arity: [number, number]): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, arity[0], arity[1]);
      return requireFunction(of).resolve(args);
    },
    evaluate: (vecs, n, ctx, call) => evaluateOrNull(requireFunction(of), vecs, n, ctx, call),
  };
}

/**
 * `f` over the batch, with null in the rows where it fails at run time (Spark's TryEval):
 * a failing batch is re-run row by row so that only the failing rows are null.
 */
export function evaluateOrNull(f: ScalarFunction, vecs: readonly Vec[], n: number, ctx: EvalContext, call: Call): Vec {
  try {
    return f.evaluate(vecs, n, ctx, call);
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    const out = new VecBuilder(call.dataType!, n);
    for (let i = 0; i < n; i++) {
      try {
        out.append(valueAt(f.evaluate(vecs.map((v) => sliceVec(v, i, i + 1)), 1, ctx, call), 0));
      } catch (err) {
        if (!(err instanceof ExecutionError)) throw err;
        out.appendNull();
      }
    }
    return out.finish();
  }
}

export const tryFunctions: ScalarFunction[] = [tryOf("try_element_at", "element_at", [2, 2]), tryOf("try_to_timestamp", "to_timestamp", [1, 2])];
