import { formatTimestampIso } from "../columnar/temporal.ts";
import type { Offset } from "../connectors/source.ts";
import type { StateOperatorMetrics } from "../physical/exec-operator.ts";

/** Spark's SourceProgress. */
export interface SourceProgress {
  readonly description: string;
  readonly startOffset: Offset | null;
  readonly endOffset: Offset | null;
  readonly latestOffset: Offset | null;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly metrics: Record<string, string>;
}

export interface SinkProgress {
  readonly description: string;
  readonly numOutputRows: number;
  readonly metrics: Record<string, string>;
}

/** Spark's StreamingQueryProgress; `json` / `prettyJson` serialise to Spark's JSON shape. */
export class StreamingQueryProgress {
  constructor(
    readonly id: string,
    readonly runId: string,
    readonly name: string | null,
    readonly timestamp: string,
    readonly batchId: number,
    readonly batchDuration: number,
    readonly durationMs: Record<string, number>,
    readonly eventTime: Record<string, string>,
    readonly stateOperators: readonly StateOperatorMetrics[],
    readonly sources: readonly SourceProgress[],
    readonly sink: SinkProgress,
    readonly observedMetrics: Record<string, unknown> = {},
  ) {}

  get numInputRows(): number {
    return this.sources.reduce((n, s) => n + s.numInputRows, 0);
  }

  get inputRowsPerSecond(): number {
    return this.sources.reduce((n, s) => n + s.inputRowsPerSecond, 0);
  }

  get processedRowsPerSecond(): number {
    return this.sources.reduce((n, s) => n + s.processedRowsPerSecond, 0);
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      runId: this.runId,
      name: this.name,
      timestamp: this.timestamp,
      batchId: this.batchId,
      batchDuration: this.batchDuration,
      numInputRows: this.numInputRows,
      inputRowsPerSecond: this.inputRowsPerSecond,
      processedRowsPerSecond: this.processedRowsPerSecond,
      durationMs: this.durationMs,
      eventTime: this.eventTime,
      stateOperators: this.stateOperators,
      sources: this.sources,
      sink: this.sink,
      observedMetrics: this.observedMetrics,
    };
  }

  get json(): string {
    return JSON.stringify(this);
  }

  get prettyJson(): string {
    return JSON.stringify(this, null, 2);
  }

  toString(): string {
    return this.prettyJson;
  }
}

/** Spark's StreamingQueryStatus. */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

/** Event-time values in progress reports: ISO-8601 UTC with milliseconds, as Spark prints them. */
export function eventTimeString(micros: number): string {
  const iso = formatTimestampIso(Math.floor(micros / 1000) * 1000);
  return iso.includes(".") ? iso.replace(/\.(\d{1,3})\d*Z$/, (_, ms: string) => `.${ms.padEnd(3, "0")}Z`) : iso.replace("Z", ".000Z");
}
