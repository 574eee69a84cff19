import type { DStream } from "../dstream.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";
import { RDD } from "../rdd.ts";

export type TransformFn<T> = (rdds: RDD<any>[], time: number) => RDD<T> | Promise<RDD<T>>;

/**
 * Every stateless operation (map, filter, reduceByKey, join, union, transform…): the
 * parents' batches at the same time, turned into this stream's batch by an RDD function.
 * Spark has a class per operation (MappedDStream, FilteredDStream…); here they differ
 * only in that function. A parent without a batch at that time counts as empty.
 */
export class TransformOp<T> implements DStreamOp<T> {
  constructor(readonly name: string, readonly parents: readonly DStream<any>[], readonly fn: TransformFn<T>) {}

  async compute(time: number, ctx: RunContext): Promise<RDD<T>> {
    const rdds: RDD<any>[] = [];
    for (const parent of this.parents) rdds.push((await parent.getOrCompute(time, ctx)) ?? RDD.empty(ctx.session));
    return this.fn(rdds, time);
  }
}
