import { structField, type Vec } from "../../columnar/vector.ts";
import { AnalysisError, InternalError } from "../../common/errors.ts";
import type { DataType, StructType } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { asNum, numVec } from "../vec-ops.ts";
import { checkArity } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** A `window` / `session_window` struct: `start` and `end` of one timestamp type. */
export function isWindowStruct(t: DataType): t is StructType {
  if (t.kind !== "struct" || t.fields.length !== 2) return false;
  const [start, end] = t.fields;
  const ts = start!.dataType.kind;
  return start!.name === "start" && end!.name === "end" && (ts === "timestamp" || ts === "timestamp_ntz") && end!.dataType.kind === ts;
}

/**
 * Spark's `window_time(window)`: the event time of a window's row, `window.end - 1µs` (end is
 * exclusive), for a second, coarser window over the result of a windowed aggregation. The
 * watermark of the window column travels with it (plan-builder's eventTimeDelayOf).
 */
export const windowTimeFunction: ScalarFunction = {
  name: "window_time",
  resolve(args) {
    checkArity("window_time", args, 1);
    const t = typeOf(args[0]!);
    if (!isWindowStruct(t)) {
      throw new AnalysisError(
        `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "window_time(${displayExpression(args[0]!)})" due to data type mismatch: ` +
        `Parameter 1 requires a window column (STRUCT<start: TIMESTAMP, end: TIMESTAMP>, from window() or session_window()), however "${displayExpression(args[0]!)}" is not one.`,
      );
    }
    return { args, dataType: t.fields[1]!.dataType };
  },
  evaluate(vecs, n): Vec {
    const window = vecs[0]!;
    if (window.kind !== "struct") throw new InternalError("window_time: a window column reached evaluation as a non-struct vector");
    const end = asNum(structField(window, 1));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = end.values[i]! - 1;
    return numVec(end.type, out, end.valid);
  },
};
