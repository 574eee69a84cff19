import { aggregateNames, lookupAggregate } from "../expr/aggregates/index.ts";
import { FUNCTION_USAGE } from "../expr/functions/function-usage.ts";
import { functionNames, lookupFunction } from "../expr/functions/registry.ts";
import { generatorNames } from "../expr/generators/index.ts";
import { lookupWindowFunction, windowFunctionNames } from "../expr/window/window-functions.ts";
import { unresolvedRoutine } from "./function-call.ts";

/**
 * DESCRIBE FUNCTION [EXTENDED] f and SHOW FUNCTIONS [LIKE 'pattern'] over the function
 * registries, as Spark's DescribeFunctionCommand and ShowFunctionsCommand print them.
 */

/** Registry names that are rivulet's internal operator names, not functions a user calls by name. */
const INTERNAL = new Set([
  "add", "subtract", "multiply", "divide", "equalto", "notequalto", "lessthan", "lessthanorequal", "greaterthan", "greaterthanorequal", "eqnullsafe",
  ...["like", "ilike"].flatMap((l) => ["any", "all"].flatMap((q) => [`${l}_${q}`, `not_${l}_${q}`])),
  // A lambda and its variables are arguments of higher-order functions, not functions to call.
  "lambdafunction", "namedlambdavariable",
  // x[i] in SQL, col.getItem(i): an operator, as Spark's ExtractValue.
  "subscript",
]);

/** Every function a user can call, sorted (scalar functions, aggregates, generators, window functions, window). */
export function allFunctionNames(): string[] {
  return [...new Set([...functionNames(), ...aggregateNames(), ...generatorNames(), ...windowFunctionNames(), "window"])].filter((n) => !INTERNAL.has(n)).sort();
}

/** Spark's SHOW FUNCTIONS pattern: `*` for any characters, `|` between alternatives, case-insensitive. */
export function showFunctions(pattern: string | null): { function: string }[] {
  const names = allFunctionNames();
  if (pattern === null) return names.map((f) => ({ function: f }));
  const alternatives = pattern.trim().split("|").map((p) => new RegExp(`^${p.trim().replace(/[.+?^${}()[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "i"));
  return names.filter((n) => alternatives.some((re) => re.test(n))).map((f) => ({ function: f }));
}

export function describeFunction(name: string, extended: boolean): { function_desc: string }[] {
  const lower = name.toLowerCase();
  const scalar = INTERNAL.has(lower) ? undefined : lookupFunction(lower);
  const aggregate = lookupAggregate(lower);
  const kind = scalar !== undefined ? "scalar" : aggregate !== undefined ? "aggregate"
    : generatorNames().includes(lower) ? "generator" : lookupWindowFunction(lower) !== undefined ? "window" : lower === "window" ? "scalar" : null;
  if (kind === null) throw unresolvedRoutine(name);
  const canonical = scalar?.name ?? aggregate?.name ?? lower;
  const info = FUNCTION_USAGE[canonical];
  const usage = info === undefined ? "N/A." : info.usage.split(`${canonical}(`).join(`${lower}(`);
  const rows = [`Function: ${lower}`, `Class: rivulet.${kind}.${canonical}`, `Usage: ${usage}`];
  if (extended) {
    const example = info?.example === undefined ? "" : `\n    Examples:\n      > ${info.example[0]}\n       ${info.example[1]}\n  `;
    const since = info?.since === undefined ? "" : `\n    Since: ${info.since}\n`;
    rows.push(`Extended Usage:${example}${since}`);
  }
  return rows.map((function_desc) => ({ function_desc }));
}
