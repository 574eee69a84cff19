import { EliminateSubqueryAliases } from "./eliminate-subquery-aliases.ts";
import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { AnalysisError, InternalError } from "../common/errors.ts";
import type { LogicalPlan, OutputColumn } from "../plan/logical-plan.ts";
import { sameType, typeName } from "../types/data-types.ts";
import { BooleanSimplification } from "./boolean-simplification.ts";
import { ColumnPruning } from "./column-pruning.ts";
import { CombineFilters } from "./combine-filters.ts";
import { ConstantFolding, constantFolding } from "./constant-folding.ts";
import { zoneRules } from "../common/time-zone.ts";
import type { OptimizerRule } from "./optimizer-rule.ts";
import { PushDownFilter } from "./push-down-filter.ts";
import { PushJoinCondition } from "./push-join-condition.ts";
import { PushFilterIntoScan } from "./push-filter-into-scan.ts";
import { RemoveNoopProject } from "./remove-noop-project.ts";
import { RewriteDistinctAggregates } from "./rewrite-distinct-aggregates.ts";
import { SingleDistinctToGroupBy } from "./single-distinct-to-group-by.ts";

/**
 * The rules, in the order they run in each pass. The order matters:
 * 0. eliminate_subquery_aliases: aliases only qualified names during resolution; without
 *    them, filters and pruning move through, and SQL and DataFrame plans coincide;
 * 1. constant_folding first, so that `1 = 1` or `CAST(NULL AS BOOLEAN)` become literals
 *    the next rules can recognise;
 * 2. boolean_simplification then drops trivially true conjuncts and filters (and turns
 *    false ones into empty relations) before anything moves them around;
 * 3. combine_filters merges stacked filters, so push-down sees all conjuncts at once and
 *    can split them by where each may go;
 * 4. push_join_condition turns a join's one-side conjuncts into filters on that side,
 *    which push_down_filter, right after, moves further down;
 * 5. push_down_filter moves conjuncts toward the sources — before pruning, so that
 *    pruning sees where each column is really needed (a column read only by a filter
 *    that now sits on the scan is not carried through the projections above it);
 * 6. push_filter_into_scan hands the conjuncts of a filter that now sits right on a scan
 *    to its source (the filter stays, so pruning below still keeps their columns);
 * 7. single_distinct_aggregation_to_group_by turns aggregates that are all DISTINCT over the
 *    same values into a group-by of those values below plain aggregates, before pruning
 *    looks at the new inner aggregation;
 * 8. rewrite_distinct_aggregates turns DISTINCT aggregates over several value sets into an
 *    Expand under two aggregates, also before pruning, which then narrows the Expand;
 * 9. column_pruning narrows scans and projections to what the (final) plan reads;
 * 10. remove_noop_project last, removing the identity projections that the rules above
 *    (and pruning especially) leave behind.
 * A pass can enable an earlier rule again (push-down stacks filters that combine_filters
 * merges, substitution makes new constants), so passes repeat until none changes the plan.
 */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  EliminateSubqueryAliases,
  ConstantFolding,
  BooleanSimplification,
  CombineFilters,
  PushJoinCondition,
  PushDownFilter,
  PushFilterIntoScan,
  SingleDistinctToGroupBy,
  RewriteDistinctAggregates,
  ColumnPruning,
  RemoveNoopProject,
];

/**
 * The rules a session runs: DEFAULT_RULES without those named in
 * spark.sql.optimizer.excludedRules (comma-separated rule names as explain shows them,
 * e.g. `push_down_filter`; `*` excludes all, to compare results with and without the
 * optimizer). Every rule only rewrites, so any subset still gives the same results.
 */
export function rulesFor(conf: RuntimeConfig): readonly OptimizerRule[] {
  const text = conf.get(ConfKeys.optimizerExcludedRules) ?? "";
  const names = text.split(",").map((n) => n.trim()).filter((n) => n !== "");
  if (names.includes("*")) return [];
  // Constants fold in the session time zone, as the same values in a column evaluate.
  const folding = constantFolding(zoneRules(conf.get(ConfKeys.sessionTimeZone) ?? "UTC"));
  const rules = DEFAULT_RULES.map((r) => (r === ConstantFolding ? folding : r));
  if (names.length === 0) return rules;
  const known = DEFAULT_RULES.map((r) => r.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new AnalysisError(`${ConfKeys.optimizerExcludedRules}: unknown rule ${unknown.map((n) => `'${n}'`).join(", ")}; the rules are ${known.join(", ")}`);
  }
  return rules.filter((r) => !names.includes(r.name));
}

/** Passes before the driver gives up on a fixed point and keeps the plan it has (still correct, maybe not minimal). */
export const MAX_ITERATIONS = 100;

export interface OptimizeResult {
  readonly plan: LogicalPlan;
  /** Names of the rules that changed the plan, in the order each first did (for explain). */
  readonly firedRules: string[];
}

/** Runs `rules` in order, pass after pass, until a whole pass changes nothing. */
export function optimize(plan: LogicalPlan, rules: readonly OptimizerRule[] = DEFAULT_RULES): OptimizeResult {
  const fired: string[] = [];
  let current = plan;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let changed = false;
    for (const rule of rules) {
      let next: LogicalPlan;
      try {
        next = rule.rewrite(current);
      } catch (e) {
        if (e instanceof InternalError) throw e;
        throw new InternalError(`optimizer rule ${rule.name} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      if (next === current) continue;
      checkSameSchema(rule.name, current.output, next.output);
      current = next;
      changed = true;
      if (!fired.includes(rule.name)) fired.push(rule.name);
    }
    if (!changed) break;
  }
  return { plan: current, firedRules: fired };
}

function checkSameSchema(rule: string, before: readonly OutputColumn[], after: readonly OutputColumn[]): void {
  const show = (cols: readonly OutputColumn[]): string => cols.map((c) => `${c.name}: ${typeName(c.dataType)}`).join(", ");
  const same = before.length === after.length
    && before.every((c, i) => c.name === after[i]!.name && sameType(c.dataType, after[i]!.dataType));
  if (!same) {
    throw new InternalError(`optimizer rule ${rule} changed the plan's output schema from [${show(before)}] to [${show(after)}]`);
  }
}
