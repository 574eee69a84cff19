import { lookupAggregate } from "../expr/aggregates/index.ts";
import { FUNCTION_USAGE } from "../expr/functions/function-usage.ts";
import { lookupFunction } from "../expr/functions/registry.ts";
import { callableFunctionNames, INTERNAL_FUNCTION_NAMES } from "../expr/functions/callable-names.ts";
import { generatorNames } from "../expr/generators/index.ts";
import { lookupWindowFunction } from "../expr/window/window-functions.ts";
import { unresolvedRoutineError } from "../expr/unresolved-routine.ts";

/**
 * DESCRIBE FUNCTION [EXTENDED] f and SHOW FUNCTIONS [LIKE 'pattern'] over the function
 * registries, as Spark's DescribeFunctionCommand and ShowFunctionsCommand print them.
 */

/** Every function a user can call, sorted (scalar functions, aggregates, generators, window functions, window). */
export function allFunctionNames(): string[] {
  return callableFunctionNames().filter((n) => n !== "session_window");
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
  const scalar = INTERNAL_FUNCTION_NAMES.has(lower) ? undefined : lookupFunction(lower);
  const aggregate = lookupAggregate(lower);
  const kind = scalar !== undefined ? "scalar" : aggregate !== undefined ? "aggregate"
    : generatorNames().includes(lower) ? "generator" : lookupWindowFunction(lower) !== undefined ? "window" : lower === "window" ? "scalar" : null;
  if (kind === null) throw unresolvedRoutineError(name);
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
