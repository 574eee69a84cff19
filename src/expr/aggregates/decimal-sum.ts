import type { DecimalType } from "../../types/data-types.ts";
import { DecimalType as Decimal } from "../../types/data-types.ts";
import type { ObjVec, Vec } from "../../columnar/vector.ts";
import { divideHalfUp, fitsPrecision, pow10, rescale } from "../../columnar/decimal-values.ts";
import { decimalResultType } from "../decimal-precision.ts";
import { objVec } from "../vec-ops.ts";
import { growTo, type GroupsAccumulator } from "./aggregate-function.ts";

/**
 * sum and avg of decimals, exactly (bigint sums of unscaled values; Spark's Sum and Average
 * for DecimalType): sum is DECIMAL(p + 10, s); avg divides that sum by the count as
 * DECIMAL(20,0) at the scale of Spark's decimal division, then casts to DECIMAL(p + 4, s + 4),
 * each step HALF_UP. A sum beyond its precision is NULL (non-ANSI). State per slot:
 * [sum (unscaled bigint at the input's scale), count].
 */
/** Input precision whose unscaled values (< 10^15 < 2^50) sum exactly in a double up to PENDING_LIMIT. */
const SMALL_PRECISION = 15;
const PENDING_LIMIT = 2 ** 52;

export class DecimalSumAccumulator implements GroupsAccumulator {
  sums: bigint[] = [];
  counts = new Float64Array(16);
  /** Per slot, not yet in `sums`: a double sum of unscaled values of a DECIMAL(p ≤ 15, s), exact below 2^53. */
  pending = new Float64Array(16);

  constructor(readonly inputType: DecimalType, readonly resultType: DecimalType, readonly sumType: DecimalType, readonly average: boolean) {}

  resize(n: number): void {
    this.counts = growTo(this.counts, n);
    this.pending = growTo(this.pending, n);
    while (this.sums.length < n) this.sums.push(0n);
  }

  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as ObjVec;
    const values = v.values as readonly (bigint | null)[], valid = v.valid, sums = this.sums, counts = this.counts;
    if (this.inputType.precision <= SMALL_PRECISION) {
      // Unscaled values under 10^15 add exactly as doubles; a slot's double is folded into
      // its bigint sum before it could pass 2^53, so no bigint addition runs per row.
      const pending = this.pending;
      for (let i = 0; i < length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const s = slots[i]!;
        const p = pending[s]! + Number(values[i]!);
        if (p > PENDING_LIMIT || p < -PENDING_LIMIT) { sums[s] = sums[s]! + BigInt(p); pending[s] = 0; } else pending[s] = p;
        counts[s]!++;
      }
      return;
    }
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!;
      sums[s] = sums[s]! + values[i]!;
      counts[s]!++;
    }
  }

  /** The slot's exact sum, its pending double folded in. */
  #sum(slot: number): bigint {
    const p = this.pending[slot]!;
    if (p !== 0) { this.sums[slot] = this.sums[slot]! + BigInt(p); this.pending[slot] = 0; }
    return this.sums[slot]!;
  }

  getState(slot: number): unknown { return [this.#sum(slot), this.counts[slot]]; }
  setState(slot: number, state: unknown): void { const [s, c] = state as [bigint, number]; this.sums[slot] = s; this.pending[slot] = 0; this.counts[slot] = c; }
  mergeState(slot: number, state: unknown): void { const [s, c] = state as [bigint, number]; this.sums[slot] = this.#sum(slot) + s; this.counts[slot]! += c; }
  reset(slot: number): void { this.sums[slot] = 0n; this.pending[slot] = 0; this.counts[slot] = 0; }

  evaluate(slots: Int32Array, count: number): Vec {
    const out = new Array<bigint | null>(count).fill(null);
    let valid: Uint8Array | null = null;
    const inScale = this.inputType.scale;
    const { precision, scale } = this.resultType;
    // avg: sum / CAST(count AS DECIMAL(20,0)) at the division's scale, then the result's.
    const divide = this.average ? decimalResultType("divide", this.sumType, Decimal(20, 0)) : null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      const c = this.counts[s]!;
      let r: bigint | null = null;
      const sum = this.#sum(s);
      if (c > 0 && fitsPrecision(sum, this.sumType.precision)) {
        r = divide === null ? sum : rescale(divideHalfUp(sum * pow10(divide.scale - inScale), BigInt(c)), divide.scale, scale);
      }
      if (r !== null && fitsPrecision(r, precision)) out[i] = r;
      else { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; }
    }
    return objVec(this.resultType, out, valid);
  }
}
