import { DoubleType, LongType, type DataType } from "../../types/data-types.ts";
import type { NumVec, Vec } from "../../columnar/vector.ts";
import { checkArity, coerceArg } from "../functions/function-args.ts";
import { growTo, type AggregateFunction, type GroupsAccumulator } from "./aggregate-function.ts";

/**
 * Co-moments of pairs (Spark's Covariance / PearsonCorrelation state): count, both means,
 * the co-moment ck and both second moments, over rows where both values are non-null.
 * corr, covar_pop/covar_samp and the regr_* functions read them.
 */
interface CoMoments { n: number; xAvg: number; yAvg: number; ck: number; xMk: number; yMk: number }

class CoMomentAccumulator implements GroupsAccumulator {
  n = new Float64Array(16);
  xAvg = new Float64Array(16);
  yAvg = new Float64Array(16);
  ck = new Float64Array(16);
  xMk = new Float64Array(16);
  yMk = new Float64Array(16);
  /** `swap`: the arguments are (y, x), as the regr_* functions take them. */
  constructor(readonly type: DataType, readonly result: (m: CoMoments) => number | null, readonly swap: boolean) {}
  resize(k: number): void {
    this.n = growTo(this.n, k); this.xAvg = growTo(this.xAvg, k); this.yAvg = growTo(this.yAvg, k);
    this.ck = growTo(this.ck, k); this.xMk = growTo(this.xMk, k); this.yMk = growTo(this.yMk, k);
  }
  update(args: readonly Vec[], slots: Int32Array, length: number): void {
    const a = args[this.swap ? 1 : 0] as NumVec, b = args[this.swap ? 0 : 1] as NumVec;
    const xs = a.values, ys = b.values, va = a.valid, vb = b.valid;
    for (let i = 0; i < length; i++) {
      if ((va !== null && va[i] === 0) || (vb !== null && vb[i] === 0)) continue;
      const s = slots[i]!, x = xs[i]!, y = ys[i]!;
      const n = this.n[s]! + 1;
      const dx = x - this.xAvg[s]!, dy = y - this.yAvg[s]!;
      // Spark's update: dx / n added to the mean, then the co-moments against the new means.
      const xAvg = this.xAvg[s]! + dx / n, yAvg = this.yAvg[s]! + dy / n;
      this.ck[s]! += dx * (y - yAvg);
      this.xMk[s]! += dx * (x - xAvg);
      this.yMk[s]! += dy * (y - yAvg);
      this.xAvg[s] = xAvg; this.yAvg[s] = yAvg; this.n[s] = n;
    }
  }
  getState(s: number): unknown { return [this.n[s], this.xAvg[s], this.yAvg[s], this.ck[s], this.xMk[s], this.yMk[s]]; }
  setState(s: number, state: unknown): void { this.reset(s); this.mergeState(s, state); }
  mergeState(s: number, state: unknown): void {
    const [n2, xAvg2, yAvg2, ck2, xMk2, yMk2] = state as number[];
    if (n2 === 0) return;
    // Spark's Covariance/PearsonCorrelation merge, term for term.
    const n1 = this.n[s]!, n = n1 + n2!;
    const dx = xAvg2! - this.xAvg[s]!, dy = yAvg2! - this.yAvg[s]!, dxN = dx / n, dyN = dy / n;
    this.ck[s] = this.ck[s]! + ck2! + dx * dyN * n1 * n2!;
    this.xMk[s] = this.xMk[s]! + xMk2! + dx * dxN * n1 * n2!;
    this.yMk[s] = this.yMk[s]! + yMk2! + dy * dyN * n1 * n2!;
    this.xAvg[s] = this.xAvg[s]! + dxN * n2!;
    this.yAvg[s] = this.yAvg[s]! + dyN * n2!;
    this.n[s] = n;
  }
  reset(s: number): void { this.n[s] = 0; this.xAvg[s] = 0; this.yAvg[s] = 0; this.ck[s] = 0; this.xMk[s] = 0; this.yMk[s] = 0; }
  evaluate(slots: Int32Array, count: number): Vec {
    const values = new Float64Array(count);
    let valid: Uint8Array | null = null;
    for (let i = 0; i < count; i++) {
      const s = slots[i]!;
      const r = this.result({ n: this.n[s]!, xAvg: this.xAvg[s]!, yAvg: this.yAvg[s]!, ck: this.ck[s]!, xMk: this.xMk[s]!, yMk: this.yMk[s]! });
      if (r === null) { valid ??= new Uint8Array(count).fill(1); valid[i] = 0; } else values[i] = r;
    }
    return { kind: "num", type: this.type, length: count, values, valid };
  }
}

/**
 * A two-argument statistic. The regr_* functions take (y, x); the state keeps x first.
 */
function coMoment(name: string, result: (m: CoMoments) => number | null, options: { regression?: boolean; type?: DataType } = {}): AggregateFunction {
  const type = options.type ?? DoubleType;
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      return { args: [coerceArg(name, args, 0, DoubleType), coerceArg(name, args, 1, DoubleType)], dataType: type };
    },
    createAccumulator: () => new CoMomentAccumulator(type, result, options.regression === true),
  };
}

const orNull = (n: number, v: number): number | null => (n === 0 ? null : v);

export const covarianceAggregates: AggregateFunction[] = [
  coMoment("corr", (m) => (m.n <= 1 ? null : m.ck / Math.sqrt(m.xMk * m.yMk))),
  coMoment("covar_pop", (m) => orNull(m.n, m.ck / m.n)),
  coMoment("covar_samp", (m) => (m.n <= 1 ? null : m.ck / (m.n - 1))),
  coMoment("regr_count", (m) => m.n, { regression: true, type: LongType }),
  coMoment("regr_avgx", (m) => orNull(m.n, m.xAvg), { regression: true }),
  coMoment("regr_avgy", (m) => orNull(m.n, m.yAvg), { regression: true }),
  coMoment("regr_sxx", (m) => orNull(m.n, m.xMk), { regression: true }),
  coMoment("regr_syy", (m) => orNull(m.n, m.yMk), { regression: true }),
  coMoment("regr_sxy", (m) => orNull(m.n, m.ck), { regression: true }),
  // As Spark: covar_pop(y, x) / var_pop(x); null when x does not vary.
  coMoment("regr_slope", (m) => (m.n === 0 || m.xMk === 0 ? null : m.ck / m.n / (m.xMk / m.n)), { regression: true }),
  coMoment("regr_intercept", (m) => (m.n === 0 || m.xMk === 0 ? null : m.yAvg - (m.ck / m.n / (m.xMk / m.n)) * m.xAvg), { regression: true }),
  // corr², 1 when y does not vary, null when x does not.
  coMoment("regr_r2", (m) => { if (m.n === 0 || m.xMk === 0) return null; if (m.yMk === 0) return 1; const c = m.ck / Math.sqrt(m.xMk * m.yMk); return c * c; }, { regression: true }),
];
