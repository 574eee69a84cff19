import type { BackgroundTask, WorkerPool } from "../../common/worker-pool.ts";
import type { Offset, ReadRequest, Source } from "../../connectors/source.ts";
import type { JsonFileTask } from "../../connectors/sources/json-file-task.ts";
import type { BatchContext } from "../exec-operator.ts";
import type { BatchValuesRead, PartialAggregateResult, PartialAggregateTask } from "../partial-aggregate-task.ts";
import { received } from "./worker-share.ts";

/** A file source that can tell the files of its next batch before it is planned (file-source.ts). */
export interface TellsNextFileTasks {
  /** The tasks of the batch that would follow `after` under the source's rules, at most `limit`; nothing is logged. */
  nextFileTasks(after: Offset, request: ReadRequest, limit: number): Promise<JsonFileTask[]>;
}

export function tellsNextFileTasks(source: Source): source is Source & TellsNextFileTasks {
  return typeof (source as Partial<TellsNextFileTasks>).nextFileTasks === "function";
}

export interface ReadAheadSpec {
  readonly pool: () => WorkerPool;
  readonly module: URL;
  /** The map side's plan through toTransferable, and the key naming it. */
  readonly plan: unknown;
  readonly planKey: string;
}

/** What a task read ahead was sent with, of the batch that sent it. */
type TaskContext = Pick<BatchContext, "watermarkMicros" | "outputMode" | "eval">;

interface Entry {
  readonly task: BackgroundTask<PartialAggregateResult>;
  /** Its result once received (key strings applied on arrival, as every worker result must be). */
  readonly result: Promise<PartialAggregateResult>;
  readonly context: TaskContext;
}

/** What reading ahead did, for tests and explain. */
export interface ReadAheadCounts {
  /** Files sent to be read ahead. */
  sent: number;
  /** …whose results a batch took. */
  used: number;
  /** …cancelled before they started, or dropped (not in the next batch, or read with a batch value that changed). */
  dropped: number;
}

/**
 * The workers' partial aggregation of the files the next batch will most likely read, done
 * while this thread finishes the current batch (its last merges, the state commit, the
 * output, the next trigger's planning): worker time and this thread's tail overlap rather
 * than add up (benchmarks/RESULTS.md, threads12). The tasks are background tasks of the
 * pool: they run only when no task of a batch waits, so they never delay the batch under way.
 *
 * A file's partial groups depend on the file, the map side's plan and the batch values a task
 * read (BatchValuesRead): the batch that takes a result read ahead checks that its own values
 * are the same, and the file is read again otherwise. Results are kept by file task (path,
 * columns, filters, schema: the whole task), one batch's worth at most, and a batch takes only
 * those of its own files — whatever files the next batch turns out to have (a file arrived in
 * between, newest first…), it folds the same partial groups of the same files in file order,
 * as it would have without reading ahead, to the last bit of a DOUBLE sum.
 */
export class ReadAhead {
  readonly #spec: ReadAheadSpec;
  readonly #entries = new Map<string, Entry>();
  readonly counts: ReadAheadCounts = { sent: 0, used: 0, dropped: 0 };

  constructor(spec: ReadAheadSpec) {
    this.#spec = spec;
  }

  /** Sends `files` to be read ahead with `context` (what the batch under way would send), dropping what was read ahead before. */
  start(files: readonly JsonFileTask[], context: TaskContext): void {
    this.drop();
    const pool = this.#spec.pool();
    for (const file of files) {
      const message: PartialAggregateTask = {
        plan: this.#spec.plan, planKey: this.#spec.planKey, file,
        watermarkMicros: context.watermarkMicros, outputMode: context.outputMode, eval: context.eval,
      };
      const task = pool.runBackground<PartialAggregateResult>(this.#spec.module, "partialAggregate", [message]);
      const result = task.result.then(received);
      result.catch(() => {}); // a dropped file's failure is nobody's; a taken one's is met by its batch
      this.#entries.set(taskKey(file), { task, result, context });
      this.counts.sent++;
    }
  }

  /**
   * A batch's files[from…] that were read ahead, by index: each a result to come, or null when
   * the batch's values differ from those the task read (the batch reads the file again).
   * Everything else read ahead is dropped: tasks not started are cancelled, results not taken
   * are left to arrive unused.
   */
  take(files: readonly JsonFileTask[], from: number, ctx: BatchContext): Map<number, Promise<PartialAggregateResult | null>> {
    const taken = new Map<number, Promise<PartialAggregateResult | null>>();
    if (this.#entries.size === 0) return taken;
    for (let i = from; i < files.length; i++) {
      const key = taskKey(files[i]!);
      const entry = this.#entries.get(key);
      if (entry === undefined || !sameFixedValues(entry.context, ctx)) continue;
      this.#entries.delete(key);
      taken.set(i, entry.result.then((r) => {
        if (usable(r.batchValuesRead, ctx)) {
          this.counts.used++;
          return r;
        }
        this.counts.dropped++;
        return null;
      }));
    }
    this.drop();
    return taken;
  }

  /** Drops everything read ahead: cancels what has not started. */
  drop(): void {
    for (const entry of this.#entries.values()) {
      entry.task.cancel();
      this.counts.dropped++;
    }
    this.#entries.clear();
  }
}

/** Tasks are plain data: equal JSON, the same read of the same file. */
function taskKey(file: JsonFileTask): string {
  // A BIGINT literal in a pushed filter beyond ±2^53 is a bigint, which JSON writes only through a replacer.
  return JSON.stringify(file, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

/** The values a task always sees: the output mode and the eval context's but its time (which `usable` checks if read). */
function sameFixedValues(sent: TaskContext, ctx: BatchContext): boolean {
  if (sent.outputMode !== ctx.outputMode) return false;
  const { batchTimestampMicros: _a, ...fixedSent } = sent.eval;
  const { batchTimestampMicros: _b, ...fixedNow } = ctx.eval;
  return JSON.stringify(fixedSent) === JSON.stringify(fixedNow);
}

/** Whether a result read with `read` is the one the batch `ctx` would make: every value it read is the batch's. */
export function usable(read: BatchValuesRead | undefined, ctx: BatchContext): boolean {
  if (read === undefined) return false;
  if (read.watermarkMicros !== undefined && !Object.is(read.watermarkMicros, ctx.watermarkMicros)) return false;
  return read.batchTimestampMicros === undefined || read.batchTimestampMicros === ctx.eval.batchTimestampMicros;
}

/** Whether a batch's result read a batch value: then reading ahead would most likely read for nothing. */
export function readBatchValues(result: PartialAggregateResult): boolean {
  const read = result.batchValuesRead;
  return read !== undefined && (read.watermarkMicros !== undefined || read.batchTimestampMicros !== undefined);
}
