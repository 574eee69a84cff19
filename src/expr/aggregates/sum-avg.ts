import { AnalysisError } from "../../common/errors.ts";
import { DoubleType, LongType, isIntegral, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import { decimalAvgType, decimalSumType } from "../decimal-precision.ts";
import { DecimalSumAccumulator } from "./decimal-sum.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import { MAX_SAFE_LONG, bigIntOfLong, longOfBigInt, wrapLong } from "../../columnar/long-values.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { handOver } from "../../columnar/handed-over.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import type { AggregateCall, Expression } from "../expression.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

function numericArg(fn: string, args: readonly Expression[]): Expression {
  if (args.length !== 1) throw new AnalysisError(`${fn}() takes exactly one argument, got ${args.length}`);
  const t = typeOf(args[0]!);
  if (t.kind === "string") return castIfNeeded(args[0]!, DoubleType);
  if (!isNumeric(t) && t.kind !== "null") throw new AnalysisError(`cannot resolve '${fn}': argument must be numeric, but it is of type ${typeName(t)}`);
  return args[0]!;
}

/** Sum and count of non-null values per slot; `sum` returns null for groups with no non-null value. */
class SumAccumulator implements GroupsAccumulator {
  sums = new Float64Array(16);
  counts = new Float64Array(16);
  constructor(readonly resultType: DataType, readonly average: boolean) {}
  resize(n: number): void { this.sums = growTo(this.sums, n); this.counts = growTo(this.counts, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as NumVec;
    const values = v.values, valid = v.valid, sums = this.sums, counts = this.counts;
    if (valid === null) {
      for (let i = 0; i < length; i++) { const s = slots[i]!; sums[s]! += values[i]!; counts[s]!++; }
    } else {
      for (let i = 0; i < length; i++) {
        if (valid[i] === 0) continue;
        const s = slots[i]!; sums[s]! += values[i]!; counts[s]!++;
      }
    }
  }
  getState(slot: number): unknown { return [this.sums[slot], this.counts[slot]]; }
  setState(slot: number, state: unknown): void { const [s, c] = state as [number, number]; this.sums[slot] = s; this.counts[slot] = c; }
  mergeState(slot: number, state: unknown): void { const [s, c] = state as [number, number]; this.sums[slot]! += s; this.counts[slot]! += c; }
  reset(slot: number): void { this.sums[slot] = 0; this.counts[slot] = 0; }
  exportStates(slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } {
    return exportSumsAndCounts(this.sums, this.counts, slots, count);
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const { sums, counts } = states as { sums: Float64Array; counts: Float64Array };
    for (let j = 0; j < count; j++) { const s = slots[j]!; this.sums[s]! += sums[j]!; this.counts[s]! += counts[j]!; }
  }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      const c = this.counts[s]!;
      if (c === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; continue; }
      values[i] = this.average ? this.sums[s]! / c : this.sums[s]!;
    }
    return handOver({ kind: "num", type: this.resultType, length: count, values, valid });
  }
}

/**
 * Sum of ints or longs as a long, exactly: each slot adds in a double while its sum stays
 * within ±(2^53−1), where doubles are exact; a slot that would leave that range moves to a
 * bigint (its double becomes NaN, so the one range test of the fast loop sends it to the
 * slow path), wrapping around at 64 bits as Spark's non-ANSI sum of longs.
 */
