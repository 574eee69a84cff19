import { AnalysisError, StateError } from "../../common/errors.ts";
import { LongType, NullType, type DataType } from "../../types/data-types.ts";
import type { Vec } from "../../columnar/vector.ts";
import { valueAt } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import type { AggregateFunction, GroupsAccumulator } from "./aggregate-function.ts";
import { XXH64_OUT } from "../functions/xxhash64-words.ts";
import { addHash, estimate, precisionFor, sparkHash } from "./hyperloglog.ts";

/**
 * A stored sketch ends with this tag after its registers. Sketches written before rivulet hashed as
 * Spark does (32-bit MurmurHash3, no tag) cannot be merged with these: same register count, other
 * hash, so a merge would count every value seen on both sides of an upgrade twice.
 */
const XXH64_SKETCH = 2;

/** approx_count_distinct(x[, rsd]): one HyperLogLog++ sketch per group, registers in one array. */
class HllAccumulator implements GroupsAccumulator {
  readonly m: number;
  regs = new Uint8Array(0);
  constructor(readonly p: number, readonly type: DataType) {
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
    const { regs, m, p, type } = this;
    if (v.kind === "str") {
      // Hash each distinct string of the batch once.
      const his = new Uint32Array(v.dict.length);
      const los = new Uint32Array(v.dict.length);
      const hashed = new Uint8Array(v.dict.length);
      for (let i = 0; i < length; i++) {
        if (v.valid !== null && v.valid[i] === 0) continue;
        const code = v.codes[i]!;
        if (hashed[code] === 0) {
          sparkHash(v.dict[code], type);
          his[code] = XXH64_OUT[0]!;
          los[code] = XXH64_OUT[1]!;
          hashed[code] = 1;
        }
        addHash(regs, slots[i]! * m, p, his[code]!, los[code]!);
      }
      return;
    }
    for (let i = 0; i < length; i++) {
      const x = valueAt(v, i);
      if (x === null) continue;
      sparkHash(x, type);
      addHash(regs, slots[i]! * m, p, XXH64_OUT[0]!, XXH64_OUT[1]!);
    }
  }
  getState(slot: number): unknown {
    const state = new Uint8Array(this.m + 1);
    state.set(this.regs.subarray(slot * this.m, (slot + 1) * this.m));
    state[this.m] = XXH64_SKETCH;
    return state;
  }
  #registersOf(state: unknown): Uint8Array {
    const bytes = state as Uint8Array;
    if (bytes.length === this.m + 1 && bytes[this.m] === XXH64_SKETCH) return bytes.subarray(0, this.m);
    throw new StateError(
      "approx_count_distinct: the checkpoint holds a sketch written by a rivulet older than its Spark-compatible hash (XXH64); " +
      "it cannot be merged with new values without counting some twice. Start the query from a new checkpoint location.",
    );
  }
  setState(slot: number, state: unknown): void { this.regs.set(this.#registersOf(state), slot * this.m); }
  mergeState(slot: number, state: unknown): void {
    const other = this.#registersOf(state);
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
  createAccumulator: (call) => new HllAccumulator(precisionFor(rsdOf(call)), call.args[0]!.dataType ?? NullType),
};
