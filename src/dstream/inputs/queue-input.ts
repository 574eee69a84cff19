import type { Offset } from "../../connectors/source.ts";
import type { InputBatch } from "../dstream-op.ts";
import { RDD } from "../rdd.ts";
import { dataBatch, InputOpBase, restoreDataBatch } from "./input-op-base.ts";

/** One element of a queue stream: a batch's values, or an RDD from `ssc.parallelize`. */
export type QueueElement<T> = readonly T[] | RDD<T>;

/**
 * Spark's QueueInputDStream: each batch dequeues one element of the user's array (or
 * all of them, when not `oneAtATime`), which the test may keep pushing to. The dequeued
 * values are written ahead with the batch, so a restart re-runs it with the same data.
 */
export class QueueInputOp<T> extends InputOpBase<T> {
  readonly kind = "queueStream";

  constructor(readonly queue: QueueElement<T>[], readonly oneAtATime: boolean, readonly defaultRDD: QueueElement<T> | undefined) {
    super();
  }

  async start(): Promise<void> {}

  async nextBatch(): Promise<InputBatch<T>> {
    if (this.queue.length === 0) return dataBatch(this.defaultRDD === undefined ? [[]] : partitionsOf(this.defaultRDD));
    const taken = this.oneAtATime ? [this.queue.shift()!] : this.queue.splice(0, this.queue.length);
    return dataBatch(taken.flatMap(partitionsOf));
  }

  restore(entry: Offset): InputBatch<T> {
    return restoreDataBatch<T>(entry, this.kind);
  }
}

function partitionsOf<T>(element: QueueElement<T>): T[][] {
  return element instanceof RDD ? element.partitions.map((p) => [...p]) : [[...element]];
}
