/**
 * Loop kernels generated once per operator with `new Function`, so each is a tight,
 * monomorphic loop over typed arrays (no closure call per row).
 */
type BinaryNumKernel = (a: ArrayLike<number>, b: ArrayLike<number>, out: Float64Array | Int32Array | Uint8Array, n: number) => void;

const cache = new Map<string, BinaryNumKernel>();

/** `expr` uses `a` and `b` for the operands, e.g. "a + b", "a < b ? 1 : 0". */
export function binaryKernel(expr: string): BinaryNumKernel {
  let k = cache.get(expr);
  if (!k) {
    k = new Function("A", "B", "out", "n", `for (let i = 0; i < n; i++) { const a = A[i], b = B[i]; out[i] = ${expr}; }`) as BinaryNumKernel;
    cache.set(expr, k);
  }
  return k;
}
