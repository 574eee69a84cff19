import type { Vec } from "../../../columnar/vector.ts";
import { requireAggregate } from "../../../expr/aggregates/index.ts";
import type { AggregateCall, WindowFrame } from "../../../expr/expression.ts";
import type { FrameBounds, WindowLayout } from "./window-layout.ts";

/**
 * An aggregate over each row's frame, with the aggregate's own accumulator (the one
 * groupBy uses) and no per-frame rescans:
 * - the whole partition: one slot per partition;
 * - frames growing from the partition start (UNBOUNDED PRECEDING, the default with ORDER
 *   BY): a running aggregate, each row's result a copy of the running state once its frame
 *   end is reached;
 * - any other frame (sliding ROWS/RANGE frames, shrinking ones): a segment tree of partial
 *   states over the rows, each frame merged from O(log n) nodes in row order (so first/last
 *   keep their meaning).
 * Every row's result lives in a slot; one `evaluate` call produces the column.
 */
export function aggregateOverFrames(call: AggregateCall, args: readonly Vec[], layout: WindowLayout, frame: WindowFrame, bounds: FrameBounds): Vec {
  const n = layout.numRows;
  const acc = requireAggregate(call.name).createAccumulator(call);
  const out = new Int32Array(n);
  // Slots: [0, 2n) a segment tree whose leaves n..2n-1 hold one row each; result slots after.
  const leaf = n;
  let nextSlot = 2 * n;
  const fresh = (): number => {
    const s = nextSlot++;
    acc.resize(nextSlot);
    acc.reset(s);
    return s;
  };
  acc.resize(2 * n);
  const leafSlots = new Int32Array(n);
  for (let i = 0; i < n; i++) { leafSlots[i] = leaf + i; acc.reset(leaf + i); }
  acc.update(args, leafSlots, n);
  const mergeLeaves = (slot: number, from: number, to: number): void => {
    for (let j = from; j < to; j++) acc.mergeState(slot, acc.getState(leaf + j));
  };
  const { lo, hi } = bounds;

  if (frame.lower === -Infinity) {
    // Whole partition or a running frame: one state per distinct frame end, extended in order.
    let i = 0;
    while (i < n) {
      const end = layout.partitionEnd[i]!;
      let slot = fresh();
      let reached = layout.partitionStart[i]!;
      for (; i < end; i++) {
        if (hi[i]! > reached) {
          // Rows before this one keep the state they saw.
          if (i > layout.partitionStart[i]!) {
            const next = fresh();
            acc.setState(next, acc.getState(slot));
            slot = next;
          }
          mergeLeaves(slot, reached, hi[i]!);
          reached = hi[i]!;
        }
        out[i] = slot;
      }
    }
    return acc.evaluate(out, n);
  }

  // Segment tree: node t (1 ≤ t < n) holds the merge of its children 2t and 2t+1, in order.
  for (let t = n - 1; t >= 1; t--) {
    acc.reset(t);
    acc.mergeState(t, acc.getState(2 * t));
    acc.mergeState(t, acc.getState(2 * t + 1));
  }
  const rights: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && lo[i] === lo[i - 1] && hi[i] === hi[i - 1]) { out[i] = out[i - 1]!; continue; }
    const slot = fresh();
    rights.length = 0;
    for (let l = lo[i]! + n, r = hi[i]! + n; l < r; l >>= 1, r >>= 1) {
      if (l & 1) acc.mergeState(slot, acc.getState(l++));
      if (r & 1) rights.push(--r);
    }
    for (let k = rights.length - 1; k >= 0; k--) acc.mergeState(slot, acc.getState(rights[k]!));
    out[i] = slot;
  }
  return acc.evaluate(out, n);
}
