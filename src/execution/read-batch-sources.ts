import { fromRecordBatch } from "../columnar/arrow-convert.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { Offset, Source } from "../connectors/source.ts";
import { schemaOf } from "../expr/scope.ts";
import type { DeferredRead } from "../physical/exec-operator.ts";
import type { PhysicalQuery } from "../physical/planner.ts";

/** One batch's input: the rows read now per source, the reads left to operators, and rows per source. */
export interface BatchInput {
  readonly sourceData: Map<number, ColumnBatch[]>;
  readonly deferredReads: Map<number, DeferredRead>;
  /** Filled for deferred reads once the operators ran (they report what they read). */
  readonly rowsPerSource: number[];
}

export function sameOffset(a: Offset | null | undefined, b: Offset | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/**
 * Reads each source's rows between the last committed offsets and this batch's ends, with
 * the columns and filters the plan pushed into its scan. A scan the planner deferred is read
 * by the operator that needs it (in worker threads), so only its range is handed on.
 */
export async function readBatchSources(
  physical: PhysicalQuery, sources: readonly Source[], starts: readonly (Offset | null)[], ends: readonly (Offset | null)[],
): Promise<BatchInput> {
  const input: BatchInput = { sourceData: new Map(), deferredReads: new Map(), rowsPerSource: [] };
  await Promise.all(sources.map(async (source, i) => {
    const start = starts[i] ?? null;
    const end = ends[i] ?? null;
    input.rowsPerSource[i] = 0;
    input.sourceData.set(i, []);
    if (end === null || sameOffset(start, end)) return;
    const scan = physical.streamingScans[i]!;
    const request = { columns: scan.columns.map((c) => scan.source.schema.fields[c]!.name), filters: scan.pushedFilters };
    if (physical.deferredScans.has(i)) {
      input.deferredReads.set(i, { source, start, end, request, rowsRead: 0 });
      return;
    }
    const recordBatches = await source.getBatch(start, end, request);
    const schema = (rb: { numCols: number }) => (rb.numCols === scan.source.schema.fields.length ? scan.source.schema : schemaOf(scan.output));
    const batches = recordBatches.map((rb) => fromRecordBatch(rb, schema(rb)));
    input.sourceData.set(i, batches);
    input.rowsPerSource[i] = batches.reduce((n, b) => n + b.numRows, 0);
  }));
  return input;
}
