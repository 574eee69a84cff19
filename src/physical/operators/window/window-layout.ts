import { valueAt, type Vec } from "../../../columnar/vector.ts";
import { compareValues } from "../../../expr/functions/comparison.ts";
import type { WindowFrame } from "../../../expr/expression.ts";

/**
 * Rows of a Window's input sorted by PARTITION BY then ORDER BY keys, with where each
 * row's partition and peer group (equal ORDER BY values) start and end. Indices are
 * positions in the sorted rows; ends are exclusive.
 */
export interface WindowLayout {
  readonly numRows: number;
  readonly partitionStart: Int32Array;
  readonly partitionEnd: Int32Array;
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
}

/** Keys as JS values, read once (valueAt per row): compared many times by the sort. */
export function keyValues(v: Vec): unknown[] {
  const out = new Array<unknown>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = valueAt(v, i);
  return out;
}

function sameKeys(keys: readonly unknown[][], a: number, b: number): boolean {
  for (const k of keys) {
    const x = k[a], y = k[b];
    if (x === null || y === null) { if (x !== y) return false; continue; }
    if (compareValues(x, y) !== 0) return false;
  }
  return true;
}

/** Partitions and peer groups of rows already sorted by `partition` then `order` keys. */
export function layoutOf(n: number, partition: readonly unknown[][], order: readonly unknown[][]): WindowLayout {
  const partitionStart = new Int32Array(n), partitionEnd = new Int32Array(n);
  const peerStart = new Int32Array(n), peerEnd = new Int32Array(n);
  let ps = 0, qs = 0;
  for (let i = 1; i <= n; i++) {
    const newPartition = i === n || !sameKeys(partition, i - 1, i);
    if (newPartition || !sameKeys(order, i - 1, i)) {
      for (let j = qs; j < i; j++) { peerStart[j] = qs; peerEnd[j] = i; }
      qs = i;
    }
    if (newPartition) {
      for (let j = ps; j < i; j++) { partitionStart[j] = ps; partitionEnd[j] = i; }
      ps = i;
    }
  }
  return { numRows: n, partitionStart, partitionEnd, peerStart, peerEnd };
}

/** The ORDER BY value a RANGE bound reaches from `value` (months added to a date, µs to a timestamp…). */
export type FrameShift = (value: number, offset: number) => number;

const addOffset: FrameShift = (value, offset) => value + offset;

/** Each row's frame [lo, hi) in sorted positions. */
export interface FrameBounds {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/**
 * Frames of every row. ROWS frames count rows; RANGE frames with offsets compare the one
 * ORDER BY value (`orderKey`, ascending when `ascending`): a row whose value is null has its
 * null peers as the value-bounded part of its frame, as Spark's range bound ordering.
 */
export function frameBounds(
  frame: WindowFrame, layout: WindowLayout, orderKey: readonly unknown[] | null, ascending: boolean, shift: FrameShift = addOffset,
): FrameBounds {
  const n = layout.numRows;
  const lo = new Int32Array(n), hi = new Int32Array(n);
  const { partitionStart: ps, partitionEnd: pe, peerStart, peerEnd } = layout;
  const dir = ascending ? 1 : -1;
  const keyAt = (j: number): number => dir * Number(orderKey![j]);
  // The key a bound reaches from row i: Spark adds the offset to the value (negated when descending).
  const boundKey = (i: number, offset: number): number => dir * shift(Number(orderKey![i]), dir * offset);
  // First position j in [from, to) whose key is >= t (or > t when strict); keys ascend there.
  const search = (from: number, to: number, t: number, strict: boolean): number => {
    let a = from, b = to;
    while (a < b) {
      const m = (a + b) >>> 1;
      const k = keyAt(m);
      if (strict ? k > t : k >= t) b = m; else a = m + 1;
    }
    return a;
  };
  // The non-null run of ORDER BY values within row i's partition (nulls sort to one end).
  let runOf = -1, run: [number, number] = [0, 0];
  const nonNullRun = (i: number): [number, number] => {
    if (runOf === ps[i]) return run;
    let a = ps[i]!, b = pe[i]!;
    while (a < b && orderKey![a] === null) a++;
    while (b > a && orderKey![b - 1] === null) b--;
    runOf = ps[i]!;
    run = [a, b];
    return run;
  };
  for (let i = 0; i < n; i++) {
    const start = ps[i]!, end = pe[i]!;
    let l: number, h: number;
    if (frame.frameType === "rows") {
      l = frame.lower === -Infinity ? start : Math.min(end, Math.max(start, i + frame.lower));
      h = frame.upper === Infinity ? end : Math.min(end, Math.max(start, i + frame.upper + 1));
    } else {
      const valueBounded = Number.isFinite(frame.lower) && frame.lower !== 0 || Number.isFinite(frame.upper) && frame.upper !== 0;
      const isNullRow = orderKey !== null && orderKey[i] === null;
      const bounds = valueBounded && !isNullRow ? nonNullRun(i) : [start, end];
      l = frame.lower === -Infinity ? start
        : frame.lower === 0 || isNullRow ? peerStart[i]!
          : search(bounds[0]!, bounds[1]!, boundKey(i, frame.lower), false);
      h = frame.upper === Infinity ? end
        : frame.upper === 0 || isNullRow ? peerEnd[i]!
          : search(bounds[0]!, bounds[1]!, boundKey(i, frame.upper), true);
    }
    lo[i] = l;
    hi[i] = Math.max(l, h);
  }
  return { lo, hi };
}
