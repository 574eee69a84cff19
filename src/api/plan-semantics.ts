import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inputsOf, type LogicalPlan } from "../plan/logical-plan.ts";
import { planString } from "../plan/plan-string.ts";

/**
 * Spark's sameSemantics and semanticHash over resolved plans: the same operators and
 * expressions (the plan's text) over the same inputs (the very same relations: two
 * createDataFrame calls with equal rows are different inputs, as in Spark).
 */
export function sameSemantics(a: LogicalPlan, b: LogicalPlan): boolean {
  if (planString(a) !== planString(b)) return false;
  const left = leaves(a), right = leaves(b);
  return left.length === right.length && left.every((leaf, i) => sameLeaf(leaf, right[i]!));
}

/** A hash of the plan's text: plans with the same semantics have the same hash. */
export function semanticHash(plan: LogicalPlan): number {
  let h = 0;
  for (const ch of planString(plan)) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
  return h;
}

/** Spark's inputFiles: the files the plan's file scans read, as absolute file URIs, sorted, each once. */
export function inputFiles(plan: LogicalPlan): string[] {
  const files = leaves(plan).flatMap((leaf) => (leaf.kind === "Scan" ? leaf.source.inputFiles?.() ?? [] : []));
  return [...new Set(files.map((f) => pathToFileURL(resolve(f)).href))].sort();
}

function leaves(plan: LogicalPlan): LogicalPlan[] {
  const inputs = inputsOf(plan);
  return inputs.length === 0 ? [plan] : inputs.flatMap(leaves);
}

/** A scan reads the same source when its provider is the same object; rows in memory are the same when they are one relation. */
function sameLeaf(a: LogicalPlan, b: LogicalPlan): boolean {
  if (a === b) return true;
  if (a.kind === "Scan" && b.kind === "Scan") return a.source === b.source;
  if (a.kind === "LocalRelation" && b.kind === "LocalRelation") return a.data === b.data;
  return false;
}
