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
import type { AggregateFunction, GroupsAccumulator } from "./aggregate-function.ts";
import { ROW_PAGE_MASK, ROW_PAGE_SHIFT, SlotRows } from "./slot-rows.ts";

function numericArg(fn: string, args: readonly Expression[]): Expression {
  if (args.length !== 1) throw new AnalysisError(`${fn}() takes exactly one argument, got ${args.length}`);
  const t = typeOf(args[0]!);
  if (t.kind === "string") return castIfNeeded(args[0]!, DoubleType);
  if (!isNumeric(t) && t.kind !== "null") throw new AnalysisError(`cannot resolve '${fn}': argument must be numeric, but it is of type ${typeName(t)}`);
  return args[0]!;
}

/**
 * A slot's sum and count of non-null values: two words of a slot row (slot-rows.ts), the
 * sum at `at`, the count after it.
 */
abstract class SumWords {
  protected rows = new SlotRows();
  protected at = this.rows.claim(2);
  shareRows(rows: SlotRows): void { this.rows = rows; this.at = rows.claim(2); }
  resize(n: number): void { this.rows.ensure(n); }
  protected sumOf(slot: number): number { return this.rows.get(slot, this.at); }
  protected countOf(slot: number): number { return this.rows.get(slot, this.at + 1); }
  protected setSum(slot: number, sum: number): void { this.rows.set(slot, this.at, sum); }
  protected setCount(slot: number, count: number): void { this.rows.set(slot, this.at + 1, count); }

  /** The sums and counts of `slots` as two columns (states for another thread, or an output's input). */
  exportSumsAndCounts(slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } {
    const pages = this.rows.pages, width = this.rows.width, at = this.at;
    const sums = new Float64Array(count), counts = new Float64Array(count);
    for (let j = 0; j < count; j++) {
      const s = slots[j]!, page = pages[s >>> ROW_PAGE_SHIFT]!, i = (s & ROW_PAGE_MASK) * width + at;
      sums[j] = page[i]!;
      counts[j] = page[i + 1]!;
    }
    return { sums, counts };
  }

  /** `slots`' sums as a vector, null where the count is 0 (`average`: each sum divided by its count). */
  protected evaluateSums(type: DataType, slots: Int32Array, count: number, average: boolean): Vec {
    const { sums, counts } = this.exportSumsAndCounts(slots, count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const c = counts[i]!;
      if (c === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; sums[i] = 0; continue; }
      if (average) sums[i] = sums[i]! / c;
    }
    return handOver({ kind: "num", type, length: count, values: sums, valid });
  }
}

/** Sum and count of non-null values per slot; `sum` returns null for groups with no non-null value. */
class SumAccumulator extends SumWords implements GroupsAccumulator {
  constructor(readonly resultType: DataType, readonly average: boolean) { super(); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as NumVec;
    const values = v.values, valid = v.valid, pages = this.rows.pages, width = this.rows.width, at = this.at;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!, page = pages[s >>> ROW_PAGE_SHIFT]!, k = (s & ROW_PAGE_MASK) * width + at;
      page[k]! += values[i]!;
      page[k + 1]!++;
    }
  }
  getState(slot: number): unknown { return [this.sumOf(slot), this.countOf(slot)]; }
  setState(slot: number, state: unknown): void { const [s, c] = state as [number, number]; this.setSum(slot, s); this.setCount(slot, c); }
  mergeState(slot: number, state: unknown): void {
    const [s, c] = state as [number, number];
    this.setSum(slot, this.sumOf(slot) + s);
    this.setCount(slot, this.countOf(slot) + c);
  }
  reset(slot: number): void { this.setSum(slot, 0); this.setCount(slot, 0); }
  exportStates(slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } {
    return this.exportSumsAndCounts(slots, count);
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const { sums, counts } = states as { sums: Float64Array; counts: Float64Array };
    const pages = this.rows.pages, width = this.rows.width, at = this.at;
    for (let j = 0; j < count; j++) {
      const s = slots[j]!, page = pages[s >>> ROW_PAGE_SHIFT]!, k = (s & ROW_PAGE_MASK) * width + at;
      page[k]! += sums[j]!;
      page[k + 1]! += counts[j]!;
    }
  }
  evaluate(slots: Int32Array, count: number): Vec {
    return this.evaluateSums(this.resultType, slots, count, this.average);
  }
}

