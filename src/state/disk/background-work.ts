import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { RunEngine } from "./run-engine.ts";

/**
 * Bytes of run one slice writes: about a millisecond of flushing or merging (less on a quiet
 * machine), so that a slice delays whatever becomes ready meanwhile (an fsync's completion,
 * the next file's bytes) by no more.
 */
export const SLICE_BYTES = 256 * 1024;
/**
 * Flushing done ahead of the commits' pacing, at most: a sealed memtable must be out before
 * the next one is sealed anyway, so slices may write it all (a memtable is at most an eighth
 * of the budget, 32 MiB at the default).
 */
const MAX_FLUSH_AHEAD_BYTES = 64 * 1024 * 1024;
/**
 * Merging done ahead of the commits' pacing, at most (about two commits' share at 50k new
 * keys a batch): merges are paced to keep up, not to finish early, and work far ahead is
 * work a query that stops never needed (its merge in progress is dropped at close).
 */
export const MAX_COMPACT_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * The engine's background work — writing a sealed memtable out, reading a restart's runs
 * into the key filter, merging runs — done in slices while the thread would otherwise
 * wait (RocksDB does it in background threads; here it fills the main thread's idle
 * time): while a commit waits for its changelog's fsync, and between commits, one slice a
 * turn of the event loop (its check phase: mostly while the executor waits for the fsyncs
 * of its offset and commit logs), whenever the provider allows it (`canRun`: no store open
 * on the version, which may be iterating the runs). The commits still pace the work as before
 * (commit-pacing.ts), less what slices did since (the credit), so that the work keeps up
 * whether or not the thread had idle time. Durability is untouched: nothing here is part
 * of a version (run files enter the checkpoint only through a manifest a commit writes).
 */
export class BackgroundWork {
  #flushCredit = 0;
  #compactCredit = 0;
  #scheduled = false;
  #stopped = false;
  /** Milliseconds of slices run while a commit waited for its changelog, and between commits, since takeMs. */
  #waitingMs = 0;
  #betweenMs = 0;

  /**
   * `onFlushed`: a slice finished writing a sealed memtable out (called right after it, before
   * any other work); `onFailure`: a slice between commits threw (the working copy is suspect);
   * `maxCompactAheadBytes`: how far slices may merge ahead of the commits.
   */
  constructor(
    readonly engine: RunEngine,
    readonly canRun: () => boolean,
    readonly onFlushed: () => void,
    readonly onFailure: (error: unknown) => void,
    readonly maxCompactAheadBytes = MAX_COMPACT_AHEAD_BYTES,
  ) {}

  /**
   * A commit's paced share (flushBytes of flushing, compactBytes of merging), less the
   * slices' credit: true when it finished a sealed memtable's flush.
   */
  paced(flushBytes: number, compactBytes: number): boolean {
    const engine = this.engine;
    let flushDone = false;
    const flush = flushBytes - this.#flushCredit;
    this.#flushCredit = Math.max(0, -flush);
    if (flush > 0) flushDone = engine.flushStep(flush);
    const compact = compactBytes - this.#compactCredit;
    this.#compactCredit = Math.max(0, -compact);
    if (compact > 0) engine.compact(compact);
    return flushDone;
  }

  /** Slices until `done()` (checked after each, the event loop turned between) or no work is left. */
  async whileWaiting(done: () => boolean): Promise<void> {
    while (!this.#stopped && !done() && this.#hasWork()) {
      const started = performance.now();
      this.#slice();
      this.#waitingMs += performance.now() - started;
      await yieldToLoop();
    }
  }

  /** Slices between commits, one per turn of the event loop, while canRun() and work is left. */
  schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    // unref: background work never keeps the process alive; a later commit does what is left.
    setImmediate(() => this.#next()).unref();
  }

  /** The milliseconds of slices since the last call: while a commit waited for its changelog, and between commits. */
  takeMs(): { waiting: number; between: number } {
    const taken = { waiting: this.#waitingMs, between: this.#betweenMs };
    this.#waitingMs = 0;
    this.#betweenMs = 0;
    return taken;
  }

  /** No more slices (the engine is closed or dropped). */
  stop(): void {
    this.#stopped = true;
  }

  #next(): void {
    this.#scheduled = false;
    if (this.#stopped || !this.canRun() || !this.#hasWork()) return;
    const started = performance.now();
    try {
      this.#slice();
      this.#betweenMs += performance.now() - started;
    } catch (error) {
      this.stop();
      this.onFailure(error);
      return;
    }
    this.schedule();
  }

  /** Whether a slice has something to do: a flush, or a merge (or backlog), not already too far ahead of the commits. */
  #hasWork(): boolean {
    return this.#canFlush() || this.#canCompact();
  }

  #canFlush(): boolean {
    return this.engine.flushStepReady && this.#flushCredit < MAX_FLUSH_AHEAD_BYTES;
  }

  #canCompact(): boolean {
    return this.#compactCredit < this.maxCompactAheadBytes && this.engine.hasCompactionWork;
  }

  #slice(): void {
    const engine = this.engine;
    if (this.#canFlush()) {
      this.#flushCredit += SLICE_BYTES;
      if (engine.flushStep(SLICE_BYTES)) this.onFlushed();
    } else {
      this.#compactCredit += SLICE_BYTES;
      engine.compact(SLICE_BYTES);
    }
  }
}
