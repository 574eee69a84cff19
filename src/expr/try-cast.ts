import type { DataType } from "../types/data-types.ts";
import { valueAt, type Vec } from "../columnar/vector.ts";
import { castVec } from "./cast.ts";
import { canOverflow, findCastOverflow } from "./ansi-cast-overflow.ts";
import type { EvalContext } from "./eval-context.ts";

/**
 * Spark's TRY_CAST (Cast with EvalMode.TRY): the ANSI cast with its errors turned into NULL.
 * Where the non-ANSI cast already gives NULL the two agree; where it wraps, saturates or
 * truncates (NaN → 0, 1e10 → 2147483647, 300 → 44 as TINYINT, '1.5' → 1) TRY_CAST gives NULL.
 */
export function tryCastVec(v: Vec, to: DataType, ctx: EvalContext): Vec {
  const cast = castVec(v, to, ctx);
  if (!canOverflow(v.type, to)) return cast;
  let valid: Uint8Array | null = null;
  for (let i = 0; i < v.length; i++) {
    const x = valueAt(v, i);
    if (x === null || findCastOverflow(x, v.type, to) === undefined) continue;
    valid ??= cast.valid === null ? new Uint8Array(v.length).fill(1) : cast.valid.slice();
    valid[i] = 0;
  }
  return valid === null ? cast : { ...cast, valid };
}