/**
 * Sum of ints or longs as a long, exactly: each slot adds in a double while its sum stays
 * within ±(2^53−1), where doubles are exact; a slot that would leave that range moves to a
 * bigint (its double becomes NaN, so the one range test of the fast loop sends it to the
 * slow path), wrapping around at 64 bits as Spark's non-ANSI sum of longs.
 */
class LongSumAccumulator extends SumWords implements GroupsAccumulator {
  /** The bigint sum of each slot whose double is NaN. */
  wide = new Map<number, bigint>();
  constructor(readonly resultType: DataType) { super(); }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as NumVec;
    const values = v.values, valid = v.valid;
    if (v.exact !== undefined) {
      for (let i = 0; i < length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const s = slots[i]!;
        this.setCount(s, this.countOf(s) + 1);
        this.#addWide(s, v.exact[i]!);
      }
      return;
    }
    const pages = this.rows.pages, width = this.rows.width, at = this.at;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!, page = pages[s >>> ROW_PAGE_SHIFT]!, k = (s & ROW_PAGE_MASK) * width + at;
      const t = page[k]! + values[i]!;
      page[k + 1]!++;
      if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) page[k] = t;
      else this.#addWide(s, bigIntOfLong(values[i]!));
    }
  }
  #addWide(s: number, x: bigint): void {
    const cur = this.wide.get(s) ?? BigInt(this.sumOf(s));
    const t = wrapLong(cur + x);
    if (t >= -9007199254740991n && t <= 9007199254740991n && !this.wide.has(s)) { this.setSum(s, Number(t)); return; }
    this.wide.set(s, t);
    this.setSum(s, Number.NaN);
  }
  #sum(slot: number): number | bigint { const w = this.wide.get(slot); return w === undefined ? this.sumOf(slot) : longOfBigInt(w); }
  getState(slot: number): unknown { return [this.#sum(slot), this.countOf(slot)]; }
  setState(slot: number, state: unknown): void { this.reset(slot); this.mergeState(slot, state); }
  mergeState(slot: number, state: unknown): void {
    const [s, c] = state as [number | bigint, number];
    this.setCount(slot, this.countOf(slot) + c);
    const t = this.sumOf(slot) + (typeof s === "bigint" ? Number.NaN : s);
    if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) this.setSum(slot, t);
    else this.#addWide(slot, bigIntOfLong(s));
  }
  reset(slot: number): void { this.setSum(slot, 0); this.setCount(slot, 0); this.wide.delete(slot); }
  /** Only while every sum is a double (no slot beyond ±2^53): the common case. */
  exportStates(slots: Int32Array, count: number): { sums: Float64Array; counts: Float64Array } | undefined {
    return this.wide.size === 0 ? this.exportSumsAndCounts(slots, count) : undefined;
  }
  mergeStates(slots: Int32Array, count: number, states: unknown): void {
    const { sums, counts } = states as { sums: Float64Array; counts: Float64Array };
    const pages = this.rows.pages, width = this.rows.width, at = this.at;
    for (let j = 0; j < count; j++) {
      const s = slots[j]!, page = pages[s >>> ROW_PAGE_SHIFT]!, k = (s & ROW_PAGE_MASK) * width + at;
      page[k + 1]! += counts[j]!;
      const t = page[k]! + sums[j]!;
      if (t <= MAX_SAFE_LONG && t >= -MAX_SAFE_LONG) page[k] = t;
      else this.#addWide(s, bigIntOfLong(sums[j]!));
    }
  }
  evaluate(slots: Int32Array, count: number): Vec {
    // Every sum a double: the vector straight from the rows, nulls where no value was seen.
    if (this.wide.size === 0) return this.evaluateSums(this.resultType, slots, count, false);
    const b = new VecBuilder(this.resultType, count);
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      if (this.countOf(s) === 0) b.appendNull(); else b.append(this.#sum(s));
    }
    return b.finish();
  }
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
