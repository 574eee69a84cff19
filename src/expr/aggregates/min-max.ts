import { AnalysisError } from "../../common/errors.ts";
import { typeName } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { valueAt } from "../../columnar/vector.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { typeOf } from "../coercion.ts";
import type { AggregateCall } from "../expression.ts";
import { compareValues } from "../functions/comparison.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/** `x > y` with Spark's NaN ordering (NaN above every number, equal to itself); the NaN test runs only when `>` fails. */
function greater(x: number | bigint, y: number | bigint): boolean {
  return x > y || (x !== x && y === y);
}

function less(x: number | bigint, y: number | bigint): boolean {
  return x < y || (y !== y && x === x);
}

/**
 * Numeric min/max in a Float64Array; `seen` marks groups that had a non-null value. A
 * long beyond ±2^53 is kept exactly in `wide` (its slot's double is then approximate).
 */
class NumericExtremeAccumulator implements GroupsAccumulator {
  values = new Float64Array(16);
  seen = new Uint8Array(16);
  wide = new Map<number, bigint>();
  readonly floating: boolean;
  constructor(readonly call: AggregateCall, readonly isMax: boolean) {
    this.floating = call.dataType!.kind === "double" || call.dataType!.kind === "float";
  }
  resize(n: number): void { this.values = growTo(this.values, n); this.seen = growTo(this.seen, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0]!;
    if (v.kind !== "num" || v.exact !== undefined || this.wide.size > 0) return this.#generic(v, slots, length);
    const src = v.values, valid = v.valid, values = this.values, seen = this.seen;
    if (this.floating) {
      for (let i = 0; i < length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const s = slots[i]!, x = src[i]!;
        if (seen[s] === 0 || (this.isMax ? greater(x, values[s]!) : less(x, values[s]!))) { values[s] = x; seen[s] = 1; }
      }
      return;
    }
    // Integers, dates, timestamps: no NaN, plain comparisons.
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!, x = src[i]!;
      if (seen[s] === 0 || (this.isMax ? x > values[s]! : x < values[s]!)) { values[s] = x; seen[s] = 1; }
    }
  }
  #generic(v: Vec, slots: Int32Array, length: number): void {
    for (let i = 0; i < length; i++) {
      const x = valueAt(v, i);
      if (x !== null) this.mergeState(slots[i]!, x);
    }
  }
  getState(slot: number): unknown { return this.seen[slot] ? this.wide.get(slot) ?? this.values[slot] : null; }
  setState(slot: number, state: unknown): void { this.reset(slot); if (state !== null) this.mergeState(slot, state); }
  mergeState(slot: number, state: unknown): void {
    if (state === null) return;
    const x = state as number | bigint;
    const cur = this.wide.get(slot) ?? this.values[slot]!;
    if (this.seen[slot] === 0 || (this.isMax ? greater(x, cur) : less(x, cur))) {
      this.seen[slot] = 1;
      if (typeof x === "bigint") { this.values[slot] = Number(x); this.wide.set(slot, x); } else { this.values[slot] = x; this.wide.delete(slot); }
    }
  }
  reset(slot: number): void { this.seen[slot] = 0; this.wide.delete(slot); }
  evaluate(slots: Int32Array, count: number): Vec {
    const type = this.call.dataType!;
    if (this.wide.size > 0) {
      const b = new VecBuilder(type, count);
      for (let i = 0; i < count; i++) b.append(this.getState(slots[i]!));
      return b.finish();
    }
    const values = type.kind === "int" || type.kind === "date" || type.kind === "byte" || type.kind === "short" ? new Int32Array(count) : new Float64Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      if (this.seen[s] === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; } else values[i] = this.values[s]!;
    }
    return { kind: "num", type, length: count, values, valid };
  }
}

/** min/max of strings and other comparable values, kept as JS values per slot. */
class ValueExtremeAccumulator implements GroupsAccumulator {
  values: unknown[] = [];
  constructor(readonly call: AggregateCall, readonly isMax: boolean) {}
  resize(n: number): void { while (this.values.length < n) this.values.push(null); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0]!;
    if (v.kind === "str") {
      for (let i = 0; i < length; i++) {
        if (v.valid !== null && v.valid[i] === 0) continue;
        this.mergeState(slots[i]!, v.dict[v.codes[i]!]);
      }
      return;
    }
    for (let i = 0; i < length; i++) {
      const x = valueAt(v, i);
      if (x !== null) this.mergeState(slots[i]!, x);
    }
  }
  getState(slot: number): unknown { return this.values[slot]; }
  setState(slot: number, state: unknown): void { this.values[slot] = state; }
  mergeState(slot: number, state: unknown): void {
    if (state === null) return;
    const cur = this.values[slot];
    if (cur === null || cur === undefined) { this.values[slot] = state; return; }
    const c = compareValues(state, cur);
    if (this.isMax ? c > 0 : c < 0) this.values[slot] = state;
  }
  reset(slot: number): void { this.values[slot] = null; }
  evaluate(slots: Int32Array, count: number): Vec {
    const b = new VecBuilder(this.call.dataType!, count);
    for (let i = 0; i < count; i++) b.append(this.values[slots[i]!]);
    return b.finish();
  }
}

function extreme(name: "min" | "max"): AggregateFunction {
  return {
    name,
    resolve(args) {
      if (args.length !== 1) throw new AnalysisError(`${name}() takes exactly one argument, got ${args.length}`);
      const t = typeOf(args[0]!);
      if (t.kind === "map") throw new AnalysisError(`cannot resolve '${name}': ${typeName(t)} values cannot be ordered`);
      return { args, dataType: t };
    },
    createAccumulator(call) {
      const k = call.dataType!.kind;
      // Decimals (bigints) are compared as values.
      const numeric = k === "byte" || k === "short" || k === "int" || k === "long" || k === "float" || k === "double" || k === "timestamp" || k === "date";
      return numeric ? new NumericExtremeAccumulator(call, name === "max") : new ValueExtremeAccumulator(call, name === "max");
    },
  };
}

export const min = extreme("min");
export const max = extreme("max");
