import { AnalysisError } from "../../common/errors.ts";
import { isNumeric, typeName } from "../../types/data-types.ts";
import { typeOf } from "../coercion.ts";
import { AggregateCall, Call, isAggregate, WindowExpression, type Expression, type SortOrder, type WindowFrame } from "../expression.ts";
import { lookupWindowFunction } from "./window-functions.ts";
import { displayFrame, displayWindowExpression } from "./window-display.ts";

type Recur = (e: Expression, allowAggregates: boolean) => Expression;
type Show = (e: Expression) => string;

/** Spark's default frames (ResolveWindowFrame): the running frame with ORDER BY, the whole partition without. */
export function defaultFrame(ordered: boolean): WindowFrame {
  return ordered ? { frameType: "range", lower: -Infinity, upper: 0 } : { frameType: "rows", lower: -Infinity, upper: Infinity };
}

function isValueBound(v: number): boolean {
  return Number.isFinite(v) && v !== 0;
}

/**
 * Resolves `fn OVER (spec)` against the input (Spark's ResolveWindowFrame, ResolveWindowOrder
 * and WindowSpecDefinition's type checks): the function and keys resolve against the scope,
 * window-only functions get the frame they require, others the spec's frame or the default.
 */
export function resolveWindowExpression(e: WindowExpression, recur: Recur, show: Show): WindowExpression {
  const partitionBy = e.partitionBy.map((p) => recur(p, true));
  const orderBy = e.orderBy.map((o) => recur(o, true) as SortOrder);
  const specText = (frame: WindowFrame | null): string => {
    const shown = displayWindowExpression(WindowExpression.create(Call.create("x", []), partitionBy, orderBy, frame), show);
    return shown.slice(shown.indexOf(" OVER ") + 6);
  };
  let fn: Expression;
  let frame: WindowFrame;
  if (e.fn.kind === "AggregateCall") {
    const resolved = recur(e.fn, true) as AggregateCall;
    if (resolved.distinct) {
      throw new AnalysisError(`[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: ${show(resolved)} OVER ${specText(e.frame)}.`);
    }
    if (resolved.args.some(isAggregate)) {
      throw new AnalysisError(`[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.`);
    }
    fn = resolved;
    frame = e.frame ?? defaultFrame(orderBy.length > 0);
  } else if (e.fn.kind === "Call" && lookupWindowFunction(e.fn.name) !== undefined) {
    const wf = lookupWindowFunction(e.fn.name)!;
    const sig = wf.resolve(e.fn.args.map((a) => recur(a, true)));
    fn = Call.create(wf.name, sig.args, sig.dataType);
    const shownFn = `${wf.name}(${(fn as Call).args.slice(0, wf.name === "lag" || wf.name === "lead" ? 3 : wf.name === "nth_value" ? 2 : undefined).map(show).join(", ")})`;
    if (wf.needsOrder && orderBy.length === 0) {
      throw new AnalysisError(`Window function ${shownFn} requires window to be ordered, please add ORDER BY clause. For example SELECT ${shownFn}(value_expr) OVER (PARTITION BY window_partition ORDER BY window_ordering) from table.`);
    }
    const required = wf.frame(sig.args);
    if (required !== null && e.frame !== null && (e.frame.frameType !== required.frameType || e.frame.lower !== required.lower || e.frame.upper !== required.upper)) {
      throw new AnalysisError(`Window Frame ${displayFrame(e.frame)} must match the required frame ${displayFrame(required, wf.name === "lag" || wf.name === "lead")}`);
    }
    frame = required ?? e.frame ?? defaultFrame(true);
  } else {
    const inner = recur(e.fn, true);
    throw new AnalysisError(`Expression '${show(inner)}' not supported within a window function.`);
  }
  checkFrame(frame, orderBy, () => specText(frame), show);
  return WindowExpression.create(fn, partitionBy, orderBy, frame, typeOf(fn));
}

/** WindowSpecDefinition.checkInputDataTypes: RANGE frames with offsets need one numeric or datetime ORDER BY key. */
function checkFrame(frame: WindowFrame, orderBy: readonly SortOrder[], spec: () => string, show: Show): void {
  const mismatch = (sub: string, why: string): never => {
    throw new AnalysisError(`[DATATYPE_MISMATCH.${sub}] Cannot resolve "${spec()}" due to data type mismatch: ${why}`);
  };
  if (frame.lower > frame.upper && Number.isFinite(frame.lower) && Number.isFinite(frame.upper)) {
    mismatch("SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON", "The lower bound of a window frame must be less than or equal to the upper bound.");
  }
  if (frame.frameType !== "range") return;
  const unbounded = frame.lower === -Infinity && frame.upper === Infinity;
  if (!unbounded && orderBy.length === 0) mismatch("RANGE_FRAME_WITHOUT_ORDER", "A range window frame cannot be used in an unordered window specification.");
  if (!isValueBound(frame.lower) && !isValueBound(frame.upper)) return;
  if (orderBy.length > 1) mismatch("RANGE_FRAME_MULTI_ORDER", `A range window frame with value boundaries cannot be used in a window specification with multiple order by expressions: ${orderBy.map(show).join(",")}.`);
  const t = typeOf(orderBy[0]!.child);
  const offset = frame.offsetType;
  if (offset !== undefined) {
    // Spark's isValidFrameType: a DATE moves by year-month intervals only, a TIMESTAMP by either kind.
    const valid = offset.kind === "interval_ym" ? t.kind === "date" || t.kind === "timestamp" || t.kind === "timestamp_ntz"
      : t.kind === "timestamp" || t.kind === "timestamp_ntz";
    if (!valid) {
      mismatch("RANGE_FRAME_INVALID_TYPE", `The data type "${typeName(t).toUpperCase()}" used in the order specification does not match the data type "${typeName(offset).toUpperCase()}" which is used in the range frame.`);
    }
    return;
  }
  if (!isNumeric(t) && t.kind !== "date" && t.kind !== "timestamp") {
    mismatch("RANGE_FRAME_INVALID_TYPE", `The data type "${typeName(t).toUpperCase()}" used in the order specification does not match the data type which is used in the range frame.`);
  }
}