class LongSumAccumulator implements GroupsAccumulator {
  sums = new Float64Array(16);
  counts = new Float64Array(16);
  /** The bigint sum of each slot whose double is NaN. */
  wide = new Map<number, bigint>();
  constructor(readonly resultType: DataType) {}
  resize(n: number): void { this.sums = growTo(this.sums, n); this.counts = growTo(this.counts, n); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as NumVec;
    const values = v.values, valid = v.valid, sums = this.sums, counts = this.counts;
    if (v.exact !== undefined) {
      for (let i = 0; i < length; i++) if (valid === null || valid[i] !== 0) { counts[slots[i]!]!++; this.#addWide(slots[i]!, v.exact[i]!); }
      return;
    }
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!;
      const t = sums[s]! + values[i]!;
      counts[s]!++;
      if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) sums[s] = t;
      else this.#addWide(s, bigIntOfLong(values[i]!));
    }
  }
  #addWide(s: number, x: bigint): void {
    const cur = this.wide.get(s) ?? BigInt(this.sums[s]!);
    const t = wrapLong(cur + x);
    if (t >= -9007199254740991n && t <= 9007199254740991n && !this.wide.has(s)) { this.sums[s] = Number(t); return; }
    this.wide.set(s, t);
    this.sums[s] = Number.NaN;
  }
  #sum(slot: number): number | bigint { const w = this.wide.get(slot); return w === undefined ? this.sums[slot]! : longOfBigInt(w); }
  getState(slot: number): unknown { return [this.#sum(slot), this.counts[slot]]; }
  setState(slot: number, state: unknown): void { this.reset(slot); this.mergeState(slot, state); }
  mergeState(slot: number, state: unknown): void {
    const [s, c] = state as [number | bigint, number];
    this.counts[slot]! += c;
    const t = this.sums[slot]! + (typeof s === "bigint" ? Number.NaN : s);
    if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) this.sums[slot] = t;
    else this.#addWide(slot, bigIntOfLong(s));
  }
  reset(slot: number): void { this.sums[slot] = 0; this.counts[slot] = 0; this.wide.delete(slot); }
  /** Only while every sum is a double (no slot beyond ±2^53): the common case. */
  exportStates(slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } | undefined {
    return this.wide.size === 0 ? exportSumsAndCounts(this.sums, this.counts, slots, count) : undefined;
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const { sums, counts } = states as { sums: Float64Array; counts: Float64Array };
    for (let j = 0; j < count; j++) {
      const s = slots[j]!;
      this.counts[s]! += counts[j]!;
      const t = this.sums[s]! + sums[j]!;
      if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) this.sums[s] = t;
      else this.#addWide(s, bigIntOfLong(sums[j]!));
    }
  }
  evaluate(slots: Int32Array, count: number): Vec {
    if (this.wide.size === 0) {
      // Every sum a double: the vector straight from the arrays, nulls where no value was seen.
      const values = new Float64Array(count);
      let valid: Uint8Array | null = null;
      for (let i = 0; i < count; i++) {
        const s = slots[i]!;
        if (this.counts[s] === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; } else values[i] = this.sums[s]!;
      }
      return handOver({ kind: "num", type: this.resultType, length: count, values, valid });
    }
    const b = new VecBuilder(this.resultType, count);
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      if (this.counts[s] === 0) b.appendNull(); else if (this.wide.size === 0) b.appendNumber(this.sums[s]!); else b.append(this.#sum(s));
    }
    return b.finish();
  }
}

function exportSumsAndCounts(sums: Float64Array, counts: Float64Array, slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } {
  const s = new Float64Array(count), c = new Float64Array(count);
  for (let j = 0; j < count; j++) { s[j] = sums[slots[j]!]!; c[j] = counts[slots[j]!]!; }
  return { sums: s, counts: c };
}

export const sum: AggregateFunction = {
  name: "sum",
  resolve(args) {
    const arg = numericArg("sum", args);
    const t = typeOf(arg);
    return { args: [arg], dataType: isIntegral(t) ? LongType : t.kind === "decimal" ? decimalSumType(t) : DoubleType };
  },
  createAccumulator: (call: AggregateCall) => {
    const type = call.dataType!;
    const input = typeOf(call.args[0]!);
    if (type.kind === "decimal" && input.kind === "decimal") return new DecimalSumAccumulator(input, type, type, false);
    return type.kind === "long" ? new LongSumAccumulator(type) : new SumAccumulator(type, false);
  },
};

export const avg: AggregateFunction = {
  name: "avg",
  aliases: ["mean"],
  resolve: (args) => {
    const arg = numericArg("avg", args);
    const t = typeOf(arg);
    return { args: [arg], dataType: t.kind === "decimal" ? decimalAvgType(t) : DoubleType };
  },
  createAccumulator: (call: AggregateCall) => {
    const type = call.dataType!;
    const input = typeOf(call.args[0]!);
    if (type.kind === "decimal" && input.kind === "decimal") return new DecimalSumAccumulator(input, type, decimalSumType(input), true);
    return new SumAccumulator(type, true);
  },
};
