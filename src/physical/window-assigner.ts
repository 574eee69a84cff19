import type { Vec } from "../columnar/vector.ts";
import { InternalError } from "../common/errors.ts";
import { windowStart } from "../expr/compile.ts";
import type { WindowTime } from "../expr/expression.ts";

/**
 * Assigns rows to event-time windows with integer arithmetic on epoch µs. A row at time t
 * belongs to every window [s, s + size) with s aligned to the slide (plus the start
 * offset) and s <= t < s + size: one window when tumbling, size/slide when sliding.
 * Rows with a null time belong to no window.
 */
export interface WindowAssignment {
  /** Input row of each (row, window) pair; null when pairs are exactly the input rows. */
  readonly rows: Int32Array | null;
  /** Window start of each pair. */
  readonly starts: Float64Array;
  readonly length: number;
}

export function assignWindows(time: Vec, spec: WindowTime): WindowAssignment {
  if (time.kind !== "num") throw new InternalError("window time column is not numeric");
  const { sizeMicros: size, slideMicros: slide, startMicros: offset } = spec;
  const n = time.length;
  const values = time.values, valid = time.valid;
  if (size === slide && valid === null) {
    const starts = new Float64Array(n);
    for (let i = 0; i < n; i++) starts[i] = windowStart(values[i]!, size, offset);
    return { rows: null, starts, length: n };
  }
  const perRow = Math.ceil(size / slide);
  let rows = new Int32Array(n * perRow);
  let starts = new Float64Array(n * perRow);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const t = values[i]!;
    for (let s = windowStart(t, slide, offset); s + size > t; s -= slide) {
      if (count === rows.length) {
        const r2 = new Int32Array(rows.length * 2 + 16); r2.set(rows); rows = r2;
        const s2 = new Float64Array(starts.length * 2 + 16); s2.set(starts); starts = s2;
      }
      rows[count] = i;
      starts[count] = s;
      count++;
    }
  }
  // Windows are listed latest first; the order within a row does not change any aggregate.
  return { rows: rows.subarray(0, count), starts: starts.subarray(0, count), length: count };
}
