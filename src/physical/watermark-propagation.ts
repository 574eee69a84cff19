import type { BatchContext, ExecOperator } from "./exec-operator.ts";
import { isStateful } from "./exec-operator.ts";

/**
 * Spark 3.5's watermark propagation between stateful operators (SPARK-42376): each
 * stateful operator runs on the watermark of its input — the minimum of what the stateful
 * operators below it guarantee about the rows they emit (their output watermark), or the
 * query's watermark when there is none below. A stream–stream join's output watermark is
 * the lower of its state watermarks and its input watermark, so the aggregation above it
 * does not take the rows it emits late (outer rows at eviction, range-joined rows).
 */
export interface EmitsWatermark {
  /** Spark's produceOutputWatermark: no row this operator emits has an event time below the result (-Infinity: none). */
  outputWatermark(inputMicros: number): number;
}

function emitsWatermark(op: ExecOperator): op is ExecOperator & EmitsWatermark {
  return typeof (op as Partial<EmitsWatermark>).outputWatermark === "function";
}

/** The watermark of the rows `op` emits, from the query's watermark `globalMicros`. */
function outputWatermark(op: ExecOperator, globalMicros: number): number {
  const input = inputWatermark(op, globalMicros);
  if (!isStateful(op)) return input;
  return emitsWatermark(op) ? op.outputWatermark(input) : input;
}

/** The watermark `op` runs on: the lowest of its inputs' (a leaf: the query's). */
export function inputWatermark(op: ExecOperator, globalMicros: number): number {
  if (op.children.length === 0 || globalMicros === -Infinity) return globalMicros;
  let min = Infinity;
  for (const child of op.children) min = Math.min(min, outputWatermark(child, globalMicros));
  return min;
}

/** Whether a stateful operator runs below `op` (then `op` runs on a propagated watermark). */
export function hasStatefulInput(op: ExecOperator): boolean {
  return op.children.some((c) => isStateful(c) || hasStatefulInput(c));
}

/**
 * The watermarks a stateful operator uses in this batch: rows at or below `late` are
 * dropped as late, state at or below `evict` is evicted. With no stateful operator below,
 * both are the batch's watermark (as before). Above one, as Spark 3.4+: late rows against
 * the previous batch's propagated watermark (rows the operator below emits as this batch's
 * watermark closes them are not late), eviction against this batch's.
 */
export function operatorWatermarks(op: ExecOperator, ctx: BatchContext): { late: number; evict: number } {
  if (!hasStatefulInput(op)) return { late: ctx.watermarkMicros, evict: ctx.watermarkMicros };
  return {
    late: inputWatermark(op, ctx.lateEventsWatermarkMicros ?? ctx.watermarkMicros),
    evict: inputWatermark(op, ctx.watermarkMicros),
  };
}
