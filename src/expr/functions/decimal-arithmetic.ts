import type { DecimalType } from "../../types/data-types.ts";
import type { ObjVec, Vec } from "../../columnar/vector.ts";
import { divideHalfEven, divideHalfUp, fitsPrecision, pow10, rescale } from "../../columnar/decimal-values.ts";
import type { DecimalOp } from "../decimal-precision.ts";
import { mergeValid, objVec } from "../vec-ops.ts";

/**
 * Decimal arithmetic on unscaled bigints (decimal-values.ts), as Spark's Decimal: the exact
 * result, rounded HALF_UP to the result type's scale; a result wider than its precision, or
 * a division or remainder by zero, is NULL (non-ANSI).
 */
export function decimalBinary(op: DecimalOp, a: Vec, b: Vec, n: number, to: DecimalType): Vec {
  const x = a as ObjVec, y = b as ObjVec;
  const s1 = (x.type as DecimalType).scale, s2 = (y.type as DecimalType).scale;
  const xs = x.values as readonly (bigint | null)[], ys = y.values as readonly (bigint | null)[];
  const { precision, scale } = to;
  let valid = mergeValid(n, x, y);
  const out = new Array<bigint | null>(n).fill(null);
  const f = kernel(op, s1, s2, scale);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const r = f(xs[i]!, ys[i]!);
    if (r !== null && fitsPrecision(r, precision)) out[i] = r;
    else { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
  }
  return objVec(to, out, valid);
}

/** The exact operation on unscaled values at scales s1 and s2, giving an unscaled value at scale `rs` (null: by zero). */
function kernel(op: DecimalOp, s1: number, s2: number, rs: number): (a: bigint, b: bigint) => bigint | null {
  const s = Math.max(s1, s2);
  const fa = pow10(s - s1), fb = pow10(s - s2);
  switch (op) {
    case "add": return s === rs ? (a, b) => a * fa + b * fb : (a, b) => rescale(a * fa + b * fb, s, rs);
    case "subtract": return s === rs ? (a, b) => a * fa - b * fb : (a, b) => rescale(a * fa - b * fb, s, rs);
    case "multiply": return (a, b) => rescale(a * b, s1 + s2, rs);
    case "mod": return (a, b) => (b === 0n ? null : rescale((a * fa) % (b * fb), s, rs));
    case "divide": {
      // a·10^-s1 / (b·10^-s2) at scale rs = a·10^(rs + s2 − s1) / b.
      const e = rs + s2 - s1;
      const up = e >= 0 ? pow10(e) : 1n, down = e < 0 ? pow10(-e) : 1n;
      return (a, b) => (b === 0n ? null : divideHalfUp(a * up, b * down));
    }
  }
}

/** `f` over each non-null unscaled value; a null result (overflow) becomes a null row. */
export function mapDecimals(v: Vec, n: number, to: DecimalType, f: (u: bigint) => bigint | null): Vec {
  const src = (v as ObjVec).values as readonly (bigint | null)[];
  let valid = v.valid === null ? null : v.valid.slice();
  const out = new Array<bigint | null>(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const r = f(src[i]!);
    if (r !== null && fitsPrecision(r, to.precision)) out[i] = r;
    else { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
  }
  return objVec(to, out, valid);
}

/** round/bround of an unscaled value at scale `from` to `digits` decimal places (negative: tens, hundreds…), at result scale `to`. */
export function roundDecimal(u: bigint, from: number, digits: number, to: number, mode: "half_up" | "half_even"): bigint {
  if (digits >= from) return rescale(u, from, to);
  const d = pow10(from - digits);
  const q = mode === "half_up" ? divideHalfUp(u, d) : divideHalfEven(u, d);
  // q is at scale `digits`; move it to the result scale.
  return digits >= to ? q / pow10(digits - to) : q * pow10(to - digits);
}

/** floor (or ceil) of an unscaled value at scale `from`, as an integer. */
export function floorDecimal(u: bigint, from: number, ceil: boolean): bigint {
  if (from <= 0) return u;
  const d = pow10(from);
  const q = u / d, r = u % d;
  if (r === 0n) return q;
  if (ceil) return r > 0n ? q + 1n : q;
  return r < 0n ? q - 1n : q;
}
