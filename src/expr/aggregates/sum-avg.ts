import { AnalysisError } from "../../common/errors.ts";
import { DoubleType, LongType, isNumeric, typeName, type DataType } from "../../types/data-types.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
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
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      const c = this.counts[s]!;
      if (c === 0) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; continue; }
      values[i] = this.average ? this.sums[s]! / c : this.sums[s]!;
    }
    return { kind: "num", type: this.resultType, length: count, values, valid };
  }
}

export const sum: AggregateFunction = {
  name: "sum",
  resolve(args) {
    const arg = numericArg("sum", args);
    const t = typeOf(arg);
    return { args: [arg], dataType: t.kind === "int" || t.kind === "long" ? LongType : DoubleType };
  },
  createAccumulator: (call: AggregateCall) => new SumAccumulator(call.dataType!, false),
};

export const avg: AggregateFunction = {
  name: "avg",
  aliases: ["mean"],
  resolve: (args) => ({ args: [numericArg("avg", args)], dataType: DoubleType }),
  createAccumulator: (call: AggregateCall) => new SumAccumulator(call.dataType!, true),
};
