import { DoubleType } from "../../types/data-types.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import type { AggregateCall } from "../expression.ts";
import { checkArity, coerceArg } from "../functions/function-args.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/**
 * Central moments (Spark's CentralMomentAgg): count, mean and the sums of squared, cubed
 * and fourth-power deviations per slot, updated one value at a time (Welford/Terriberry)
 * and merged pairwise (Chan et al.). A statistic that would divide by zero is null, as in
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
      const n1 = N[s]!, n = n1 + 1;
      const delta = xs[i]! - MEAN[s]!, dn = delta / n, dn2 = dn * dn, term1 = delta * dn * n1;
      MEAN[s]! += dn;
      M4[s]! += term1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * M2[s]! - 4 * dn * M3[s]!;
      M3[s]! += term1 * dn * (n - 2) - 3 * dn * M2[s]!;
      M2[s]! += term1;
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
    const n = na + nb!, d = mb! - ma, d2 = d * d;
    this.mean[s] = ma + (d * nb!) / n;
    this.m2[s] = m2a + m2b! + (d2 * na * nb!) / n;
    this.m3[s] = m3a + m3b! + (d2 * d * na * nb! * (na - nb!)) / (n * n) + (3 * d * (na * m2b! - nb! * m2a)) / n;
    this.m4[s] = m4a + m4b! + (d2 * d2 * na * nb! * (na * na - na * nb! + nb! * nb!)) / (n * n * n)
      + (6 * d2 * (na * na * m2b! + nb! * nb! * m2a)) / (n * n) + (4 * d * (na * m3b! - nb! * m3a)) / n;
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
