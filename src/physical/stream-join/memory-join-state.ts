import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { StateStore } from "../../state/state-store.ts";
import type { BufferedSide, Eviction, JoinKeyIds, PairList } from "./buffered-side.ts";
import { JoinKeyTable } from "./join-key-table.ts";
import type { JoinPlan } from "./join-plan.ts";
import type { JoinSide } from "./join-spec.ts";
import { JoinSideState } from "./join-side-state.ts";

/**
 * Both sides' buffered rows in memory (join-side-state.ts), their join keys slots of one
 * key table shared by the sides; a key's slot is dropped once neither side holds a row of
 * it. The state store only checkpoints them (chunk records), for the memory and file stores.
 */
export class MemoryJoinState {
  readonly keyTable: JoinKeyTable;
  readonly states: Record<JoinSide, JoinSideState>;
  readonly keys: JoinKeyIds;
  readonly sides: Record<JoinSide, BufferedSide>;
  /** Whether this batch's changes are kept for the store (a durable checkpoint). */
  persist = false;

  constructor(plan: JoinPlan) {
    const side = (s: JoinSide): JoinSideState => new JoinSideState(plan.sides[s].schema,
      plan.sides[s].spec.keys.map((k) => k.dataType!), plan.sides[s].spec.outer || (plan.semi && s === "left"));
    this.states = { left: side("left"), right: side("right") };
    this.keyTable = new JoinKeyTable(plan.spec.left.keys.map((k) => k.dataType!), (n) => {
      this.states.left.growKeySlots(n);
      this.states.right.growKeySlots(n);
    });
    const { left, right } = this.states;
    const unused = (key: number): boolean => left.head[key] === -1 && right.head[key] === -1;
    this.keys = {
      idsOf: (keys, rows, m) => this.keyTable.slotsOf(keys, rows, m),
      release: (ids, m) => { for (let j = 0; j < m; j++) if (ids[j]! >= 0 && unused(ids[j]!)) this.keyTable.remove(ids[j]!); },
    };
    this.sides = { left: this.#side(left, right), right: this.#side(right, left) };
  }

  get numRows(): number {
    return this.states.left.numRows + this.states.right.numRows;
  }

  /** Rebuilds both sides from the stores loaded at a version (partition 0: left, 1: right). */
  restore(left: StateStore, right: StateStore): void {
    this.keyTable.clear();
    const slotsOf = this.keyTable.slotsOf.bind(this.keyTable);
    this.states.left.restore(left, slotsOf);
    this.states.right.restore(right, slotsOf);
  }

  writeChanges(left: StateStore, right: StateStore): void {
    this.states.left.writeChanges(left);
    this.states.right.writeChanges(right);
  }

  clearChanges(): void {
    this.states.left.clearChanges();
    this.states.right.clearChanges();
  }

  #side(state: JoinSideState, other: JoinSideState): BufferedSide {
    return {
      probe(ids: Int32Array, n: number, pairs: PairList): void {
        const head = state.head, next = state.next;
        for (let i = 0; i < n; i++) {
          const key = ids[i]!;
          if (key < 0) continue;
          for (let r = head[key]!; r >= 0; r = next[r]!) pairs.add(i, r);
        }
      },
      gather: (c: number, refs: ArrayLike<number>, m: number): Vec => state.columns[c]!.gather(refs, m),
      isMatched: (ref: number): boolean => state.matched[ref] === 1,
      markMatched: (ref: number): void => state.markMatched(ref),
      buffer: (batch: ColumnBatch, keys: readonly Vec[], rows: Int32Array, m: number, ids: Int32Array, matched: Uint8Array, times: Float64Array): void => {
        state.append(batch, keys, rows, m, ids, matched, times, this.persist);
      },
      evict: (threshold: number, unmatched: boolean): Eviction => {
        const eviction = state.evict(threshold, unmatched, this.persist);
        for (const key of eviction.emptiedKeys) if (other.head[key] === -1) this.keyTable.remove(key);
        const slots = eviction.unmatched;
        return {
          removed: eviction.removed, numUnmatched: slots.length,
          unmatched: (c: number): Vec => state.columns[c]!.gather(slots, slots.length),
        };
      },
    };
  }
}
