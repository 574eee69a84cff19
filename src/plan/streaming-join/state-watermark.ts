import type { Expression } from "../../expr/expression.ts";
import type { OutputColumn } from "../logical-plan.ts";
import { conjuncts } from "./equi-join-keys.ts";

/** A linear combination of timestamp columns (µs) plus a constant (µs). */
interface Linear {
  readonly terms: ReadonlyMap<number, number>;
  readonly constant: number;
}

function linear(e: Expression, sign: number): Linear | null {
  switch (e.kind) {
    case "ColumnRef":
      return e.dataType?.kind === "timestamp" ? { terms: new Map([[e.index, sign]]), constant: 0 } : null;
    case "Literal":
      return e.dataType?.kind === "timestamp" && typeof e.value === "number" ? { terms: new Map(), constant: sign * e.value } : null;
    case "Cast":
      return e.to.kind === "timestamp" && e.child.dataType?.kind === "timestamp" ? linear(e.child, sign) : null;
    case "Call": {
      // time ± INTERVAL (a day-time interval literal, in µs), or INTERVAL + time.
      if (e.name !== "add" && e.name !== "subtract") return null;
      const [a, b] = e.args as [Expression, Expression];
      const isInterval = (x: Expression): boolean => x.kind === "Literal" && x.dataType?.kind === "interval_dt" && x.value !== null;
      const [time, interval] = isInterval(b) ? [a, b] : e.name === "add" && isInterval(a) ? [b, a] : [null, null];
      if (time === null || interval === null || interval.kind !== "Literal") return null;
      const inner = linear(time, sign);
      const micros = Number(interval.value) * (e.name === "subtract" ? -1 : 1);
      return inner && { terms: inner.terms, constant: inner.constant + sign * micros };
    }
    default:
      return null;
  }
}

function plus(a: Linear, b: Linear): Linear {
  const terms = new Map(a.terms);
  for (const [k, c] of b.terms) terms.set(k, (terms.get(k) ?? 0) + c);
  for (const [k, c] of terms) if (c === 0) terms.delete(k);
  return { terms, constant: a.constant + b.constant };
}

/** The sides of the question: whose state to bound, and the columns of the watermarked other side. */
export interface StateWatermarkQuestion {
  /** Combined (left ++ right) columns of the join's inputs. */
  readonly columns: readonly OutputColumn[];
  /** Whether combined column `i` belongs to the side whose state is bounded. */
  readonly isStateSide: (i: number) => boolean;
}

/**
 * Solves `lower < upper` (or ≤) for a bound on a state-side time column given the other
 * side's event-time watermark (Spark's StreamingJoinHelper.getStateWatermarkFromLessThenPredicate):
 * brought to the form `upper - lower < 0`, it must read `-stateTime + otherTime + c < 0`
 * with the other side's column watermarked, which gives `stateTime > watermark + c`.
 */
function fromLessThan(lower: Expression, upper: Expression, q: StateWatermarkQuestion, eventWatermark: number): number | null {
  const l = linear(lower, 1), u = linear(upper, -1);
  if (l === null || u === null) return null;
  const form = plus(l, u);
  const stateTerms = [...form.terms].filter(([i]) => q.isStateSide(i));
  const otherTerms = [...form.terms].filter(([i]) => !q.isStateSide(i));
  if (stateTerms.length !== 1 || otherTerms.length !== 1) return null;
  const [[, stateCoef]] = stateTerms as [[number, number]];
  const [[otherIndex, otherCoef]] = otherTerms as [[number, number]];
  // `-stateTime` in the canonical form: the state column is bounded from below.
  if (stateCoef !== -1 || otherCoef !== 1) return null;
  if (q.columns[otherIndex]?.eventTimeDelayMicros === undefined) return null;
  return eventWatermark + form.constant;
}

/** Spark keeps state watermarks in milliseconds: the bound truncated to ms. */
function toMillisPrecision(micros: number): number {
  return Math.trunc(micros / 1000) * 1000;
}

/**
 * Spark's StreamingJoinHelper.getStateValueWatermark: from the join condition's range
 * predicates, the event time (µs) at or below which a state-side row can match no future
 * row of the other side, given the other side's event-time watermark; null when the
 * condition bounds nothing. Non-strict predicates give one millisecond less, as Spark.
 */
export function stateValueWatermark(condition: Expression | null, q: StateWatermarkQuestion, eventWatermark: number): number | null {
  let result: number | null = null;
  for (const c of conjuncts(condition)) {
    if (c.kind !== "Call" || c.args.length !== 2) continue;
    const [a, b] = c.args as [Expression, Expression];
    let bound: number | null = null;
    switch (c.name) {
      case "lessthan": bound = fromLessThan(a, b, q, eventWatermark); break;
      case "lessthanorequal": { const v = fromLessThan(a, b, q, eventWatermark); bound = v === null ? null : toMillisPrecision(v) - 1000; break; }
      case "greaterthan": bound = fromLessThan(b, a, q, eventWatermark); break;
      case "greaterthanorequal": { const v = fromLessThan(b, a, q, eventWatermark); bound = v === null ? null : toMillisPrecision(v) - 1000; break; }
      default: break;
    }
    if (bound !== null && (c.name === "lessthan" || c.name === "greaterthan")) bound = toMillisPrecision(bound);
    if (bound !== null) result = result === null ? bound : Math.min(result, bound);
  }
  return result;
}
