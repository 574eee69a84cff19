import type { StructType } from "../types/data-types.ts";
import { InternalError } from "../common/errors.ts";
import { sliceVec, takeVec, type Vec } from "./vector.ts";

/**
 * A batch of rows as columns: what operators pass to each other within a micro-batch.
 * Sources hand Arrow RecordBatches in and sinks receive Arrow tables; both convert here
 * at zero or one copy (arrow-convert.ts).
 */
export class ColumnBatch {
  constructor(
    readonly schema: StructType,
    readonly columns: readonly Vec[],
    readonly numRows: number,
  ) {
    if (columns.length !== schema.fields.length) {
      throw new InternalError(`batch has ${columns.length} columns for a schema of ${schema.fields.length}`);
    }
  }

  static empty(schema: StructType): ColumnBatch {
    return new ColumnBatch(schema, schema.fields.map((f) => emptyVec(f.dataType)), 0);
  }

  column(i: number): Vec {
    return this.columns[i]!;
  }

  take(indices: Int32Array | Uint32Array, count = indices.length): ColumnBatch {
    return new ColumnBatch(this.schema, this.columns.map((c) => takeVec(c, indices, count)), count);
  }

  slice(start: number, end: number): ColumnBatch {
    const e = Math.min(end, this.numRows);
    return new ColumnBatch(this.schema, this.columns.map((c) => sliceVec(c, start, e)), Math.max(0, e - start));
  }

  withSchema(schema: StructType): ColumnBatch {
    return new ColumnBatch(schema, this.columns, this.numRows);
  }
}

import { VecBuilder } from "./vec-builder.ts";
import type { DataType } from "../types/data-types.ts";

function emptyVec(type: DataType): Vec {
  return new VecBuilder(type, 0).finish();
}
