import type { DStream } from "../dstream.ts";
import type { RunContext } from "../dstream-op.ts";
import type { RDD } from "../rdd.ts";

/**
 * An output operation (Spark's ForEachDStream): at each batch time its stream has a
 * batch for, the function runs with it. print, saveAsTextFiles and foreachRDD are all
 * this. Outputs run one after another in the order they were defined.
 */
export class OutputOperation<T> {
  constructor(
    readonly name: string,
    readonly parent: DStream<T>,
    readonly fn: (rdd: RDD<T>, time: number) => void | Promise<void>,
  ) {}

  async run(time: number, ctx: RunContext): Promise<void> {
    const rdd = await this.parent.getOrCompute(time, ctx);
    if (rdd !== undefined) await this.fn(rdd, time);
  }
}
