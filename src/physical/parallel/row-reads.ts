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
 * and sums to the last bit, whoever decoded them. Files may be sent ahead of their fold (a
 * batch after one that did not reduce sends them all at its start); those the batch does not
 * fold this way are cancelled at its end if not started. Each file is folded as it comes (its
 * rows one batch: 40k rows at 1.24M groups, where this thread's own reading folds batches of
 * up to 2^18 rows across files; folding files that arrived together as one batch never
 * happened under load, see benchmarks/RESULTS.md, threads19).
 */
export class RowReads {
  readonly #spec: RowReadsSpec;
  #files: readonly JsonFileTask[] | null = null;
  readonly #sent = new Map<number, Sent>();

  constructor(spec: RowReadsSpec) {
    this.#spec = spec;
  }

  /** Sends the batch's files[from, to) not sent yet to the worker; `schema` is the rows' (the stages' output). */
  send(files: readonly JsonFileTask[], from: number, to: number, ctx: BatchContext, schema: StructType): void {
    if (this.#files !== files) {
      this.end();
      this.#files = files;
    }
    for (let i = from; i < to; i++) {
      if (this.#sent.has(i)) continue;
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
  }

  /** Folds files[from, to) in file order (sending those not sent yet); answers the rows folded. */
  async fold(
    files: readonly JsonFileTask[], from: number, to: number, ctx: BatchContext, schema: StructType,
    onRows: (batches: ColumnBatch[]) => void, account: (stats: FileReadStats) => void,
  ): Promise<number> {
    this.send(files, from, to, ctx, schema);
    let rows = 0;
    for (let i = from; i < to; i++) {
      const file = await this.#take(files, i);
      for (const b of file.batches) rows += b.numRows;
      onRows(file.batches);
      account(file);
    }
    return rows;
  }

  async #take(files: readonly JsonFileTask[], i: number): Promise<FileRows> {
    const sent = this.#sent.get(i)!;
    this.#sent.delete(i);
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
  }
}
