import { aggregateNames } from "../aggregates/index.ts";
import { generatorNames } from "../generators/index.ts";
import { windowFunctionNames } from "../window/window-functions.ts";
import { functionNames } from "./registry.ts";

/** Registry names that are rivulet's internal operator names, not functions a user calls by name. */
export const INTERNAL_FUNCTION_NAMES: ReadonlySet<string> = new Set([
  "add", "subtract", "multiply", "divide", "equalto", "notequalto", "lessthan", "lessthanorequal", "greaterthan", "greaterthanorequal", "eqnullsafe",
  ...["like", "ilike"].flatMap((l) => ["any", "all"].flatMap((q) => [`${l}_${q}`, `not_${l}_${q}`])),
  // A lambda and its variables are arguments of higher-order functions, not functions to call.
  "lambdafunction", "namedlambdavariable",
  // x[i] in SQL, col.getItem(i): an operator, as Spark's ExtractValue.
  "subscript",
]);

/** Every function a user can call, sorted (scalar functions, aggregates, generators, window functions, window, session_window). */
export function callableFunctionNames(): string[] {
  const all = [...functionNames(), ...aggregateNames(), ...generatorNames(), ...windowFunctionNames(), "window", "session_window"];
  return [...new Set(all)].filter((n) => !INTERNAL_FUNCTION_NAMES.has(n)).sort();
}
