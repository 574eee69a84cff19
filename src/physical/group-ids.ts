import { keyString } from "../columnar/key-string.ts";
import { valueAt, type Vec } from "../columnar/vector.ts";
import { FRESH, type Scratch } from "./scratch-arrays.ts";

/**
 * Dense group ids for the rows of a batch from its key columns, without building a
 * string per row: each column maps to dense ids (strings through their dictionary
 * codes, numbers through a Map), and columns combine pairwise into one id.
 */
export interface GroupIds {
  /** Group id of each row, in [0, numGroups). */
  readonly ids: Int32Array;
  readonly numGroups: number;
  /** For each group, a row where it occurs first (to read the key values from). */
  readonly firstRow: Int32Array;
}

/** Dense ids of one key column's rows: 0 for null, 1… for values; cardinality is one past the largest. */
export interface ColumnIds {
  readonly ids: Int32Array;
  readonly cardinality: number;
}

function columnIds(v: Vec, n: number, rows: Int32Array | null): ColumnIds {
  const ids = new Int32Array(n);
  const row = (i: number): number => (rows === null ? i : rows[i]!);
  const valid = v.valid;
  let next = 1; // 0 is null
  if (v.kind === "str") {
    // Dictionaries may repeat a string (after a string function): map codes via the strings.
    const byString = new Map<string, number>();
    const table = new Int32Array(v.dict.length);
    for (let c = 0; c < v.dict.length; c++) {
      const s = v.dict[c]!;
      let id = byString.get(s);
      if (id === undefined) { id = -(byString.size + 1); byString.set(s, id); }
      table[c] = id;
    }
    // Ids in `table` are provisional (negative); assign dense ids in order of first occurrence.
    const dense = new Int32Array(byString.size + 1);
    const codes = v.codes;
    for (let i = 0; i < n; i++) {
      const r = row(i);
      if (valid !== null && valid[r] === 0) { ids[i] = 0; continue; }
      const p = -table[codes[r]!]!;
      let d = dense[p]!;
      if (d === 0) { d = next++; dense[p] = d; }
      ids[i] = d;
    }
    return { ids, cardinality: next };
  }
  if (v.kind === "num" && v.exact !== undefined) {
    const map = new Map<bigint, number>();
    const exact = v.exact;
    for (let i = 0; i < n; i++) {
      const r = row(i);
      if (valid !== null && valid[r] === 0) { ids[i] = 0; continue; }
      const x = exact[r]!;
      let d = map.get(x);
      if (d === undefined) { d = next++; map.set(x, d); }
      ids[i] = d;
    }
    return { ids, cardinality: next };
  }
  if (v.kind === "num" || v.kind === "bool") {
    const values = v.values;
    const dense = denseRangeIds(values, valid, n, rows, ids);
    if (dense !== null) return dense;
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const r = row(i);
      if (valid !== null && valid[r] === 0) { ids[i] = 0; continue; }
      const x = values[r]!;
      let d = map.get(x);
      if (d === undefined) { d = next++; map.set(x, d); }
      ids[i] = d;
    }
    return { ids, cardinality: next };
  }
  const map = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const x = valueAt(v, row(i));
    if (x === null) { ids[i] = 0; continue; }
    const key = keyString([x instanceof Map ? [...x] : x]);
    let d = map.get(key);
    if (d === undefined) { d = next++; map.set(key, d); }
    ids[i] = d;
  }
  return { ids, cardinality: next };
}

/**
 * Ids of integer values within a narrow range (small ints, codes, a gid): through a table indexed
 * by value - min instead of a Map, in the same first-seen order. Null (ids untouched) when a value
 * is not an integer (NaN included) or the range is wider than the batch makes worth a table.
 */
function denseRangeIds(values: Float64Array | Int32Array | Uint8Array, valid: Uint8Array | null, n: number, rows: Int32Array | null, ids: Int32Array): ColumnIds | null {
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = rows === null ? i : rows[i]!;
    if (valid !== null && valid[r] === 0) continue;
    const x = values[r]!;
    if (x - Math.floor(x) !== 0) return null;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min > max) return null;
  const span = max - min;
  if (!(span < Math.max(4 * n, 1 << 12)) || span >= 1 << 24) return null;
  const table = new Int32Array(span + 1);
  let next = 1; // 0 is null
  for (let i = 0; i < n; i++) {
    const r = rows === null ? i : rows[i]!;
    if (valid !== null && valid[r] === 0) { ids[i] = 0; continue; }
    const k = values[r]! - min;
    let d = table[k]!;
    if (d === 0) { d = next++; table[k] = d; }
    ids[i] = d;
  }
  return { ids, cardinality: next };
}

