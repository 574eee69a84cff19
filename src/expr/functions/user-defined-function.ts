import { ExecutionError } from "../../common/errors.ts";
import { toExternal, toInternal } from "../../columnar/values.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt } from "../../columnar/vector.ts";
import { typeName, type DataType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { AnalysisError } from "../../common/errors.ts";
import { registerTemporaryFunction } from "./registry.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** A JavaScript function as Spark's UDF: its arguments as `collect()` returns values, its result of `returnType`. */
export interface UdfDefinition {
  /** The name SQL calls it by and column names show; null for an anonymous `udf(…)` (shown as `UDF`). */
  readonly name: string | null;
  readonly fn: (...args: any[]) => unknown;
  readonly returnType: DataType;
  readonly deterministic: boolean;
}

let udfCount = 0;

/**
 * Registers a UDF and returns the name its calls carry: an internal one, unique to this UDF
 * (`udf$3`, never written by users; calls show the UDF's own name, or `UDF`). Unique because
 * the call names the function: two UDFs given the same name by `withName` must each run their
 * own function, as Spark's expressions carry the function itself.
 */
export function registerUdf(def: UdfDefinition): string {
  const callName = `udf$${++udfCount}`;
  registerTemporaryFunction(udfFunction(callName, def));
  return callName;
}

/** `spark.udf.register(name, …)`: SQL's `name(…)` calls `def` (and shadows a built-in of that name). */
export function registerUdfForSql(name: string, def: UdfDefinition): void {
  registerTemporaryFunction(udfFunction(name.toLowerCase(), def));
}

function udfFunction(callName: string, def: UdfDefinition): ScalarFunction {
  const shown = def.name ?? "UDF";
  const signature = (args: readonly DataType[]): string => `\`${shown}\`: (${args.map(typeName).join(", ")}) => ${typeName(def.returnType)}`;
  return {
    name: callName,
    ...(def.deterministic ? {} : { deterministic: false }),
    // A null argument reaches the function (as None reaches a Python UDF): it decides.
    nullIntolerant: false,
    display: (args) => `${shown}(${args.join(", ")})`,
    resolve(args) {
      // Spark checks a UDF's arity; a JS function of no declared parameters (`(...xs) =>`) takes any number.
      if (def.fn.length > 0 && args.length !== def.fn.length) {
        throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${shown}\` requires ${def.fn.length} parameters but the actual number is ${args.length}.`);
      }
      return { args, dataType: def.returnType };
    },
    evaluate(vecs, n, _ctx, call) {
      const types = call.args.map(typeOf);
      const out = new VecBuilder(def.returnType, n);
      const values = new Array<unknown>(vecs.length);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < vecs.length; k++) values[k] = toExternal(valueAt(vecs[k]!, i), types[k]!);
        let result: unknown;
        try {
          result = def.fn(...values);
        } catch (error) {
          throw new ExecutionError(`[FAILED_EXECUTE_UDF] Failed to execute user defined function (${signature(types)}): ${(error as Error)?.message ?? String(error)}`, { cause: error });
        }
        if (result instanceof Promise) {
          throw new ExecutionError(`[FAILED_EXECUTE_UDF] User defined function (${signature(types)}) returned a Promise: UDFs run synchronously, row by row`);
        }
        out.append(toInternal(result, def.returnType, `the result of user defined function ${shown}`));
      }
      return out.finish();
    },
  };
}
