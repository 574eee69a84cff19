import { WorkerTaskError, type WorkerPool } from "../../common/worker-pool.ts";
import { fileTaskError, type JsonFileTask } from "../../connectors/sources/json-file-task.ts";
import type { BatchContext } from "../exec-operator.ts";
import type { PartialAggregateResult, PartialAggregateTask } from "../partial-aggregate-task.ts";
import { receiveKeyStrings } from "../partial-key-strings.ts";
import type { PartialProbe } from "./partial-probe.ts";

/**
 * When the workers start, while the batch's probe has not answered. It depends on earlier
 * batches — only when the workers start, never which files are merged.
 */
export type WorkerStart =
  /** After a batch that reduced: two files a worker at once from the start (this thread reads no file first, or its first uncounted yet). */
  | "ahead"
  /**
   * The first batch, or after one that did not reduce: none until this thread's first file is
   * counted (then one a worker until the probe answers). Files sent ahead of a "does not
   * reduce" are lost work on the other cores, and with many groups that is the likely answer.
   */
  | "after the probe";

export interface WorkerShareSpec {
  /** The workers' pool, created at the first file sent (a batch read here alone starts no thread). */
  readonly pool: () => WorkerPool;
  /** How many workers the pool has. */
  readonly workers: number;
  readonly module: URL;
  /** The map side's plan through toTransferable, and the key naming it. */
  readonly plan: unknown;
  readonly planKey: string;
  readonly files: readonly JsonFileTask[];
  /** The workers' files are files[from…] (those before are this thread's). */
  readonly from: number;
  readonly ctx: BatchContext;
  readonly probe: PartialProbe;
  readonly start: WorkerStart;
  /**
   * Files already under way, read ahead of the batch (read-ahead.ts), by index: their results
   * (null: not usable, read the file again) stand in for a task of their own.
   */
  readonly adopted?: ReadonlyMap<number, Promise<PartialAggregateResult | null>>;
  /** Called once, when every file of the workers' share is sent (their work for this batch is all queued) and the probe has answered. */
  readonly allSent?: () => void;
}

/**
 * A worker's result as this thread uses it: call it on every result, in the order they
 * arrive (a worker's key dictionaries grow with each, partial-key-strings.ts).
 */
export function received(sent: PartialAggregateResult): PartialAggregateResult {
  if (sent.keyStrings === undefined) return sent;
  return { ...sent, groups: { ...sent.groups, keys: receiveKeyStrings(sent.groups.keys, sent.keyStrings) } };
}

/** The workers' share of a batch's files, under way. */
export interface WorkerShare {
  /**
   * This thread's own files are counted into the probe: if it answered "does not reduce", the
   * workers' files end where theirs begin (this thread reads them); otherwise the workers'
   * files count on, in file order, until it answers.
   */
  ownCounted(): void;
  /** Merges the workers' partial groups in file order; answers where the merged files end. */
  drain(merge: (result: PartialAggregateResult) => void): Promise<number>;
  /** Starts no more files and waits for those running. */
  stop(): Promise<void>;
}

/**
 * Partial aggregation of files[from…] in the workers (at most two tasks a worker at a time:
 * sent ahead, a worker starts its next file without waiting for this thread). Results are
 * counted into the batch's probe in file order as they come, after this thread's own files
 * (ownCounted); once it says partial aggregation does not reduce (after file d), the workers'
 * files end at d: results of files past it (sent ahead, or arrived out of order) are dropped
 * and this thread reads those files. So the files the workers' groups come from depend only
 * on the batch's files. Results wait until `drain` merges them in file order, each as soon as
 * those before it are; it does not wait for files past the end (their results are dropped).
 */
