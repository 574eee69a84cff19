import type { Offset } from "../../connectors/source.ts";
import { StateError } from "../../common/errors.ts";
import { decodePartitions, encodePartitions } from "../batch-codec.ts";
import type { InputBatch, InputOp, InputStartContext, RunContext } from "../dstream-op.ts";
import { RDD } from "../rdd.ts";

/**
 * What every input stream shares: the scheduler assigns each batch time its input batch;
 * a time from before a restart is read back from the write-ahead log entry.
 */
export abstract class InputOpBase<T> implements InputOp<T> {
  readonly isInput = true as const;
  readonly parents = [];
  inputIndex = -1;
  abstract readonly kind: string;
  readonly #assigned = new Map<number, InputBatch<T>>();

  get name(): string {
    return this.kind;
  }

  abstract start(ctx: InputStartContext): Promise<void>;
  abstract nextBatch(time: number): Promise<InputBatch<T>>;
  abstract restore(entry: Offset): InputBatch<T>;

  async hasPendingData(): Promise<boolean> {
    return false;
  }

  async stop(): Promise<void> {}

  assign(time: number, batch: InputBatch<T>): void {
    this.#assigned.set(time, batch);
  }

  forgetUpTo(time: number): void {
    for (const t of this.#assigned.keys()) if (t <= time) this.#assigned.delete(t);
  }

  async compute(time: number, ctx: RunContext): Promise<RDD<T>> {
    let batch = this.#assigned.get(time);
    if (batch === undefined) {
      const entry = await ctx.loggedInput(time, this.inputIndex);
      if (entry === undefined) return RDD.empty(ctx.session);
      batch = this.restore(entry);
      this.#assigned.set(time, batch);
    }
    return new RDD(await batch.partitions(), ctx.session);
  }
}

/** A batch whose data is written ahead as it is (inputs that cannot read it again). */
export function dataBatch<T>(partitions: T[][]): InputBatch<T> {
  return { partitions: async () => partitions, entry: () => ({ data: encodePartitions(partitions) }) };
}

/** The batch a `{ data }` entry of the write-ahead log holds. */
export function restoreDataBatch<T>(entry: Offset, kind: string): InputBatch<T> {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry) || typeof entry.data !== "string") {
    throw new StateError(`${kind}: the write-ahead log entry ${JSON.stringify(entry).slice(0, 80)} is not this input's`);
  }
  const text = entry.data;
  return {
    partitions: async () => decodePartitions(text, kind) as T[][],
    entry: () => entry,
  };
}
