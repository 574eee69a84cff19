import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";

/**
 * The join keys of a batch as small integer ids shared by both sides: the in-memory join's
 * key-table slots, or the stored join's ids of the store keys a batch touches.
 */
export interface JoinKeyIds {
  /** The id of the key of each of rows[0 … m) of the key vectors (by position), -1 where a key part is null. */
  idsOf(keys: readonly Vec[], rows: Int32Array, m: number): Int32Array;
  /** After a side's rows were buffered: `ids` (of the rows just joined) may have lost their last row on both sides. */
  release(ids: Int32Array, m: number): void;
}

/** What an eviction removed and which of the evicted rows an outer side emits with nulls. */
export interface Eviction {
  readonly removed: number;
  /** How many of the evicted rows never matched (asked for an outer side only). */
  readonly numUnmatched: number;
  /** Column `c` of the unmatched rows. */
  unmatched(column: number): Vec;
}

/**
 * One side's buffered rows of a stream–stream join as the per-batch steps (store-and-join.ts,
 * evict-side.ts) use them, whether they live in memory (join-side-state.ts) or in the state
 * store (stored-join-side.ts). A buffered row is named by a reference number, valid for the
 * step that got it.
 */
export interface BufferedSide {
  /** For each row i < n with ids[i] ≥ 0, a pair (i, ref) per buffered row under that key id. */
  probe(ids: Int32Array, n: number, pairs: PairList): void;
  /** Column `column` of the buffered rows refs[0 … m). */
  gather(column: number, refs: ArrayLike<number>, m: number): Vec;
  isMatched(ref: number): boolean;
  markMatched(ref: number): void;
  /**
   * Buffers rows rows[0 … m) of `batch`, with their key vectors, key ids, matched flags and
   * eviction times (+Infinity: never evicted), all by batch row.
   */
  buffer(batch: ColumnBatch, keys: readonly Vec[], rows: Int32Array, m: number, ids: Int32Array,
    matched: Uint8Array, times: Float64Array): void;
  /** Removes the rows whose eviction time is at or below `threshold`; with `unmatched`, keeps those that never matched for output. */
  evict(threshold: number, unmatched: boolean): Eviction;
}

/** Candidate pairs (a batch row, a buffered row's ref), in two growing arrays. */
export class PairList {
  rows: Int32Array;
  refs: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.rows = new Int32Array(Math.max(16, capacity));
    this.refs = new Int32Array(this.rows.length);
  }

  add(row: number, ref: number): void {
    if (this.size === this.rows.length) {
      const rows = new Int32Array(this.size * 2); rows.set(this.rows); this.rows = rows;
      const refs = new Int32Array(this.size * 2); refs.set(this.refs); this.refs = refs;
    }
    this.rows[this.size] = row;
    this.refs[this.size++] = ref;
  }
}
