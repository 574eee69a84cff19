import { AnalysisError } from "../../common/errors.ts";
import { LongType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { valueAt } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import type { AggregateFunction, GroupsAccumulator } from "./aggregate-function.ts";
import { addHash, estimate, hashNumber, hashString, hashValue, precisionFor } from "./hyperloglog.ts";

/** approx_count_distinct(x[, rsd]): one HyperLogLog sketch per group, registers in one array. */
class HllAccumulator implements GroupsAccumulator {
  readonly m: number;
  regs = new Uint8Array(0);
  constructor(readonly p: number) {
    this.m = 1 << p;
  }
  resize(n: number): void {
    if (this.regs.length >= n * this.m) return;
    const next = new Uint8Array(Math.max(n, (this.regs.length / this.m) * 2, 4) * this.m);
    next.set(this.regs);
    this.regs = next;
  }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0]!;
    const { regs, m, p } = this;
    if (v.kind === "str") {
      // Hash each distinct string once per batch.
      const hashes = Uint32Array.from(v.dict, (s) => hashString(s));
      for (let i = 0; i < length; i++) {
        if (v.valid !== null && v.valid[i] === 0) continue;
        addHash(regs, slots[i]! * m, p, hashes[v.codes[i]!]!);
      }
    } else if (v.kind === "num" && v.exact === undefined) {
      for (let i = 0; i < length; i++) {
        if (v.valid !== null && v.valid[i] === 0) continue;
        addHash(regs, slots[i]! * m, p, hashNumber(v.values[i]!));
      }
    } else {
      for (let i = 0; i < length; i++) {
        const x = valueAt(v, i);
        if (x !== null) addHash(regs, slots[i]! * m, p, hashValue(x));
      }
    }
  }
  getState(slot: number): unknown { return this.regs.slice(slot * this.m, (slot + 1) * this.m); }
  setState(slot: number, state: unknown): void { this.regs.set(state as Uint8Array, slot * this.m); }
  mergeState(slot: number, state: unknown): void {
    const other = state as Uint8Array;
    const base = slot * this.m;
    for (let i = 0; i < this.m; i++) if (other[i]! > this.regs[base + i]!) this.regs[base + i] = other[i]!;
  }
  reset(slot: number): void { this.regs.fill(0, slot * this.m, (slot + 1) * this.m); }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = estimate(this.regs, slots[i]! * this.m, this.p);
    return { kind: "num", type: LongType, length: count, values, valid: null };
  }
}

function rsdOf(call: AggregateCall): number {
  const arg = call.args[1];
  if (!arg) return 0.05;
  // Spark's HyperLogLogPlusPlus.validateDoubleLiteral: a double or a decimal literal (0.05 is a DECIMAL(3,2)).
  const type = arg.kind === "Literal" ? arg.dataType : null;
  const rsd = arg.kind !== "Literal" ? NaN
    : typeof arg.value === "number" ? arg.value
    : type?.kind === "decimal" && (typeof arg.value === "bigint" || typeof arg.value === "string") ? Number(arg.value) / 10 ** type.scale
    : NaN;
  if (!(rsd > 0 && rsd < 1)) {
    throw new AnalysisError("approx_count_distinct: the relative standard deviation must be a constant between 0 and 1");
  }
  return rsd;
}

export const approxCountDistinct: AggregateFunction = {
  name: "approx_count_distinct",
  aliases: ["approxcountdistinct"],
  resolve(args) {
    if (args.length < 1 || args.length > 2) throw new AnalysisError("approx_count_distinct() takes one or two arguments");
    return { args, dataType: LongType };
  },
  createAccumulator: (call) => new HllAccumulator(precisionFor(rsdOf(call))),
};
