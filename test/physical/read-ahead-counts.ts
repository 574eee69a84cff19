import type { StreamingQuery } from "../../src/api/streaming-query.ts";
import { forEachOperator } from "../../src/physical/exec-operator.ts";
import { AggregateExec } from "../../src/physical/aggregate/aggregate-exec.ts";
import { WorkerPartialAggregation } from "../../src/physical/parallel-aggregation.ts";
import type { ReadAheadCounts } from "../../src/physical/parallel/read-ahead.ts";

/** What the query's (first) parallel aggregation read ahead so far; null when it reads nothing ahead (fewer than two workers). */
export function readAheadCounts(query: StreamingQuery): ReadAheadCounts | null {
  const root = query.execution.physical?.root;
  let counts: ReadAheadCounts | null = null;
  if (root !== undefined) {
    forEachOperator(root, (op) => {
      if (counts === null && op instanceof AggregateExec && op.mapSide instanceof WorkerPartialAggregation && op.mapSide.readAhead !== null) {
        counts = { ...op.mapSide.readAhead.counts };
      }
    });
  }
  return counts;
}
