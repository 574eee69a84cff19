import { DoubleType } from "../../types/data-types.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import { checkArity, coerceArg } from "../functions/function-args.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/**
 * Central moments (Spark's CentralMomentAgg): count, mean and the sums of squared, cubed
 * and fourth-power deviations per slot, updated one value at a time and merged pairwise
 * with Spark's formulas. A statistic that would divide by zero is null, as in
 * Spark 3.5 (spark.sql.legacy.statisticalAggregate=false).
 */
class MomentAccumulator implements GroupsAccumulator {
  n = new Float64Array(16);
  mean = new Float64Array(16);
  m2 = new Float64Array(16);
  m3 = new Float64Array(16);
  m4 = new Float64Array(16);
  constructor(readonly result: (n: number, m2: number, m3: number, m4: number) => number | null) {}
  resize(k: number): void {
    this.n = growTo(this.n, k); this.mean = growTo(this.mean, k); this.m2 = growTo(this.m2, k); this.m3 = growTo(this.m3, k); this.m4 = growTo(this.m4, k);
  }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const v = args[0] as NumVec;
    const xs = v.values, valid = v.valid;
    const N = this.n, MEAN = this.mean, M2 = this.m2, M3 = this.m3, M4 = this.m4;
    for (let i = 0; i < length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const s = slots[i]!;
      // Spark's CentralMomentAgg update, term for term (so that doubles round as Spark's do).
      const n = N[s]! + 1, delta = xs[i]! - MEAN[s]!, deltaN = delta / n;
      const m2 = M2[s]! + delta * (delta - deltaN);
      const delta2 = delta * delta, deltaN2 = deltaN * deltaN;
      const m3 = M3[s]! - 3 * deltaN * m2 + delta * (delta2 - deltaN2);
      M4[s] = M4[s]! - 4 * deltaN * m3 - 6 * deltaN2 * m2 + delta * (delta * delta2 - deltaN * deltaN2);
      M3[s] = m3;
      M2[s] = m2;
      MEAN[s]! += deltaN;
      N[s] = n;
    }
  }
  getState(s: number): unknown { return [this.n[s], this.mean[s], this.m2[s], this.m3[s], this.m4[s]]; }
  setState(s: number, state: unknown): void { this.reset(s); this.mergeState(s, state); }
  mergeState(s: number, state: unknown): void {
    const [nb, mb, m2b, m3b, m4b] = state as number[];
    if (nb === 0) return;
    const na = this.n[s]!;
    if (na === 0) { this.n[s] = nb!; this.mean[s] = mb!; this.m2[s] = m2b!; this.m3[s] = m3b!; this.m4[s] = m4b!; return; }
    const ma = this.mean[s]!, m2a = this.m2[s]!, m3a = this.m3[s]!, m4a = this.m4[s]!;
    // Spark's CentralMomentAgg merge (Chan et al.), term for term.
    const n = na + nb!, delta = mb! - ma, deltaN = delta / n;
    this.mean[s] = ma + deltaN * nb!;
    this.m2[s] = m2a + m2b! + delta * deltaN * na * nb!;
    this.m3[s] = m3a + m3b! + deltaN * deltaN * delta * na * nb! * (na - nb!) + 3 * deltaN * (na * m2b! - nb! * m2a);
    this.m4[s] = m4a + m4b! + deltaN * deltaN * deltaN * delta * na * nb! * (na * na - na * nb! + nb! * nb!)
      + 6 * deltaN * deltaN * (na * na * m2b! + nb! * nb! * m2a) + 4 * deltaN * (na * m3b! - nb! * m3a);
    this.n[s] = n;
  }
  reset(s: number): void { this.n[s] = 0; this.mean[s] = 0; this.m2[s] = 0; this.m3[s] = 0; this.m4[s] = 0; }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      const r = this.result(this.n[s]!, this.m2[s]!, this.m3[s]!, this.m4[s]!);
      if (r === null) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; } else values[i] = r;
    }
    return { kind: "num", type: DoubleType, length: count, values, valid };
  }
}

function moment(name: string, result: (n: number, m2: number, m3: number, m4: number) => number | null, aliases?: string[]): AggregateFunction {
  return {
    name,
    ...(aliases ? { aliases } : {}),
    resolve(args) {
      checkArity(name, args, 1);
      return { args: [coerceArg(name, args, 0, DoubleType)], dataType: DoubleType };
    },
    createAccumulator: (_call: AggregateCall) => new MomentAccumulator(result),
  };
}

const varSamp = (n: number, m2: number): number | null => (n <= 1 ? null : m2 / (n - 1));
const varPop = (n: number, m2: number): number | null => (n === 0 ? null : m2 / n);

export const momentAggregates: AggregateFunction[] = [
  moment("stddev_samp", (n, m2) => { const v = varSamp(n, m2); return v === null ? null : Math.sqrt(v); }, ["stddev", "std"]),
  moment("stddev_pop", (n, m2) => { const v = varPop(n, m2); return v === null ? null : Math.sqrt(v); }),
  moment("var_samp", varSamp, ["variance"]),
  moment("var_pop", varPop),
  moment("skewness", (n, m2, m3) => (n === 0 || m2 === 0 ? null : (Math.sqrt(n) * m3) / Math.sqrt(m2 * m2 * m2))),
  moment("kurtosis", (n, m2, _m3, m4) => (n === 0 || m2 === 0 ? null : (n * m4) / (m2 * m2) - 3)),
];
