import type { WorkerPool } from "../../common/worker-pool.ts";
import { fromTransferable, toTransferable } from "../../expr/transferable.ts";
import type { PartialGroups } from "../aggregate/partial-groups.ts";
import type { PartitionGroupsSpec, PartitionOutput } from "./partition-groups.ts";

/** The module the owning worker runs the partition's tasks from (TypeScript from sources, JavaScript when built). */
const TASK_MODULE = new URL(`./partition-owner-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

let opened = 0;

/**
 * A partition of an aggregation's groups kept by one worker of a pool (partition-groups.ts),
 * seen from the thread that drives the batches: every call is a task pinned to that worker,
 * so the partition's merges run in the order they are sent, while this thread does its own.
 */
export class RemotePartition {
  readonly #pool: WorkerPool;
  readonly #worker: number;
  readonly #id: string;

  private constructor(pool: WorkerPool, worker: number, id: string) {
    this.#pool = pool;
    this.#worker = worker;
    this.#id = id;
  }

  /** Opens an empty partition in worker `worker` of `pool`. */
  static async open(pool: WorkerPool, worker: number, spec: PartitionGroupsSpec): Promise<RemotePartition> {
    const id = `${process.pid}:${opened++}`;
    await pool.runOn(worker, TASK_MODULE, "openPartition", [id, toTransferable(spec)]);
    return new RemotePartition(pool, worker, id);
  }

  #run<T>(exportName: string, ...args: unknown[]): Promise<T> {
    return this.#pool.runOn<T>(this.#worker, TASK_MODULE, exportName, [this.#id, ...args]);
  }

  beginBatch(): Promise<null> {
    return this.#run("beginPartitionBatch");
  }

  /** Sends partial groups of this partition, to be merged in this order (after those sent before); answers its number of groups. */
  merge(partials: readonly PartialGroups[]): Promise<number> {
    return this.#run("mergeIntoPartition", partials);
  }

  async output(which: "changed" | "all"): Promise<PartitionOutput> {
    return fromTransferable<PartitionOutput>(await this.#run<unknown>("partitionOutput", which));
  }

  /** Drops the partition's groups in the worker. */
  close(): Promise<boolean> {
    return this.#run("closePartition");
  }
}
