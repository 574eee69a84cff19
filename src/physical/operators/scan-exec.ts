import { ColumnBatch } from "../../columnar/column-batch.ts";
import { fromRecordBatch } from "../../columnar/arrow-convert.ts";
import type { RuntimeConfig } from "../../common/config.ts";
import type { ReadRequest, Source, SourcePredicate, SourceProvider } from "../../connectors/source.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";

/**
 * Reads a source. A streaming scan gets each micro-batch's rows from the executor (which
 * owns offsets); a bounded scan (batch queries, the static side of a stream–static join)
 * reads all of its source, once for the run unless the source's answer can change between
 * reads (a JDBC table): that one is read again at every execution, i.e. every micro-batch.
 */
export class ScanExec implements ExecOperator {
  readonly name = "Scan";
  readonly children: readonly ExecOperator[] = [];
  #cached: ColumnBatch[] | null = null;
  /** A re-read source stays open between reads (its connection pool), until close(). */
  #open: Source | null = null;

  constructor(
    readonly source: SourceProvider,
    readonly scanIndex: number,
    readonly streaming: boolean,
    /** Source-schema indices to read, in output order. */
    readonly columns: readonly number[],
    readonly schema: StructType,
    readonly conf: RuntimeConfig,
    /** Handed to the source with the columns; the Filter above still checks them. */
    readonly pushedFilters: readonly SourcePredicate[] = [],
  ) {}

  describe(): string {
    const cols = this.schema.fieldNames.join(", ");
    return `${this.streaming ? "StreamingScan" : "Scan"} ${this.source.format}${this.source.details ? ` ${this.source.details}` : ""} [${cols}]`;
  }

  /** A bounded source whose answer can change between reads: read at every execution. */
  get rereads(): boolean {
    return !this.streaming && this.source.changesBetweenReads === true;
  }

  get requiredColumns(): string[] {
    return this.columns.map((i) => this.source.schema.fields[i]!.name);
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const batches = this.streaming ? (ctx.sourceData.get(this.scanIndex) ?? []) : await this.#readAll();
    return batches.map((b) => this.#prune(b));
  }

  #prune(b: ColumnBatch): ColumnBatch {
    if (this.columns.length === b.columns.length && this.columns.every((c, i) => c === i)) return b.withSchema(this.schema);
    // Sources that honour the read request return only the required columns already.
    if (b.columns.length === this.columns.length) return b.withSchema(this.schema);
    return new ColumnBatch(this.schema, this.columns.map((c) => b.columns[c]!), b.numRows);
  }

  async #readAll(): Promise<ColumnBatch[]> {
    if (this.#cached) return this.#cached;
    if (!this.rereads) {
      const source = this.#createSource();
      try {
        return (this.#cached = await this.#read(source));
      } finally {
        await source.stop();
      }
    }
    this.#open ??= this.#createSource();
    return this.#read(this.#open);
  }

  /** Stops a source kept open for re-reads (the query ended). */
  async close(): Promise<void> {
    const source = this.#open;
    this.#open = null;
    await source?.stop();
  }

  #createSource(): Source {
    return this.source.createSource({ metadataPath: null, conf: this.conf, bounded: true });
  }

  async #read(source: Source): Promise<ColumnBatch[]> {
    const end = await source.latestOffset(null);
    if (end === null) return [];
    const rbs = await source.getBatch(null, end, this.#readRequest());
    return rbs.map((rb) => fromRecordBatch(rb, this.#arrivingSchema(rb.numCols)));
  }

  #readRequest(): ReadRequest {
    const columns = this.requiredColumns;
    return this.pushedFilters.length > 0 ? { columns, filters: this.pushedFilters } : { columns };
  }

  /** The schema of batches a source returns for this scan's read request. */
  #arrivingSchema(numCols: number): StructType {
    return numCols === this.source.schema.fields.length ? this.source.schema : this.schema;
  }
}
