import { join } from "node:path";
import { ColumnBatch } from "../columnar/column-batch.ts";
import { writeFileAtomic } from "../common/atomic-file.ts";
import { encodeJsonLines } from "../connectors/sinks/json-writer.ts";
import type { LateRowSink } from "../physical/exec-operator.ts";
import { StringType, StructType } from "../types/data-types.ts";
import { eventTimeString } from "./progress.ts";

/**
 * Keeps the rows stateful operators drop as late (rivulet's answer to Spark's silent
 * drop): one JSON-lines file per micro-batch, `batch-<batchId>.json`, each row with its
 * columns plus `_watermark` and `_operator`. The file is written whole and atomically
 * before the batch commits, so a batch re-run after a crash rewrites it, never appends.
 */
export class LateRowsWriter implements LateRowSink {
  #pending: { operator: string; rows: ColumnBatch; watermark: number }[] = [];

  constructor(readonly dir: string) {}

  add(operator: string, rows: ColumnBatch, watermarkMicros: number): void {
    if (rows.numRows > 0) this.#pending.push({ operator, rows, watermark: watermarkMicros });
  }

  get numRows(): number {
    return this.#pending.reduce((n, p) => n + p.rows.numRows, 0);
  }

  /** Writes what this batch dropped (nothing when it dropped nothing) and starts over. */
  async flush(batchId: number): Promise<number> {
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length === 0) return 0;
    let text = "";
    let count = 0;
    for (const { operator, rows, watermark } of pending) {
      const schema = new StructType([
        ...rows.schema.fields,
        { name: "_watermark", dataType: StringType, nullable: false },
        { name: "_operator", dataType: StringType, nullable: false },
      ]);
      const n = rows.numRows;
      const constant = (value: string) => ({ kind: "str" as const, type: StringType, length: n, codes: new Int32Array(n), dict: [value], valid: null });
      text += encodeJsonLines(new ColumnBatch(schema, [...rows.columns, constant(eventTimeString(watermark)), constant(operator)], n));
      count += n;
    }
    await writeFileAtomic(join(this.dir, `batch-${batchId}.json`), text);
    return count;
  }
}
