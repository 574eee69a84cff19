import { aggregateNames, lookupAggregate } from "../expr/aggregates/index.ts";
import { FUNCTION_USAGE } from "../expr/functions/function-usage.ts";
import { functionNames, lookupFunction } from "../expr/functions/registry.ts";
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
]);

/** Every function a user can call, sorted (scalar functions, aggregates, window). */
export function allFunctionNames(): string[] {
  return [...new Set([...functionNames(), ...aggregateNames(), "window"])].filter((n) => !INTERNAL.has(n)).sort();
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
  const canonical = scalar?.name ?? aggregate?.name ?? (lower === "window" ? "window" : null);
  if (canonical === null) throw unresolvedRoutine(name);
  const info = FUNCTION_USAGE[canonical];
  const usage = info === undefined ? "N/A." : info.usage.split(`${canonical}(`).join(`${lower}(`);
  const rows = [`Function: ${lower}`, `Class: rivulet.${scalar !== undefined ? "scalar" : "aggregate"}.${canonical}`, `Usage: ${usage}`];
  if (extended) {
    const example = info?.example === undefined ? "" : `\n    Examples:\n      > ${info.example[0]}\n       ${info.example[1]}\n  `;
    const since = info?.since === undefined ? "" : `\n    Since: ${info.since}\n`;
    rows.push(`Extended Usage:${example}${since}`);
  }
  return rows.map((function_desc) => ({ function_desc }));
}
