/**
 * Spark's ForeachWriter: a stream's rows handed to user code one at a time. For each
 * micro-batch (an epoch) and partition, `open(partitionId, epochId)` says whether to take
 * its rows; `process` gets each row; `close` is told how it ended (null, or the error).
 * `epochId` is the batch id, the same again when a batch is re-run after a failure, so a
 * writer can skip what it already wrote (Spark's contract for exactly-once with foreach).
 */
export interface ForeachWriter<T> {
  /** Whether to process this partition's rows of this epoch; true when omitted. */
  open?(partitionId: number, epochId: number): boolean | Promise<boolean>;
  process(value: T): unknown;
  close?(errorOrNull: Error | null): unknown;
}

/** PySpark's forms: a writer object, or a function of one row (`foreach(lambda row: …)`). */
export type ForeachWriterLike<T> = ForeachWriter<T> | ((value: T) => unknown);

export function foreachWriterOf<T>(writer: ForeachWriterLike<T>): ForeachWriter<T> {
  if (typeof writer === "function") return { process: writer };
  if (typeof writer?.process !== "function") throw new TypeError("foreach: the writer needs a process(row) method (and optionally open(partitionId, epochId) and close(error))");
  return writer;
}

/**
 * One epoch of one partition (rivulet runs a batch as one partition, id 0): open, process
 * each row in order, close. An error from `process` reaches `close` and then fails the batch,
 * so the query stops (or restarts) and the epoch is offered again.
 */
export async function writeEpoch<T>(writer: ForeachWriter<T>, rows: readonly T[], epochId: number): Promise<void> {
  const take = writer.open === undefined ? true : await writer.open(0, epochId);
  let failure: Error | null = null;
  try {
    if (take) for (const row of rows) await writer.process(row);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  await writer.close?.(failure);
  if (failure !== null) throw failure;
}
