import type { EventTimeStats } from "../physical/operators/event-time-watermark-exec.ts";

/**
 * Spark's WatermarkTracker: each watermark operator's watermark is the max event time it
 * has seen minus its delay; the query's watermark is their min (or max, by
 * spark.sql.streaming.multipleWatermarkPolicy) and never moves backwards.
 */
export class WatermarkTracker {
  #perOperator = new Map<number, number>();
  #current: number;

  constructor(readonly policy: "min" | "max", initialMicros = -Infinity) {
    this.#current = initialMicros;
  }

  get currentMicros(): number {
    return this.#current;
  }

  /** Folds one batch's event-time stats of operator `index` (with its delay) into the watermark. */
  observe(index: number, stats: EventTimeStats, delayMicros: number): void {
    if (stats.count === 0) return;
    const candidate = stats.max - delayMicros;
    const previous = this.#perOperator.get(index) ?? -Infinity;
    if (candidate > previous) this.#perOperator.set(index, candidate);
  }

  /** Recomputes the global watermark after a batch; returns true when it moved. */
  advance(): boolean {
    // As in Spark, an input that has produced no data yet does not hold the watermark back.
    if (this.#perOperator.size === 0) return false;
    const values = [...this.#perOperator.values()];
    const next = this.policy === "min" ? Math.min(...values) : Math.max(...values);
    if (next > this.#current) {
      this.#current = next;
      return true;
    }
    return false;
  }
}