/**
 * Group ids of `n` rows over `keys` (vectors, or ids the caller made for a column). `rows` maps row i to a row of the key vectors
 * (for window expansion, where one input row becomes several); null means identity.
 * `extra` is an additional numeric key per row (a window start), or null; when its
 * values are multiples of `extraStep` apart (window starts, `extraStep` the slide), they
 * map to ids by arithmetic instead of through a Map. The arrays of the result (and of the
 * work) come from `scratch`: with scratch arrays, the result is valid until the next call.
 */
export function groupIds(keys: readonly (Vec | ColumnIds)[], n: number, rows: Int32Array | null, extra: Float64Array | null, extraStep = 0, scratch: Scratch = FRESH): GroupIds {
  const combined = scratch.int32("groupIds.combined", n, true);
  // A key given as ColumnIds was mapped by the caller (a group table's own string codes).
  const columns: ColumnIds[] = keys.map((k) => ("kind" in k ? columnIds(k, n, rows) : k));
  if (extra !== null) columns.push((extraStep > 0 ? steppedIds(extra, n, extraStep, scratch) : null) ?? mappedIds(extra, n));
  if (columns.length === 0) return { ids: combined, numGroups: n > 0 ? 1 : 0, firstRow: new Int32Array(n > 0 ? 1 : 0) };
  // Ids come out in order of first occurrence whatever the columns' order; folding the fewest
  // values first makes them the combination's high part, so that rows in runs of one window
  // (or one of few values) read one slab of the table, not all of it.
  columns.sort((a, b) => a.cardinality - b.cardinality);
  // Each column folds into the running ids in place (row i reads and writes only its own id);
  // the last fold also notes each group's first row.
  const firstRow = scratch.int32("groupIds.firstRow", n);
  let cardinality = 1;
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!, colIds = col.ids, colCardinality = col.cardinality;
    const last = c === columns.length - 1;
    const product = cardinality * colCardinality;
    let count = 0;
    if (product <= 1 << 22) {
      const table = scratch.int32("groupIds.table", product).fill(-1);
      for (let i = 0; i < n; i++) {
        const k = combined[i]! * colCardinality + colIds[i]!;
        let d = table[k]!;
        if (d < 0) {
          d = count++;
          table[k] = d;
          if (last) firstRow[d] = i;
        }
        combined[i] = d;
      }
    } else {
      const map = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const k = combined[i]! * colCardinality + colIds[i]!;
        let d = map.get(k);
        if (d === undefined) {
          d = count++;
          map.set(k, d);
          if (last) firstRow[d] = i;
        }
        combined[i] = d;
      }
    }
    cardinality = count;
  }
  return { ids: combined, numGroups: cardinality, firstRow: firstRow.subarray(0, cardinality) };
}

/** Ids of values that lie on a grid of `step` (window starts): (value - min) / step, exact on integers; null if the span is too wide. */
function steppedIds(values: Float64Array, n: number, step: number, scratch: Scratch): { ids: Int32Array; cardinality: number } | null {
  if (n === 0) return { ids: new Int32Array(0), cardinality: 0 };
  let min = Infinity, max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const span = (max - min) / step;
  if (!(span < 1 << 16) || !Number.isInteger(span)) return null;
  const ids = scratch.int32("groupIds.stepped", n);
  for (let i = 0; i < n; i++) {
    const id = (values[i]! - min) / step;
    if (!Number.isInteger(id)) return null; // not on the grid after all
    ids[i] = id;
  }
  return { ids, cardinality: span + 1 };
}

function mappedIds(values: Float64Array, n: number): { ids: Int32Array; cardinality: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    let d = map.get(x);
    if (d === undefined) { d = map.size; map.set(x, d); }
    ids[i] = d;
  }
  return { ids, cardinality: map.size };
}
