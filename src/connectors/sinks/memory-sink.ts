import type { Table } from "apache-arrow";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { ColumnarSink, OutputMode, SinkContext, SinkFactory } from "../sink.ts";
import { toArrowTable } from "../../columnar/arrow-convert.ts";
import { detachedBatch } from "./memory-batches.ts";
import { tableToBatches } from "./sink-input.ts";

interface AddedData {
  readonly batchId: number;
  /**
   * A complete-mode result may come in chunks (an aggregation's kept chunks, emitted again
   * unchanged when untouched): kept as they are; a reader joins them (concat.ts copies the
   * codes of string columns over one growing dictionary) or reads them one by one.
   */
  readonly batches: readonly ColumnBatch[];
}

/**
 * Spark's MemorySink: keeps the result in memory, batch by batch, for tests and
 * `format("memory")` tables. Append and update modes add every emitted row; complete
 * mode replaces the table with the batch. A batch id at or below the last one taken is
 * a replay and changes nothing.
 */
export class MemorySink implements ColumnarSink {
  readonly description = "MemorySink";
  readonly #added: AddedData[] = [];
  #lastBatchRows = 0;

  constructor(readonly schema: StructType) {}

  /** The id of the last batch taken; null before the first (and after clear(), as in Spark). */
  get lastBatchId(): number | null {
    return this.#added.length === 0 ? null : this.#added[this.#added.length - 1]!.batchId;
  }

  get lastBatchRows(): number {
    return this.#lastBatchRows;
  }

  /** Rows currently held. */
  get numRows(): number {
    let n = 0;
    for (const a of this.#added) for (const b of a.batches) n += b.numRows;
    return n;
  }

  async addBatch(batchId: number, data: Table, outputMode: OutputMode): Promise<void> {
    const last = this.lastBatchId;
    if (last !== null && batchId <= last) return;
    this.#take(batchId, tableToBatches(data, this.schema), outputMode);
  }

  /**
   * The query's columns as they are, without the round trip through Arrow (a complete-mode
   * aggregation hands over every group each trigger): copied unless Arrow must copy them.
   */
  async addColumnBatches(batchId: number, data: readonly ColumnBatch[], outputMode: OutputMode): Promise<void> {
    const last = this.lastBatchId;
    if (last !== null && batchId <= last) return;
    const owned: ColumnBatch[] = [];
    for (const b of data) {
      if (b.numRows === 0) continue;
      const copy = detachedBatch(b.withSchema(this.schema));
      owned.push(...(copy !== null ? [copy] : tableToBatches(toArrowTable(this.schema, [b.withSchema(this.schema)]), this.schema)));
    }
    this.#take(batchId, owned, outputMode);
  }

  #take(batchId: number, taken: readonly ColumnBatch[], outputMode: OutputMode): void {
    const batches = taken.filter((b) => b.numRows > 0);
    this.#lastBatchRows = batches.reduce((n, b) => n + b.numRows, 0);
    if (outputMode === "complete") this.#added.length = 0;
    this.#added.push({ batchId, batches });
  }

  /** The held result, in batch order. */
  batches(): ColumnBatch[] {
    return this.#added.flatMap((a) => a.batches);
  }

  /** Rows of the last batch taken (empty before the first). */
  lastBatch(): ColumnBatch[] {
    const last = this.#added[this.#added.length - 1];
    return last === undefined ? [] : [...last.batches];
  }

  clear(): void {
    this.#added.length = 0;
    this.#lastBatchRows = 0;
  }

  toString(): string {
    return `MemorySink[${this.schema.simpleString()}, ${this.numRows} rows]`;
  }
}

export const memorySinkFactory: SinkFactory = (context: SinkContext) => new MemorySink(context.schema);
