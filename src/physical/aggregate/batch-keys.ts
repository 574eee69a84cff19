import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import type { Evaluator } from "../../expr/compile.ts";
import type { WindowTime } from "../../expr/expression.ts";
import type { BatchContext } from "../exec-operator.ts";
import { eventTimeMicros } from "../event-time-value.ts";
import { groupIds } from "../group-ids.ts";
import type { GroupTable } from "../group-table/group-table.ts";
import { TAG_VALUE, type EncodedKeys } from "../group-table/key-encoding.ts";
import { FRESH, type Scratch } from "../scratch-arrays.ts";
import { assignWindows } from "../window-assigner.ts";

/** A batch's rows grouped locally, with each local group's key encoded for the group table. */
export interface KeyedRows {
  /** The input row of each (row, window) pair; null when the pairs are the batch's rows 0…n-1. */
  readonly rows: Int32Array | null;
  readonly n: number;
  /** The local group of each pair, and the number of local groups. */
  readonly ids: Int32Array;
  readonly m: number;
  /** Each local group's key as group-table words, read at its first row. */
  readonly keys: EncodedKeys;
  /** Input rows dropped because the watermark had closed their group. */
  readonly dropped: number;
}

/** What a batch is grouped by: the key expressions, at most one of them a window() over event time. */
export interface Grouping {
  /** Per grouping key its evaluator; null at the window's place. */
  readonly evaluators: readonly (Evaluator | null)[];
  readonly window: WindowTime | null;
  readonly windowIndex: number;
  readonly windowTime: Evaluator | null;
  /** The grouping key that carries event time, if any. */
  readonly eventTimeIndex: number | null;
  /** Names the operator for rows dropped as late. */
  readonly operatorName: string;
}

/**
 * Groups one batch locally on dictionary codes and numbers (group-ids.ts), after assigning
 * windows and dropping (row, window) pairs behind `watermark`; then encodes each local
 * group's key column by column. Work is per row and per local group, never per group of the
 * table. With scratch arrays (scratch-arrays.ts) the result's arrays are valid until the next
 * call with the same scratch.
 */
export function keyBatch(grouping: Grouping, table: GroupTable, batch: ColumnBatch, ctx: BatchContext, watermark: number, scratch: Scratch = FRESH): KeyedRows {
  const { window, windowIndex } = grouping;
  let rows: Int32Array | null = null;
  let starts: Float64Array | null = null;
  let n = batch.numRows;
  let dropped = 0;
  if (window !== null) {
    const assignment = assignWindows(grouping.windowTime!(batch, ctx.eval), window);
    rows = assignment.rows;
    starts = assignment.starts;
    n = assignment.length;
  }
  const keyVecs: Vec[] = [];
  for (const e of grouping.evaluators) if (e !== null) keyVecs.push(e(batch, ctx.eval));

  const eventTime = grouping.eventTimeIndex;
  if (watermark > -Infinity && eventTime !== null) {
    const isWindow = eventTime === windowIndex;
    const keyVec = isWindow ? null : keyVecs[windowIndex >= 0 && eventTime > windowIndex ? eventTime - 1 : eventTime]!;
    const size = window?.sizeMicros ?? 0;
    const keep = new Int32Array(n);
    let kept = 0;
    const lateRows = new Set<number>();
    for (let i = 0; i < n; i++) {
      const r = rows === null ? i : rows[i]!;
      let late: boolean;
      if (isWindow) late = starts![i]! + size <= watermark;
      else {
        const v = eventTimeMicros(valueAt(keyVec!, r));
        late = v !== null && v <= watermark;
      }
      if (late) lateRows.add(r);
      else keep[kept++] = i;
    }
    dropped = lateRows.size;
    if (dropped > 0 && ctx.lateRows) ctx.lateRows.add(grouping.operatorName, batch.take(Int32Array.from(lateRows).sort()), watermark);
    if (kept < n) {
      const newRows = new Int32Array(kept);
      const newStarts = starts === null ? null : new Float64Array(kept);
      for (let j = 0; j < kept; j++) {
        const i = keep[j]!;
        newRows[j] = rows === null ? i : rows[i]!;
        if (newStarts !== null) newStarts[j] = starts![i]!;
      }
      rows = newRows;
      starts = newStarts;
      n = kept;
    }
  }

  // String keys group on the table's own codes for their strings (no map per batch).
  const keyColumns = table.columns.filter((_, gi) => gi !== windowIndex);
  const keyIds = keyVecs.map((v, k) => (v.kind === "str" && keyColumns[k]!.shape === "str" ? keyColumns[k]!.localIds(v, n, rows, scratch !== FRESH) : v));
  const local = groupIds(keyIds, n, rows, starts, window?.slideMicros ?? 0, scratch);
  const m = local.numGroups;
  const atRow = scratch.int32("keyBatch.atRow", m);
  for (let g = 0; g < m; g++) atRow[g] = rows === null ? local.firstRow[g]! : rows[local.firstRow[g]!]!;
  const keys: EncodedKeys = { tags: [], words: [] };
  let k = 0;
  table.columns.forEach((column, gi) => {
    const tags = scratch.uint8(`keyBatch.tags${gi}`, m), words = scratch.float64(`keyBatch.words${gi}`, m);
    if (gi === windowIndex) {
      tags.fill(TAG_VALUE);
      for (let g = 0; g < m; g++) words[g] = starts![local.firstRow[g]!]!;
    } else {
      column.encodeRows(keyVecs[k++]!, atRow, m, tags, words);
    }
    keys.tags.push(tags);
    keys.words.push(words);
  });
  return { rows, n, ids: local.ids, m, keys, dropped };
}
