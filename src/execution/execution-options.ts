import type { RuntimeConfig } from "../common/config.ts";
import type { CheckpointPaths } from "../checkpoint/paths.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import type { OutputMode, Sink } from "../connectors/sink.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Clock } from "./clock.ts";
import type { ListenerBus } from "./query-listener.ts";
import type { Trigger } from "./trigger.ts";

/** What a streaming query run is given: its plan, sink, trigger, checkpoint and session. */
export interface ExecutionOptions {
  readonly id: string;
  readonly name: string | null;
  readonly plan: LogicalPlan;
  /** Makes the sink when the query starts (connecting to a database may take a while or fail). */
  readonly createSink: () => Sink | Promise<Sink>;
  readonly outputMode: OutputMode;
  readonly trigger: Trigger;
  readonly checkpointLocation: string | null;
  readonly conf: RuntimeConfig;
  readonly listeners: ListenerBus;
  /** Directory for rows dropped as late (option `lateRows.path`); null to drop them as Spark does. */
  readonly lateRowsPath?: string | null;
  /** The session's clock: triggers, batch timestamps and watermark idleness read it. */
  readonly clock?: Clock;
  /** Spark's observed metrics (`df.observe(name, …)`): each name's metrics of a batch's output rows, for its progress. */
  readonly observeBatch?: (output: readonly ColumnBatch[]) => Promise<Record<string, unknown>>;
  /** Kept by a restart from the checkpoint (the same run, from the user's side); new otherwise. */
  readonly runId?: string;
  /**
   * Takes the checkpoint's lock for this run (CheckpointLock.acquire by default, released
   * when the run ends). A supervisor that restarts runs passes one that holds the lock from
   * the first run to the last, through the waits between them.
   */
  readonly takeLock?: (paths: CheckpointPaths, ids: { queryId: string; runId: string }) => Promise<{ release(): Promise<void> }>;
}
