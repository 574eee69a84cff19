import type { CheckpointPaths } from "../checkpoint/paths.ts";
import type { Offset } from "../connectors/source.ts";
import type { Session } from "../session/session.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import type { DStream } from "./dstream.ts";
import type { RDD } from "./rdd.ts";

/**
 * What computing a batch of any DStream may need, provided by the job scheduler for the
 * whole run of a context.
 */
export interface RunContext {
  /** The time before the first batch. */
  readonly zeroTime: number;
  readonly batchDuration: number;
  /** The time of the batch being generated; a stateful op commits its state only for this time. */
  readonly currentTime: number;
  readonly session: Session;
  /** Where the context checkpoints; null without `ssc.checkpoint(dir)`. */
  readonly checkpoint: CheckpointPaths | null;
  /** The versioned state store of a stateful op (state/<operatorId>/0). */
  stateProvider<V>(operatorId: number): StateStoreProvider<V>;
  /** The entry input `inputIndex` wrote ahead for the batch at `time`, if the log still has it (recovery). */
  loggedInput(time: number, inputIndex: number): Promise<Offset | undefined>;
}

/**
 * How a DStream computes its batch for a time (one implementation per kind of stream).
 * Ops are separate from the DStream node so that the node class can construct every op
 * without a circular module import.
 */
export interface DStreamOp<T> {
  /** Shown in errors and in the checkpoint fingerprint (for stateful ops). */
  readonly name: string;
  readonly parents: readonly DStream<any>[];
  compute(time: number, ctx: RunContext): Promise<RDD<T> | undefined>;
  /** How long the parents must keep their batches when this stream keeps its own for `rememberMs`. */
  parentRememberMs?(rememberMs: number): number;
  /** Set for ops that keep state: start() refuses a context without a checkpoint directory. */
  readonly requiresCheckpoint?: boolean;
  /** Stateful ops get an id (their state directory) when registered, in creation order. */
  operatorId?: number;
  /** Drops what the op holds for batches at or before `time`. */
  forgetUpTo?(time: number): void;
}

/** One batch of an input: its data, and what the write-ahead log records for it. */
export interface InputBatch<T> {
  readonly partitions: () => Promise<readonly (readonly T[])[]>;
  readonly entry: () => Offset;
}

export interface InputStartContext {
  readonly session: Session;
  /** checkpoint/sources/<inputIndex>, for an input's own metadata (a file stream's file log). */
  readonly metadataPath: string | null;
  /** This input's entry in the newest logged batch, when the context recovers from a checkpoint. */
  readonly lastEntry: Offset | undefined;
}

/** An input stream's op: it takes what arrived at each batch time. */
export interface InputOp<T> extends DStreamOp<T> {
  readonly isInput: true;
  /** Recorded in the checkpoint fingerprint: a changed set of inputs cannot recover. */
  readonly kind: string;
  inputIndex: number;
  start(ctx: InputStartContext): Promise<void>;
  /** Takes the data that arrived since the previous batch. */
  nextBatch(time: number): Promise<InputBatch<T>>;
  /** The batch an entry of the write-ahead log describes. */
  restore(entry: Offset): InputBatch<T>;
  /** Hands the batch for `time` to the stream. */
  assign(time: number, batch: InputBatch<T>): void;
  /** Data received but not yet in a batch (a graceful stop processes it first). */
  hasPendingData(): Promise<boolean>;
  stop(): Promise<void>;
}

export function isInputOp(op: DStreamOp<unknown>): op is InputOp<unknown> {
  return (op as Partial<InputOp<unknown>>).isInput === true;
}
