import type { RecordBatch } from "apache-arrow";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { StructType } from "../../types/data-types.ts";
import type { Offset, Source, SourceContext, SourceProvider } from "../source.ts";

/**
 * Rows added in memory, batch by batch (Spark's MemoryStream): offset n means "the first
 * n + 1 added batches". The data outlives query runs, so a restarted query replays the
 * same ranges.
 */
export class MemorySourceData implements SourceProvider {
  readonly format = "memory";
  readonly supportsBatch = true;
  readonly #batches: ColumnBatch[] = [];

  constructor(readonly schema: StructType, readonly name: string) {}

  get details(): string {
    return this.name;
  }

  /** Appends a batch; returns its offset. */
  add(batch: ColumnBatch): number {
    this.#batches.push(batch);
    return this.#batches.length - 1;
  }

  get latest(): number {
    return this.#batches.length - 1;
  }

  slice(startExclusive: number, endInclusive: number): ColumnBatch[] {
    return this.#batches.slice(startExclusive + 1, endInclusive + 1);
  }

  createSource(_context: SourceContext): Source {
    return new MemorySource(this);
  }
}

class MemorySource implements Source {
  constructor(readonly data: MemorySourceData) {}

  get schema(): StructType {
    return this.data.schema;
  }

  get description(): string {
    return `MemoryStream[${this.data.schema.fieldNames.join(",")}]`;
  }

  async latestOffset(): Promise<Offset | null> {
    return this.data.latest < 0 ? null : this.data.latest;
  }

  async getBatch(start: Offset | null, end: Offset): Promise<RecordBatch[]> {
    return this.data.slice(start === null ? -1 : (start as number), end as number).map(toRecordBatch);
  }

  async stop(): Promise<void> {}
}
