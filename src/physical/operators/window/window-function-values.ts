import { VecBuilder } from "../../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../../columnar/vector.ts";
import { InternalError } from "../../../common/errors.ts";
import type { Call } from "../../../expr/expression.ts";
import { ignoresNulls, intLiteral } from "../../../expr/window/window-functions.ts";
import type { FrameBounds, WindowLayout } from "./window-layout.ts";

/**
 * Values of the window-only functions (ranking, lag/lead, nth_value) for sorted rows, in
 * one pass each: ranks from partition and peer boundaries, offsets by position (or by the
 * positions of non-null values when IGNORE NULLS).
 */
export function windowFunctionValues(fn: Call, args: readonly Vec[], layout: WindowLayout, bounds: FrameBounds): Vec {
  const n = layout.numRows;
  const { partitionStart: ps, partitionEnd: pe, peerStart, peerEnd } = layout;
  const b = new VecBuilder(fn.dataType!, n);
  switch (fn.name) {
    case "row_number":
      for (let i = 0; i < n; i++) b.append(i - ps[i]! + 1);
      break;
    case "rank":
      for (let i = 0; i < n; i++) b.append(peerStart[i]! - ps[i]! + 1);
      break;
    case "dense_rank": {
      let rank = 0;
      for (let i = 0; i < n; i++) {
        if (i === ps[i]) rank = 0;
        if (i === peerStart[i]) rank++;
        b.append(rank);
      }
      break;
    }
    case "percent_rank":
      for (let i = 0; i < n; i++) {
        const size = pe[i]! - ps[i]!;
        b.append(size <= 1 ? 0 : (peerStart[i]! - ps[i]!) / (size - 1));
      }
      break;
    case "cume_dist":
      for (let i = 0; i < n; i++) b.append((peerEnd[i]! - ps[i]!) / (pe[i]! - ps[i]!));
      break;
    case "ntile": {
      // Spark's NTile: the first (size % buckets) buckets hold one row more than the others.
      const buckets = intLiteral(fn.args[0], "number of buckets of ntile");
      let bucket = 0, threshold = 0;
      for (let i = 0; i < n; i++) {
        if (i === ps[i]) { bucket = 0; threshold = 0; }
        const size = pe[i]! - ps[i]!;
        const rowNumber = i - ps[i]!;
        if (rowNumber >= threshold) {
          threshold += Math.floor(size / buckets) + (bucket < size % buckets ? 1 : 0);
          bucket++;
        }
        b.append(bucket);
      }
      break;
    }
    case "lag": case "lead": {
      const k = intLiteral(fn.args[1], `offset of ${fn.name}`);
      offsetValues(b, args[0]!, args[2]!, fn.name === "lag" ? -k : k, ignoresNulls(fn.args, 3), layout);
      break;
    }
    case "nth_value": {
      const k = intLiteral(fn.args[1], "offset of nth_value");
      const input = args[0]!;
      if (!ignoresNulls(fn.args, 2)) {
        for (let i = 0; i < n; i++) {
          const j = bounds.lo[i]! + k - 1;
          b.append(j < bounds.hi[i]! ? valueAt(input, j) : null);
        }
        break;
      }
      const { positions, before } = nonNullPositions(input);
      for (let i = 0; i < n; i++) {
        const j = positions[before[bounds.lo[i]!]! + k - 1];
        b.append(j !== undefined && j < bounds.hi[i]! ? valueAt(input, j) : null);
      }
      break;
    }
    default:
      throw new InternalError(`unknown window function ${fn.name}`);
  }
  return b.finish();
}

/** Positions of non-null values, and for each position how many come before it. */
function nonNullPositions(v: Vec): { positions: number[]; before: Int32Array } {
  const positions: number[] = [];
  const before = new Int32Array(v.length + 1);
  for (let i = 0; i < v.length; i++) {
    before[i] = positions.length;
    if (v.valid === null || v.valid[i] !== 0) positions.push(i);
  }
  before[v.length] = positions.length;
  return { positions, before };
}

/**
 * lag/lead: the value `offset` rows away within the partition (the current row's default
 * when there is none, a null value when that row's value is null); with IGNORE NULLS the
 * value `|offset|` non-null values away.
 */
function offsetValues(b: VecBuilder, input: Vec, fallback: Vec, offset: number, ignoreNulls: boolean, layout: WindowLayout): void {
  const n = layout.numRows;
  const { partitionStart: ps, partitionEnd: pe } = layout;
  if (!ignoreNulls || offset === 0) {
    for (let i = 0; i < n; i++) {
      const j = i + offset;
      b.append(j >= ps[i]! && j < pe[i]! ? valueAt(input, j) : valueAt(fallback, i));
    }
    return;
  }
  const { positions, before } = nonNullPositions(input);
  for (let i = 0; i < n; i++) {
    // Non-null values strictly before row i are positions[0 .. before[i]); from row i on, from before[i].
    const index = offset < 0 ? before[i]! + offset : before[i + 1]! + offset - 1;
    const j = index >= 0 ? positions[index] : undefined;
    b.append(j !== undefined && j >= ps[i]! && j < pe[i]! ? valueAt(input, j) : valueAt(fallback, i));
  }
}
