import { keyString } from "../../columnar/key-string.ts";
import type { Vec } from "../../columnar/vector.ts";
import { handOver } from "../../columnar/handed-over.ts";
import { LongType } from "../../types/data-types.ts";
import { valueAt } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import type { AggregateFunction, GroupsAccumulator } from "./aggregate-function.ts";
import { ROW_PAGE_MASK, ROW_PAGE_SHIFT, SlotRows } from "./slot-rows.ts";

/** count(*) / count(x): rows, or rows where every argument is non-null; one word of a slot row. */
class CountAccumulator implements GroupsAccumulator {
  #rows = new SlotRows();
  #at = this.#rows.claim(1);
  constructor(readonly countNulls: boolean) {}
  shareRows(rows: SlotRows): void { this.#rows = rows; this.#at = rows.claim(1); }
  resize(n: number): void { this.#rows.ensure(n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const pages = this.#rows.pages, width = this.#rows.width, at = this.#at;
    if (this.countNulls || args.every((a) => a.valid === null)) {
      for (let i = 0; i < length; i++) { const s = slots[i]!; pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * width + at]!++; }
      return;
    }
    for (let i = 0; i < length; i++) {
      let ok = true;
      for (const a of args) if (a.valid !== null && a.valid[i] === 0) { ok = false; break; }
      if (ok) { const s = slots[i]!; pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * width + at]!++; }
    }
  }
  getState(slot: number): unknown { return this.#rows.get(slot, this.#at); }
  setState(slot: number, state: unknown): void { this.#rows.set(slot, this.#at, state as number); }
  mergeState(slot: number, state: unknown): void { this.#rows.set(slot, this.#at, this.#rows.get(slot, this.#at) + (state as number)); }
  reset(slot: number): void { this.#rows.set(slot, this.#at, 0); }
  exportStates(slots: Int32Array, count: number): Float64Array {
    return this.#column(slots, count);
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const pages = this.#rows.pages, width = this.#rows.width, at = this.#at, add = states as Float64Array;
    for (let j = 0; j < count; j++) { const s = slots[j]!; pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * width + at]! += add[j]!; }
  }
  evaluate(slots: Int32Array, count: number): Vec {
    return handOver({ kind: "num", type: LongType, length: count, values: this.#column(slots, count), valid: null });
  }
  /** The counts of `slots`, as a column. */
  #column(slots: Int32Array, count: number): Float64Array {
    const pages = this.#rows.pages, width = this.#rows.width, at = this.#at;
    const out = new Float64Array(count);
    for (let j = 0; j < count; j++) { const s = slots[j]!; out[j] = pages[s >>> ROW_PAGE_SHIFT]![(s & ROW_PAGE_MASK) * width + at]!; }
    return out;
  }
}

/** count(DISTINCT x, …): a set of the distinct argument tuples per group. */
class CountDistinctAccumulator implements GroupsAccumulator {
  sets: (Set<string> | undefined)[] = [];
  resize(n: number): void { while (this.sets.length < n) this.sets.push(undefined); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    outer: for (let i = 0; i < length; i++) {
      const key: unknown[] = [];
      for (const a of args) {
        const v = valueAt(a, i);
        if (v === null) continue outer;
        key.push(v);
      }
      const s = slots[i]!;
      (this.sets[s] ??= new Set()).add(keyString(key));
    }
  }
  getState(slot: number): unknown { return [...(this.sets[slot] ?? [])]; }
  setState(slot: number, state: unknown): void { this.sets[slot] = new Set(state as string[]); }
  mergeState(slot: number, state: unknown): void { for (const k of state as string[]) (this.sets[slot] ??= new Set()).add(k); }
  reset(slot: number): void { this.sets[slot] = undefined; }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = this.sets[slots[i]!]?.size ?? 0;
    return handOver({ kind: "num", type: LongType, length: count, values, valid: null });
  }
}

export const count: AggregateFunction = {
  name: "count",
  handlesDistinct: true,
  resolve: (args) => ({ args: args.filter((a) => a.kind !== "Star"), dataType: LongType }),
  createAccumulator(call: AggregateCall): GroupsAccumulator {
    if (call.distinct) return new CountDistinctAccumulator();
    const countNulls = call.args.length === 0 || call.args.every((a) => a.kind === "Literal" && a.value !== null);
    return new CountAccumulator(countNulls);
  },
};
