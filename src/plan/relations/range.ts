import { AnalysisError } from "../../common/errors.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { LongType, StructType } from "../../types/data-types.ts";
import type { LogicalPlan } from "../logical-plan.ts";
import { localRelation } from "../plan-builder.ts";

const SCHEMA = new StructType([{ name: "id", dataType: LongType, nullable: false }]);
const BATCH_ROWS = 64 * 1024;

/**
 * `spark.range(start, end, step)` and the SQL table function `range(…)`: one BIGINT column
 * `id` from start (inclusive) to end (exclusive) by step, as Spark's Range. The rows are
 * made when the plan runs, a batch at a time. `numPartitions` is accepted and has no
 * effect (rivulet runs a batch query in one process).
 */
export function range(start: number, end: number, step = 1, numPartitions?: number): LogicalPlan {
  for (const [name, v] of [["start", start], ["end", end], ["step", step]] as const) {
    if (!Number.isSafeInteger(v)) throw new AnalysisError(`range: ${name} must be an integer, got ${v}`);
  }
  if (step === 0) throw new AnalysisError(`requirement failed: step (${step}) cannot be 0`);
  if (numPartitions !== undefined && (!Number.isInteger(numPartitions) || numPartitions <= 0)) {
    throw new AnalysisError(`requirement failed: numPartitions (${numPartitions}) must be positive`);
  }
  const count = Math.max(0, Math.ceil((end - start) / step));
  const name = `Range (${start}, ${end}, step=${step}${numPartitions === undefined ? "" : `, splits=${numPartitions}`})`;
  return localRelation(name, SCHEMA, () => {
    const batches: ColumnBatch[] = [];
    for (let from = 0; from < count; from += BATCH_ROWS) {
      const n = Math.min(BATCH_ROWS, count - from);
      const b = new VecBuilder(LongType, n);
      for (let i = 0; i < n; i++) b.append(start + (from + i) * step);
      batches.push(new ColumnBatch(SCHEMA, [b.finish()], n));
    }
    return batches;
  });
}

/** The SQL form: `range(end)`, `range(start, end)`, `range(start, end, step)`, `range(start, end, step, numPartitions)`. */
export function rangeFunction(args: readonly unknown[]): LogicalPlan {
  if (args.length < 1 || args.length > 4) {
    throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`range\` requires [1, 2, 3, 4] parameters but the actual number is ${args.length}. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix.`);
  }
  const values = args.map((a, i) => {
    const v = typeof a === "bigint" ? Number(a) : a;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      throw new AnalysisError(`[UNEXPECTED_INPUT_TYPE] Parameter ${i + 1} requires the "BIGINT" type, however ${JSON.stringify(a)} has another type.`);
    }
    return v;
  });
  if (values.length === 1) return range(0, values[0]!);
  return range(values[0]!, values[1]!, values[2] ?? 1, values[3]);
}
