import { AnalysisError } from "../../common/errors.ts";
import type { ScalarFunction } from "./scalar-function.ts";

const functions = new Map<string, ScalarFunction>();

/** Adds functions to the registry (each module of functions registers its own). */
export function registerFunctions(list: readonly ScalarFunction[]): void {
  for (const f of list) {
    functions.set(f.name, f);
    for (const a of f.aliases ?? []) functions.set(a, f);
  }
}

export function lookupFunction(name: string): ScalarFunction | undefined {
  return functions.get(name.toLowerCase());
}

export function requireFunction(name: string): ScalarFunction {
  const f = lookupFunction(name);
  if (!f) throw new AnalysisError(`undefined function: ${name}. This function is neither a built-in function nor a temporary function`);
  return f;
}

export function functionNames(): string[] {
  return [...functions.keys()].sort();
}