export function startWorkerShare(spec: WorkerShareSpec): WorkerShare {
  const { module, files, from, ctx, probe, workers } = spec;
  const ahead = 2 * workers;
  const done: (PartialAggregateResult | undefined)[] = new Array(files.length);
  /** Where the workers' files end: all of them until the probe says stop. */
  let end = files.length;
  /** Whether this thread's files are counted: the workers' files count after them. */
  let ownCounted = false;
  let probeAt = from;
  const answered = (): void => {
    // The files after the last one counted are this thread's; results of any already sent are dropped.
    if (probe.reduces === false) end = Math.min(end, probeAt);
  };
  const probeReady = (): void => {
    while (ownCounted && probe.reduces === null && probeAt < end && done[probeAt] !== undefined) {
      const result = done[probeAt++]!;
      if (probe.count(result.inputRows, result.groups.count)) answered();
    }
  };
  /** How many files the workers may have at once now. */
  const room = (): number => {
    if (probe.reduces !== null || spec.start === "ahead") return ahead;
    return ownCounted ? workers : 0;
  };
  let next = from;
  let merging: ((result: PartialAggregateResult) => void) | null = null;
  let mergeFailure: Error | null = null;
  const mergeReady = (): void => {
    if (merging === null || mergeFailure !== null) return;
    try {
      while (next < end && done[next] !== undefined) {
        const result = done[next]!;
        done[next++] = undefined; // released once merged
        merging(result);
      }
    } catch (e) {
      mergeFailure = e as Error;
    }
  };
  let started = from;
  let stopped = false;
  let workerTasks = 0;
  /** The files being read by the workers. */
  const running = new Set<number>();
  const failures: { index: number; error: Error }[] = [];
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => { finished = resolve; });
  const settle = (): void => {
    // After a failure or stop, nothing outlives the batch; otherwise files past `end` are not waited for.
    if (failures.length > 0 || mergeFailure !== null || stopped) {
      if (running.size === 0) finished();
    } else if (started >= end && ![...running].some((i) => i < end)) finished();
  };
  const arrived = (i: number, result: PartialAggregateResult): void => {
    running.delete(i);
    if (i >= end) return; // past where the probe stopped the workers: this thread reads the file
    done[i] = result;
    probeReady();
    launch(); // the next file starts before this thread merges
    mergeReady();
  };
  const failed = (i: number, e: unknown): void => {
    running.delete(i);
    if (i < end) failures.push({ index: i, error: e as Error });
  };
  const send = (i: number): Promise<PartialAggregateResult> => {
    const task: PartialAggregateTask = {
      plan: spec.plan, planKey: spec.planKey, file: files[i]!,
      watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
    };
    // Every result of a worker, in the order they arrive, brings its key dictionaries up to date.
    return spec.pool().run<PartialAggregateResult>(module, "partialAggregate", [task]).then(received);
  };
  let allSent = false;
  const launch = (): void => {
    while (started < end && failures.length === 0 && mergeFailure === null && !stopped && workerTasks < room()) {
      const i = started++;
      running.add(i);
      workerTasks++;
      const adopted = spec.adopted?.get(i);
      // A file read ahead whose result is not the batch's is read again; its failure is the file's.
      const result = adopted === undefined ? send(i) : adopted.then((r) => r ?? send(i));
      result.then((r) => {
        workerTasks--;
        arrived(i, r);
      }, (e: unknown) => {
        workerTasks--;
        failed(i, e);
      }).finally(settle);
    }
    if (!allSent && started >= end && probe.reduces !== null && failures.length === 0 && !stopped) {
      allSent = true;
      spec.allSent?.();
    }
  };
  launch();
  return {
    ownCounted: () => {
      ownCounted = true;
      answered();
      probeReady();
      launch();
      mergeReady();
      settle();
    },
    stop: async () => {
      stopped = true;
      settle();
      await allDone;
    },
    drain: async (merge) => {
      merging = merge;
      mergeReady();
      settle();
      await allDone;
      if (mergeFailure !== null) throw mergeFailure;
      // Failures in files past where the probe stopped the workers are this thread's to meet again.
      const failed = failures.filter((f) => f.index < end);
      if (failed.length > 0) {
        // The first failed file in file order, as a serial read would report.
        const { index, error } = failed.reduce((a, b) => (b.index < a.index ? b : a));
        if (!(error instanceof WorkerTaskError)) throw error;
        throw fileTaskError(files[index]!.path, error);
      }
      // All of [from, end) unless a failure past `end` stopped the workers early: this thread reads the rest.
      return next;
    },
  };
}
