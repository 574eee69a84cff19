import { BooleanType, LongType } from "../../types/data-types.ts";
import type { BoolVec, Vec } from "../../columnar/vector.ts";
import { checkArity, coerceArg } from "../functions/function-args.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/** every/bool_and, some/any/bool_or and count_if over a boolean column; nulls are skipped. */

/** AND or OR of the non-null values per slot; null for a slot that saw none. */
class BoolFoldAccumulator implements GroupsAccumulator {
  seen = new Uint8Array(16);
  values = new Uint8Array(16);
  constructor(readonly isAnd: boolean) {}
  resize(n: number): void { this.seen = growTo(this.seen, n); this.values = growTo(this.values, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as BoolVec;
    for (let i = 0; i < length; i++) {
      if (v.valid !== null && v.valid[i] === 0) continue;
      this.#fold(slots[i]!, v.values[i]!);
    }
  }
  #fold(s: number, x: number): void {
    if (this.seen[s] === 0) { this.seen[s] = 1; this.values[s] = x; } else this.values[s] = this.isAnd ? this.values[s]! & x : this.values[s]! | x;
  }
  getState(s: number): unknown { return this.seen[s] === 0 ? null : this.values[s] === 1; }
  setState(s: number, state: unknown): void { this.reset(s); this.mergeState(s, state); }
  mergeState(s: number, state: unknown): void { if (state !== null) this.#fold(s, state ? 1 : 0); }
  reset(s: number): void { this.seen[s] = 0; this.values[s] = 0; }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Uint8Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      if (this.seen[s] === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; } else values[i] = this.values[s]!;
    }
    return { kind: "bool", type: BooleanType, length: count, values, valid };
  }
}

class CountIfAccumulator implements GroupsAccumulator {
  counts = new Float64Array(16);
  resize(n: number): void { this.counts = growTo(this.counts, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as BoolVec;
    for (let i = 0; i < length; i++) if ((v.valid === null || v.valid[i] === 1) && v.values[i] === 1) this.counts[slots[i]!]!++;
  }
  getState(s: number): unknown { return this.counts[s]; }
  setState(s: number, state: unknown): void { this.counts[s] = state as number; }
  mergeState(s: number, state: unknown): void { this.counts[s]! += state as number; }
  reset(s: number): void { this.counts[s] = 0; }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = this.counts[slots[i]!]!;
    return { kind: "num", type: LongType, length: count, values, valid: null };
  }
}

function boolFold(name: string, isAnd: boolean, aliases: string[]): AggregateFunction {
  return {
    name,
    aliases,
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, BooleanType)], dataType: BooleanType };
    },
    createAccumulator: () => new BoolFoldAccumulator(isAnd),
  };
}

export const booleanAggregates: AggregateFunction[] = [
  boolFold("bool_and", true, ["every"]),
  boolFold("bool_or", false, ["some", "any"]),
  {
    name: "count_if",
    resolve(args) {
      checkArity("count_if", args, 1);
      return { args: [coerceArg("count_if", args, 0, BooleanType)], dataType: LongType };
    },
    createAccumulator: () => new CountIfAccumulator(),
  },
];
