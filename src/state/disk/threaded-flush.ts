import { SMALL_RUN_BITS_PER_KEY } from "./bloom-filter.ts";
import { ThreadTask } from "./background-threads.ts";
import type { Memtable } from "./memtable.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";

/**
 * A sealed memtable written out as a run file by the flush thread (background-threads.ts,
 * flush-task.ts) instead of in steps on the engine's thread (memtable-flush.ts, which it
 * stands in for): the engine goes on with the next versions meanwhile, and asks `step`
 * whenever it would have written a share of the flush. The memtable must not change
 * until the flush is done; its arena must be all shared (Memtable.flushInput).
 */
/**
 * The arrays a flush thread fills (flush-task.ts), on shared memory, kept by the engine from
 * one flush to the next: shared memory is freed only once both threads' garbage collectors
 * let go of it, and the flush thread's seldom runs.
 */
export class FlushScratch {
  writtenH1: Uint32Array = new Uint32Array(0);
  writtenH2: Uint32Array = new Uint32Array(0);
  order: Int32Array = new Int32Array(0);

  /** Room for `keys` keys. */
  reserve(keys: number): void {
    if (this.order.length >= keys) return;
    const n = Math.max(keys, this.order.length * 2, 1024);
    this.writtenH1 = new Uint32Array(new SharedArrayBuffer(4 * n));
    this.writtenH2 = new Uint32Array(new SharedArrayBuffer(4 * n));
    this.order = new Int32Array(new SharedArrayBuffer(4 * n));
  }
}

export class ThreadedFlush {
  readonly #task: ThreadTask;
  readonly #writtenH1: Uint32Array;
  readonly #writtenH2: Uint32Array;

  /** `dropRemovals`: no run is older, so removals need not be written; `keys`: gets every key written, once the run is done. */
  constructor(
    readonly mem: Memtable, readonly dropRemovals: boolean, readonly path: string, readonly name: string, readonly keys: RunsKeyFilter, scratch: FlushScratch,
  ) {
    const input = mem.flushInput()!;
    scratch.reserve(input.keys);
    const { writtenH1, writtenH2, order } = scratch;
    this.#writtenH1 = writtenH1;
    this.#writtenH2 = writtenH2;
    this.#task = new ThreadTask({ lane: "flush", task: { ...input, path, bitsPerKey: SMALL_RUN_BITS_PER_KEY, dropRemovals, writtenH1, writtenH2, order } });
  }

  /** Whether `step` would finish the flush now without waiting for the thread. */
  get ready(): boolean {
    return this.#task.done;
  }

  /**
   * True when the run file is finished (its keys then added to the filter of the runs' keys):
   * at once if the thread is done; with an infinite budget (the run is needed now), after
   * waiting for it; else false.
   */
  step(budgetBytes: number): boolean {
    if (!this.#task.done && budgetBytes !== Infinity) return false;
    const written = this.#task.wait();
    const keys = this.keys;
    keys.reserve(written);
    const h1 = this.#writtenH1;
    const h2 = this.#writtenH2;
    for (let i = 0; i < written; i++) keys.add(h1[i]!, h2[i]!);
    return true;
  }

  /** Gives up the flush (the engine is closed): waits for the thread to leave the file, whose directory the caller deletes. */
  abandon(): void {
    try {
      this.#task.wait();
    } catch {
      // The flush failed: nothing of it is used.
    }
  }
}
