import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { WorkerTaskError, type BackgroundTask, type WorkerPool } from "../../common/worker-pool.ts";
import { fileTaskError, type JsonFileTask } from "../../connectors/sources/json-file-task.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext } from "../exec-operator.ts";
import type { FileReadStats, PartialAggregateTask, ShippedFileRows } from "../partial-aggregate-task.ts";
import { receiveRows } from "./shipped-rows.ts";

export interface RowReadsSpec {
  /** A pool of one worker: every file's strings then come from one list per column (shipped-rows.ts). */
  readonly pool: () => WorkerPool;
  readonly module: URL;
  /** The map side's plan through toTransferable, and the key naming it. */
  readonly plan: unknown;
  readonly planKey: string;
}

/** Files sent to the worker and not folded yet, at most: their decoded rows wait in memory for the fold. */
const FILES_AHEAD = 4;

type FileRows = FileReadStats & { readonly batches: ColumnBatch[] };

interface Sent {
  readonly task: BackgroundTask<ShippedFileRows>;
  readonly rows: Promise<FileRows>;
}

/**
 * A batch's files decoded by a worker and folded here as rows, in file order: for the
 * batches whose partial aggregation does not reduce, the second thread decodes (about
 * half of one thread's work at 1.24M groups) while this one folds every row into the groups,
 * each row once, as one thread would — the same rows in the same order, so the same groups
 * and sums to the last bit, whoever decoded them. Files may be asked for ahead of their fold
 * (a batch after one that did not reduce asks for them all at its start), and go to the worker
 * FILES_AHEAD at a time; those the batch does not fold this way are cancelled at its end if not started. Each file is folded as it comes (its
 * rows one batch: 40k rows at 1.24M groups, where this thread's own reading folds batches of
 * up to 2^18 rows across files; folding files that arrived together as one batch never
 * happened under load, see benchmarks/RESULTS.md, threads19).
 */
export class RowReads {
  readonly #spec: RowReadsSpec;
  #files: readonly JsonFileTask[] | null = null;
  readonly #sent = new Map<number, Sent>();
  /** The files wanted are [#next, #wantTo): sent as the window allows. */
  #next = 0;
  #wantTo = 0;
  #batch: { ctx: BatchContext; schema: StructType } | null = null;

  constructor(spec: RowReadsSpec) {
    this.#spec = spec;
  }

  /**
   * Asks for the batch's files[from, to) (`schema`: the rows', the stages' output): sent to the
   * worker in file order, at most FILES_AHEAD not yet folded at a time, so that a batch of many
   * files (a backlog) never holds more than a few files' rows decoded ahead of the fold.
   */
  send(files: readonly JsonFileTask[], from: number, to: number, ctx: BatchContext, schema: StructType): void {
    if (this.#files !== files) {
      this.end();
      this.#files = files;
      this.#next = from;
      this.#wantTo = to;
    } else {
      this.#next = Math.max(this.#next, from);
      this.#wantTo = Math.max(this.#wantTo, to);
    }
    this.#batch = { ctx, schema };
    this.#topUp();
  }

  #topUp(): void {
    const files = this.#files, batch = this.#batch;
    if (files === null || batch === null) return;
    for (; this.#sent.size < FILES_AHEAD && this.#next < this.#wantTo; this.#next++) {
      if (!this.#sent.has(this.#next)) this.#sendOne(files, this.#next, batch.ctx, batch.schema);
    }
  }

  #sendOne(files: readonly JsonFileTask[], i: number, ctx: BatchContext, schema: StructType): void {
    const message: PartialAggregateTask = {
      plan: this.#spec.plan, planKey: this.#spec.planKey, file: files[i]!,
      watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
    };
    // Background tasks, so that those the batch ends up not folding can be cancelled.
    const task = this.#spec.pool().runBackground<ShippedFileRows>(this.#spec.module, "stageRows", [message]);
    // Every message's strings are received as it arrives, folded or not: the lists stay the worker's.
    const rows = task.result.then((m) => ({ ...m, batches: receiveRows(schema, m.strings, m.batches) }));
    rows.catch(() => {}); // a file not folded fails nobody; a folded one's failure is met in fold
    this.#sent.set(i, { task, rows });
  }

  /** Folds files[from, to) in file order (sending those not sent yet); answers the rows folded. */
  async fold(
    files: readonly JsonFileTask[], from: number, to: number, ctx: BatchContext, schema: StructType,
    onRows: (batches: ColumnBatch[]) => void, account: (stats: FileReadStats) => void,
  ): Promise<number> {
    this.send(files, from, to, ctx, schema);
    let rows = 0;
    for (let i = from; i < to; i++) {
      const file = await this.#take(files, i, ctx, schema);
      for (const b of file.batches) rows += b.numRows;
      onRows(file.batches);
      account(file);
    }
    return rows;
  }

  async #take(files: readonly JsonFileTask[], i: number, ctx: BatchContext, schema: StructType): Promise<FileRows> {
    if (!this.#sent.has(i)) this.#sendOne(files, i, ctx, schema);
    const sent = this.#sent.get(i)!;
    this.#sent.delete(i);
    this.#topUp();
    try {
      return await sent.rows;
    } catch (e) {
      throw e instanceof WorkerTaskError ? fileTaskError(files[i]!.path, e) : e;
    }
  }

  /** The batch ends: files sent and not folded are cancelled if they have not started. */
  end(): void {
    for (const sent of this.#sent.values()) sent.task.cancel();
    this.#sent.clear();
    this.#files = null;
    this.#batch = null;
    this.#next = this.#wantTo = 0;
  }
}
