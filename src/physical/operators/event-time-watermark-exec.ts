import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { formatDuration } from "../../common/duration.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/** Event-time statistics of one batch, for the watermark and for progress (`eventTime`). */
export interface EventTimeStats {
  max: number;
  min: number;
  sum: number;
  count: number;
}

export function emptyStats(): EventTimeStats {
  return { max: -Infinity, min: Infinity, sum: 0, count: 0 };
}

/** Adds the event times of `more` (another file or block of the same batch) into `into`. */
export function mergeStats(into: EventTimeStats, more: EventTimeStats): void {
  into.max = Math.max(into.max, more.max);
  into.min = Math.min(into.min, more.min);
  into.sum += more.sum;
  into.count += more.count;
}

/**
 * Passes rows through and observes the event-time column (Spark's EventTimeWatermarkExec):
 * the executor advances the watermark to max(event time) − delay between batches.
 */
export class EventTimeWatermarkExec implements ExecOperator {
  readonly name = "EventTimeWatermark";
  readonly children: readonly ExecOperator[];
  readonly schema: StructType;
  stats: EventTimeStats = emptyStats();

  constructor(readonly input: ExecOperator, readonly column: number, readonly delayMicros: number) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return `EventTimeWatermark ${this.schema.fields[this.column]!.name}, ${formatDuration(this.delayMicros)}`;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const batches = await this.input.execute(ctx);
    const stats = emptyStats();
    for (const b of batches) {
      const v = b.columns[this.column]!;
      if (v.kind !== "num") continue;
      const values = v.values, valid = v.valid;
      for (let i = 0; i < v.length; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const t = values[i]!;
        if (t > stats.max) stats.max = t;
        if (t < stats.min) stats.min = t;
        stats.sum += t;
        stats.count++;
      }
    }
    this.stats = stats;
    return batches;
  }
}
