import { keyString } from "../../columnar/key-string.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { valueAt, type Vec } from "../../columnar/vector.ts";
import type { DataType } from "../../types/data-types.ts";
import type { AggregateCall } from "../expression.ts";
import type { GroupsAccumulator } from "./aggregate-function.ts";

/**
 * `f(DISTINCT x, …)` for any aggregate f: each slot keeps its distinct argument tuples
 * (its state: the tuples, so partial states merge by union), and the answer is f over them,
 * folded into a fresh accumulator when evaluated.
 */
export class DistinctAccumulator implements GroupsAccumulator {
  tuples: (Map<string, unknown[]> | undefined)[] = [];
  readonly types: readonly DataType[];
  constructor(readonly call: AggregateCall, readonly create: () => GroupsAccumulator) {
    this.types = call.args.map((a) => a.dataType!);
  }
  resize(n: number): void { while (this.tuples.length < n) this.tuples.push(undefined); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    for (let i = 0; i < length; i++) {
      const tuple = args.map((a) => valueAt(a, i));
      const s = slots[i]!;
      const key = keyString(tuple);
      const m = (this.tuples[s] ??= new Map());
      if (!m.has(key)) m.set(key, tuple);
    }
  }
  getState(slot: number): unknown { return [...(this.tuples[slot]?.values() ?? [])]; }
  setState(slot: number, state: unknown): void { this.tuples[slot] = undefined; this.mergeState(slot, state); }
  mergeState(slot: number, state: unknown): void {
    for (const tuple of state as unknown[][]) {
      const m = (this.tuples[slot] ??= new Map());
      const key = keyString(tuple);
      if (!m.has(key)) m.set(key, tuple);
    }
  }
  reset(slot: number): void { this.tuples[slot] = undefined; }
  evaluate(slots: Int32Array, count: number): Vec {
    const inner = this.create();
    inner.resize(count);
    const builders = this.types.map((t) => new VecBuilder(t, 0));
    const rowSlots: number[] = [];
    for (let i = 0; i < count; i++) {
      for (const tuple of this.tuples[slots[i]!]?.values() ?? []) {
        tuple.forEach((v, k) => builders[k]!.append(v));
        rowSlots.push(i);
      }
    }
    inner.update(builders.map((b) => b.finish()), Int32Array.from(rowSlots), rowSlots.length);
    return inner.evaluate(Int32Array.from({ length: count }, (_, i) => i), count);
  }
}
