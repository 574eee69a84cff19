import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { StateKey, StateStore } from "../../state/state-store.ts";
import type { BufferedSide, Eviction, PairList } from "./buffered-side.ts";
import type { JoinPlan } from "./join-plan.ts";
import type { JoinSide } from "./join-spec.ts";
import { isMatched, KeyRowRefs, markMatched, type KeyRows } from "./key-rows.ts";
import { StoredJoinKeys } from "./stored-join-keys.ts";
import { StoredJoinSide } from "./stored-join-side.ts";

/**
 * One batch's view of a stream–stream join whose buffered rows live in the state stores
 * (one per side, a record per join key: stored-join-side.ts), for a disk-backed store: the
 * per-batch steps (join-batch.ts) run on it as on the in-memory rows, each step reading the
 * records it needs once, and `flush` writes every changed record once, at the end.
 */
export class StoredJoinState {
  readonly keys = new StoredJoinKeys();
  readonly #stored: Record<JoinSide, StoredJoinSide>;
  readonly sides: Record<JoinSide, BufferedSide>;

  constructor(plan: JoinPlan, stores: readonly StateStore[]) {
    // A side tracks matches when its unmatched rows come out at eviction (outer) or its matched rows are not emitted again (semi).
    const side = (s: JoinSide, store: StateStore): StoredJoinSide => new StoredJoinSide(store, plan.sides[s].schema.fields.length, this.keys,
      plan.sides[s].spec.outer || (plan.semi && s === "left"));
    this.#stored = { left: side("left", stores[0]!), right: side("right", stores[1]!) };
    this.sides = { left: this.#side(plan, "left"), right: this.#side(plan, "right") };
  }

  get numRows(): number {
    return this.#stored.left.numRows + this.#stored.right.numRows;
  }

  /** Writes the batch's changes into the stores (their commit follows). */
  flush(): void {
    this.#stored.left.flush();
    this.#stored.right.flush();
  }

  #side(plan: JoinPlan, sideName: JoinSide): BufferedSide {
    const stored = this.#stored[sideName];
    const schema = plan.sides[sideName].schema;
    const keys = this.keys;
    // The rows the last probe found, and the id of the record (a key's, or a segment of it) of each.
    let refs = new KeyRowRefs(schema);
    let refKey: number[] = [];
    const flags = stored.matched;
    const matchedRow = (rec: KeyRows, r: number): boolean => (flags === null ? isMatched(rec, r) : flags.isMatched(rec, r));
    return {
      probe(ids: Int32Array, n: number, pairs: PairList): void {
        refs = new KeyRowRefs(schema);
        refKey = [];
        const distinct: number[] = [];
        const start = new Int32Array(keys.size).fill(-1), end = new Int32Array(keys.size);
        for (let i = 0; i < n; i++) {
          const k = ids[i]!;
          if (k >= 0 && start[k] === -1) { start[k] = 0; distinct.push(k); }
        }
        stored.readKeys(distinct, distinct.length);
        const addRows = (id: number): void => {
          const rec = stored.record(id);
          if (rec !== null) for (let r = 0; r < (rec[0] as number); r++) { refs.add(rec, r); refKey.push(id); }
        };
        for (const k of distinct) {
          start[k] = refs.size;
          addRows(k);
          for (const id of stored.segmentIdsOf(k)) addRows(id);
          end[k] = refs.size;
        }
        flags?.readFor(refs.recs, refs.rows, refs.size);
        for (let i = 0; i < n; i++) {
          const k = ids[i]!;
          if (k >= 0) for (let ref = start[k]!; ref < end[k]!; ref++) pairs.add(i, ref);
        }
      },
      gather: (c: number, at: ArrayLike<number>, m: number): Vec => refs.gather(c, at, m),
      isMatched: (ref: number): boolean => matchedRow(refs.recs[ref]!, refs.rows[ref]!),
      markMatched(ref: number): void {
        // A row's flag in its entry's flags leaves its record as it is; a flag in the record rewrites it.
        if (flags !== null && flags.markMatched(refs.recs[ref]!, refs.rows[ref]!)) return;
        if (flags === null) markMatched(refs.recs[ref]!, refs.rows[ref]!);
        stored.touch(refKey[ref]!);
      },
      buffer(batch: ColumnBatch, _keys: readonly Vec[], rows: Int32Array, m: number, ids: Int32Array, matched: Uint8Array, times: Float64Array): void {
        if (m === 0) return;
        // The rows grouped by record (counting sort by key id; rows with a null key go to a fresh record of their own).
        let nullRecord = -1;
        const recordOf = new Int32Array(m);
        for (let j = 0; j < m; j++) {
          let k = ids[rows[j]!]!;
          if (k < 0) { if (nullRecord < 0) nullRecord = stored.newNullKeyRecord(); k = nullRecord; }
          recordOf[j] = k;
        }
        const count = new Int32Array(keys.size + 1);
        for (let j = 0; j < m; j++) count[recordOf[j]! + 1]!++;
        const records: number[] = [];
        for (let k = 0; k < keys.size; k++) {
          if (count[k + 1]! > 0) records.push(k);
          count[k + 1]! += count[k]!;
        }
        const from = count.slice(0, keys.size);
        const order = new Int32Array(m);
        for (let j = 0; j < m; j++) order[count[recordOf[j]!]!++] = rows[j]!;
        stored.read(records, records.length);
        stored.readLastSegments(records, records.length);
        const entry = stored.planEntry(order, m, times, matched, batch.numRows);
        const entryKeys = new Array<StateKey>(entry.times.length);
        const sole = new Uint8Array(entry.times.length);
        for (const k of records) {
          const a = from[k]!, b = count[k]!;
          // A key new in this batch with one row: its record holds that row only (eviction may remove it unread).
          if (b - a === 1 && entry.positions[a]! >= 0 && stored.record(k) === null) sole[entry.positions[a]!] = 1;
          const at = stored.append(k, batch.columns, order.subarray(a, b), times, entry.slots);
          const key = keys.keys[at]!;
          for (let o = a; o < b; o++) if (entry.positions[o]! >= 0) entryKeys[entry.positions[o]!] = key;
        }
        stored.putEntry(entry.id, entryKeys, entry.times, sole);
      },
      evict(threshold: number, unmatched: boolean): Eviction {
        const out = new KeyRowRefs(schema);
        const removed = stored.evict(threshold, (rec, r) => { if (unmatched && !matchedRow(rec, r)) out.add(rec, r); }, unmatched ? "unmatched" : "none");
        const all = Int32Array.from({ length: out.size }, (_, j) => j);
        return { removed, numUnmatched: out.size, unmatched: (c: number): Vec => out.gather(c, all, all.length) };
      },
    };
  }
}
