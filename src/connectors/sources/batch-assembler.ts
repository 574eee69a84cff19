import type { RecordBatch } from "apache-arrow";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { StructType } from "../../types/data-types.ts";

/** Rows per Arrow batch a source hands out: large enough for tight kernels, small enough to stream. */
export const DEFAULT_BATCH_ROWS = 1 << 18;
/** Builders start this large: a file of 100k lines then grows each column once, not five times. */
const INITIAL_ROWS = 1 << 16;

/**
 * Decoders append one value per column into `builders` and then call `rowDone()`; every
 * `maxRows` rows the builders become one RecordBatch of `schema`.
 */
export class BatchAssembler {
  builders: VecBuilder[];
  #rows = 0;
  readonly #batches: ColumnBatch[] = [];

  constructor(readonly schema: StructType, readonly maxRows = DEFAULT_BATCH_ROWS) {
    this.builders = this.#fresh();
  }

  /** Rows the next builders start with: INITIAL_ROWS, and a whole batch once one batch has filled. */
  #capacity = INITIAL_ROWS;

  #fresh(): VecBuilder[] {
    return this.schema.fields.map((f) => new VecBuilder(f.dataType, Math.min(this.maxRows, this.#capacity)));
  }

  /** Rows the batch being filled takes before rowDone() cuts it. */
  get rowsLeft(): number {
    return this.maxRows - this.#rows;
  }

  rowDone(): void {
    if (++this.#rows >= this.maxRows) this.flush();
  }

  /** Whole batches of `schema` (a columnar format's), after the rows appended so far. */
  appendBatches(batches: readonly ColumnBatch[]): void {
    this.flush();
    for (const b of batches) if (b.numRows > 0) this.#batches.push(b.withSchema(this.schema));
  }

  flush(): void {
    if (this.#rows === 0) return;
    const columns = this.builders.map((b) => b.finish());
    this.#batches.push(new ColumnBatch(this.schema, columns, this.#rows));
    // A batch that filled up says more will: the next starts whole rather than growing to it.
    if (this.#rows >= this.maxRows) this.#capacity = this.maxRows;
    this.builders = this.#fresh();
    this.#rows = 0;
  }

  /** All batches so far as Arrow; at least one (possibly empty) so that the schema travels. */
  finish(): RecordBatch[] {
    return this.finishColumns().map(toRecordBatch);
  }

  /** The batches filled so far (the one being filled stays), as the engine's column batches. */
  takeFilled(): ColumnBatch[] {
    return this.#batches.splice(0);
  }

  /** All batches so far, at least one, as the engine's column batches (no Arrow conversion). */
  finishColumns(): ColumnBatch[] {
    this.flush();
    if (this.#batches.length === 0) this.#batches.push(ColumnBatch.empty(this.schema));
    return this.#batches.splice(0);
  }
}
