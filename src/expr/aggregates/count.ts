import { keyString } from "../../columnar/key-string.ts";
import type { Vec } from "../../columnar/vector.ts";
import { handOver } from "../../columnar/handed-over.ts";
import { LongType } from "../../types/data-types.ts";
import { valueAt } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/** count(*) / count(x): rows, or rows where every argument is non-null. */
class CountAccumulator implements GroupsAccumulator {
  counts = new Float64Array(16);
  constructor(readonly countNulls: boolean) {}
  resize(n: number): void { this.counts = growTo(this.counts, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const counts = this.counts;
    if (this.countNulls || args.every((a) => a.valid === null)) {
      for (let i = 0; i < length; i++) counts[slots[i]!]!++;
      return;
    }
    for (let i = 0; i < length; i++) {
      let ok = true;
      for (const a of args) if (a.valid !== null && a.valid[i] === 0) { ok = false; break; }
      if (ok) counts[slots[i]!]!++;
    }
  }
  getState(slot: number): unknown { return this.counts[slot]; }
  setState(slot: number, state: unknown): void { this.counts[slot] = state as number; }
  mergeState(slot: number, state: unknown): void { this.counts[slot]! += state as number; }
  reset(slot: number): void { this.counts[slot] = 0; }
  exportStates(slots: Int32Array, count: number): Float64Array {
    const out = new Float64Array(count);
    for (let j = 0; j < count; j++) out[j] = this.counts[slots[j]!]!;
    return out;
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const counts = this.counts, add = states as Float64Array;
    for (let j = 0; j < count; j++) counts[slots[j]!]! += add[j]!;
  }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = this.counts[slots[i]!]!;
    return handOver({ kind: "num", type: LongType, length: count, values, valid: null });
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
