import type { EventTimeStats } from "../physical/operators/event-time-watermark-exec.ts";

/**
 * Spark's WatermarkTracker: each watermark operator's watermark is the max event time it
 * has seen minus its delay; the query's watermark is their min (or max, by
 * spark.sql.streaming.multipleWatermarkPolicy) and never moves backwards.
 */
export class WatermarkTracker {
  /** Per watermark operator: max event time − delay (µs). */
  #perOperator = new Map<number, number>();
  /** Per watermark operator: processing time (ms) of the last batch that brought it rows. */
  #lastArrival = new Map<number, number>();
  #current: number;
  /** Every watermark operator observed, with or without rows. */
  #known = new Set<number>();

  /** `perOperator`: each operator's watermark as `perOperatorMicros()` gave it before a restart. */
  constructor(readonly policy: "min" | "max", initialMicros = -Infinity, perOperator: Readonly<Record<string, number>> = {}) {
    this.#current = initialMicros;
    for (const [k, w] of Object.entries(perOperator)) {
      this.#perOperator.set(Number(k), w);
      this.#known.add(Number(k));
    }
  }

  /** Each operator's watermark, for those that have seen rows (recorded in the commit log). */
  perOperatorMicros(): Record<string, number> {
    return Object.fromEntries(this.#perOperator);
  }

  get currentMicros(): number {
    return this.#current;
  }

  /** Folds one batch's event-time stats of operator `index` (with its delay) into the watermark. */
  observe(index: number, stats: EventTimeStats, delayMicros: number, nowMs = 0): void {
    this.#known.add(index);
    if (stats.count === 0) return;
    this.#lastArrival.set(index, nowMs);
    const candidate = stats.max - delayMicros;
    const previous = this.#perOperator.get(index) ?? -Infinity;
    if (candidate > previous) this.#perOperator.set(index, candidate);
  }

  /** Operators that have produced no row for longer than `idleTimeoutMs`. */
  idleOperators(nowMs: number, idleTimeoutMs: number | null): number[] {
    if (idleTimeoutMs === null) return [];
    return [...this.#lastArrival].filter(([, at]) => nowMs - at > idleTimeoutMs).map(([k]) => k);
  }

  /**
   * Recomputes the global watermark; returns true when it moved. With an idle timeout
   * (rivulet's answer to Spark's stalled watermarks), an input silent for longer than the
   * timeout no longer holds the watermark back (Flink's idleness); when every input is
   * silent, event time advances with processing time past the timeout.
   */
  advance(nowMs = 0, idleTimeoutMs: number | null = null): boolean {
    // As in Spark, the watermark stays unset until some input has produced data.
    if (this.#perOperator.size === 0) return false;
    // But once one has, an input without data yet counts as watermark 0 (Spark's WatermarkTracker), which
    // under the min policy holds the query's watermark back: a stream–stream join must not drop the
    // rows of a side that has not started yet. An idle timeout lets such an input go after it.
    if (this.policy === "min" && idleTimeoutMs === null && [...this.#known].some((k) => !this.#perOperator.has(k))) return false;
    const idle = new Set(this.idleOperators(nowMs, idleTimeoutMs));
    const active = [...this.#perOperator].filter(([k]) => !idle.has(k)).map(([, w]) => w);
    let values: number[];
    if (active.length > 0) values = active;
    else {
      values = [...this.#perOperator].map(([k, w]) => w + (nowMs - this.#lastArrival.get(k)! - idleTimeoutMs!) * 1000);
    }
    const next = this.policy === "min" ? Math.min(...values) : Math.max(...values);
    if (next > this.#current) {
      this.#current = next;
      return true;
    }
    return false;
  }
}
