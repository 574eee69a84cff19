import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import type { StructType } from "../../types/data-types.ts";

/**
 * One join key's buffered rows of one side as a state store record, columnar in one flat
 * array of primitives (which the disk store writes in its compact form, no native call),
 * then the ids of the key's further segments (a key holding many rows keeps its later rows
 * in segment records of the same layout, so that appending to it rewrites a bounded record):
 *
 *     [n, time_0 … time_n-1, matched_0 … matched_n-1, column0_0 … column0_n-1, column1_0 …, segment ids…]
 *
 * A row's matched slot is its flag (0, 1) or, for a side that tracks matches, where its flag
 * is kept (stored-matched.ts); the helpers here read and write it as a flag.
 *
 * Each column's values are the rows' internal values (vector.ts: numbers, strings,
 * booleans, null, objects for structs). The eviction times come first, so eviction decides
 * which rows stay from them alone, and a record's rows are read and written as one.
 */
export type KeyRows = unknown[];

export const numRowsOf = (rec: KeyRows): number => rec[0] as number;
export const timeOf = (rec: KeyRows, r: number): number => rec[1 + r] as number;
export const isMatched = (rec: KeyRows, r: number): boolean => rec[1 + (rec[0] as number) + r] === 1;
export const markMatched = (rec: KeyRows, r: number): void => { rec[1 + (rec[0] as number) + r] = 1; };
const NO_SEGMENTS: readonly number[] = Object.freeze([]);
/** Whether the record lists further segments (a key's first record only). */
export const hasSegments = (rec: KeyRows, width: number): boolean => rec.length > 1 + (2 + width) * (rec[0] as number);
/** The ids of the record's further segments (a key's first record only); no array is made for a record without. */
export const segmentsOf = (rec: KeyRows, width: number): readonly number[] =>
  hasSegments(rec, width) ? rec.slice(1 + (2 + width) * (rec[0] as number)) as number[] : NO_SEGMENTS;
/** Whether the record holds neither rows nor segments (it is removed). */
export const isEmptyRecord = (rec: KeyRows): boolean => rec.length === 1;
/** `rec` with its segment ids replaced. */
export function withSegments(rec: KeyRows, width: number, segments: readonly number[]): KeyRows {
  const out = rec.slice(0, 1 + (2 + width) * (rec[0] as number));
  for (const j of segments) out.push(j);
  return out;
}
const valueOf = (rec: KeyRows, c: number, r: number): unknown => {
  const n = rec[0] as number;
  return rec[1 + 2 * n + c * n + r];
};

/** `rec` (or nothing) with rows `rows` of `columns` appended after its own, with their eviction times and matched flags (by row); its segments kept. */
export function appendRows(rec: KeyRows | undefined, width: number, columns: readonly Vec[], rows: Int32Array,
  times: ArrayLike<number>, matched: ArrayLike<number>): KeyRows {
  const old = rec === undefined ? 0 : numRowsOf(rec);
  const m = rows.length;
  const n = old + m;
  const segments = rec === undefined ? NO_SEGMENTS : segmentsOf(rec, width);
  const out = new Array<unknown>(1 + (2 + width) * n + segments.length);
  out[0] = n;
  for (let r = 0; r < old; r++) {
    out[1 + r] = rec![1 + r];
    out[1 + n + r] = rec![1 + old + r];
  }
  for (let j = 0; j < m; j++) {
    out[1 + old + j] = times[rows[j]!];
    out[1 + n + old + j] = matched[rows[j]!];
  }
  for (let c = 0; c < width; c++) {
    const to = 1 + 2 * n + c * n;
    const from = 1 + 2 * old + c * old;
    for (let r = 0; r < old; r++) out[to + r] = rec![from + r];
    const v = columns[c]!;
    for (let j = 0; j < m; j++) out[to + old + j] = valueAt(v, rows[j]!);
  }
  for (let j = 0; j < segments.length; j++) out[1 + (2 + width) * n + j] = segments[j];
  return out;
}

/**
 * Removes the rows whose eviction time is at or below `threshold`; `onEvicted(r)` sees each
 * (by its index in `rec`, still readable). Returns the rows left (and the segments) or
 * `rec` itself when none was evicted.
 */
export function evictRows(rec: KeyRows, width: number, threshold: number, onEvicted: (r: number) => void): KeyRows {
  const n = numRowsOf(rec);
  let m = 0;
  for (let r = 0; r < n; r++) {
    if (timeOf(rec, r) <= threshold) onEvicted(r);
    else m++;
  }
  if (m === n) return rec;
  const segments = segmentsOf(rec, width);
  const out = new Array<unknown>(1 + (2 + width) * m + segments.length);
  for (let j = 0; j < segments.length; j++) out[1 + (2 + width) * m + j] = segments[j];
  out[0] = m;
  if (m === 0) return out;
  // The kept rows, in order: those past the threshold.
  for (let r = 0, j = 0; r < n; r++) {
    if (timeOf(rec, r) <= threshold) continue;
    out[1 + j] = rec[1 + r];
    out[1 + m + j] = rec[1 + n + r];
    for (let c = 0; c < width; c++) out[1 + 2 * m + c * m + j] = rec[1 + 2 * n + c * n + r];
    j++;
  }
  return out;
}

/**
 * Rows of many key records, addressed by a reference number: the other side's rows a batch
 * probes, or the rows an eviction emits. `gather` builds a column's vector of some of them.
 */
export class KeyRowRefs {
  recs: KeyRows[] = [];
  rows: number[] = [];

  constructor(readonly schema: StructType) {}

  get size(): number {
    return this.recs.length;
  }

  add(rec: KeyRows, r: number): number {
    this.recs.push(rec);
    this.rows.push(r);
    return this.recs.length - 1;
  }

  /** Column `c` of refs[0 … m). */
  gather(c: number, refs: ArrayLike<number>, m: number): Vec {
    const b = new VecBuilder(this.schema.fields[c]!.dataType, m);
    for (let j = 0; j < m; j++) {
      const ref = refs[j]!;
      b.append(valueOf(this.recs[ref]!, c, this.rows[ref]!));
    }
    return b.finish();
  }
}
