import { handOver } from "../../columnar/handed-over.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { GroupsAccumulator } from "../../expr/aggregates/index.ts";
import type { WindowTime } from "../../expr/expression.ts";
import { WindowStructType } from "../../expr/resolve.ts";
import { numVec } from "../../expr/vec-ops.ts";
import { TimestampType } from "../../types/data-types.ts";
import type { GroupTable } from "../group-table/group-table.ts";

/**
 * The grouping keys and aggregate values of `slots`, as columns: keys straight from the
 * table's key columns (a window as its {start, end} struct), then each accumulator's result.
 * The key columns are made here for this output and handed over (columnar/handed-over.ts).
 * `partOfAll`: the slots are one chunk of an output of every group, whose string keys then
 * share their column's dictionary (KeyColumn.output).
 */
export function groupColumns(table: GroupTable, windowIndex: number, window: WindowTime | null, accumulators: readonly GroupsAccumulator[], slots: Int32Array, partOfAll = false): Vec[] {
  const count = slots.length;
  const columns: Vec[] = table.columns.map((column, gi) => {
    if (gi !== windowIndex) return handOver(column.output(slots, count, partOfAll));
    const starts = new Float64Array(count);
    const ends = new Float64Array(count);
    const words = column.words, size = window!.sizeMicros;
    for (let i = 0; i < count; i++) {
      starts[i] = words[slots[i]!]!;
      ends[i] = starts[i]! + size;
    }
    return handOver({ kind: "struct", type: WindowStructType, length: count, valid: null, children: [handOver(numVec(TimestampType, starts, null)), handOver(numVec(TimestampType, ends, null))] });
  });
  for (const a of accumulators) columns.push(a.evaluate(slots, count));
  return columns;
}
