import { AnalysisError } from "../../common/errors.ts";
import type { ScalarFunction } from "./scalar-function.ts";

const functions = new Map<string, ScalarFunction>();
/** User-defined functions (`spark.udf.register`, `udf(…)`): looked up before the built-ins, as Spark's temporary functions. */
const temporary = new Map<string, ScalarFunction>();

/** Adds functions to the registry (each module of functions registers its own). */
export function registerFunctions(list: readonly ScalarFunction[]): void {
  for (const f of list) {
    functions.set(f.name, f);
    for (const a of f.aliases ?? []) functions.set(a, f);
  }
}

export function lookupFunction(name: string): ScalarFunction | undefined {
  const key = name.toLowerCase();
  return temporary.get(key) ?? functions.get(key);
}

/** Adds (or replaces) a user-defined function under its name. */
export function registerTemporaryFunction(f: ScalarFunction): void {
  temporary.set(f.name.toLowerCase(), f);
}

/** Whether `name` is a user-defined function: JavaScript, so it runs only on the thread that registered it. */
export function isTemporaryFunction(name: string): boolean {
  return temporary.has(name.toLowerCase());
}

export function requireFunction(name: string): ScalarFunction {
  const f = lookupFunction(name);
  if (!f) throw new AnalysisError(`undefined function: ${name}. This function is neither a built-in function nor a temporary function`);
  return f;
}

export function functionNames(): string[] {
  return [...functions.keys()].sort();
}

/** The user-defined functions' names (spark.catalog.listFunctions lists them with the built-ins). */
export function temporaryFunctionNames(): string[] {
  return [...temporary.keys()].sort();
}
