import { joinedBatch } from "./join-output.ts";
import type { JoinBatchState, JoinPlan } from "./join-plan.ts";
import type { JoinSide } from "./join-spec.ts";

/**
 * Evicts the side's buffered rows no future row can join (at or below the side's state
 * threshold); an outer side's evicted rows that never matched are emitted with nulls.
 */
export function evictSide(plan: JoinPlan, state: JoinBatchState, sideName: JoinSide, threshold: number | null): void {
  if (threshold === null || threshold === -Infinity) return;
  const outer = plan.sides[sideName].spec.outer;
  const eviction = state.sides[sideName].evict(threshold, outer);
  // Spark counts in numRowsRemoved only the rows its cleanup pass removes: those of a side that is not an outer side.
  if (!outer) state.counts.removed += eviction.removed;
  const m = eviction.numUnmatched;
  if (m === 0) return;
  const gather = eviction.unmatched.bind(eviction);
  state.out.push(joinedBatch(plan.schema, plan.outputColumns, plan.spec.left.width,
    sideName === "left" ? gather : null, sideName === "left" ? null : gather, m));
}
