import type { DStream } from "../dstream.ts";
import type { DStreamOp, RunContext } from "../dstream-op.ts";
import { RDD } from "../rdd.ts";

/**
 * Spark's WindowedDStream: at each slide, the union of the parent's batches in the
 * window (time − window, time]. Batches before the first one count as empty.
 */
export class WindowOp<T> implements DStreamOp<T> {
  readonly name = "window";
  readonly parents: readonly DStream<T>[];

  constructor(readonly parent: DStream<T>, readonly windowMs: number) {
    this.parents = [parent];
  }

  parentRememberMs(rememberMs: number): number {
    return rememberMs + this.windowMs;
  }

  async compute(time: number, ctx: RunContext): Promise<RDD<T>> {
    const step = this.parent.slideDuration;
    const parts: RDD<T>[] = [];
    for (let t = time - this.windowMs + step; t <= time; t += step) {
      if (t <= ctx.zeroTime) continue;
      const rdd = await this.parent.getOrCompute(t, ctx);
      if (rdd !== undefined) parts.push(rdd);
    }
    return parts.length === 0 ? RDD.empty(ctx.session) : parts[0]!.union(...parts.slice(1));
  }
}
