import { ColumnBatch } from "../../columnar/column-batch.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import type { Vec } from "../../columnar/vector.ts";
import type { DataType, StructType } from "../../types/data-types.ts";

/** Where one side's columns of some joined rows come from: a gather by column index, or nulls (an outer row). */
export type SideColumns = ((column: number) => Vec) | null;

/** A vector of n nulls. */
export function nullVec(type: DataType, n: number): Vec {
  switch (type.kind) {
    case "byte": case "short": case "int": case "long": case "float": case "double":
    case "date": case "timestamp": case "timestamp_ntz": case "interval_dt": case "interval_ym":
      return { kind: "num", type, length: n, values: new Float64Array(n), valid: new Uint8Array(n) };
    case "boolean":
      return { kind: "bool", type, length: n, values: new Uint8Array(n), valid: new Uint8Array(n) };
    default: {
      const b = new VecBuilder(type, n);
      for (let i = 0; i < n; i++) b.append(null);
      return b.finish();
    }
  }
}

/**
 * n joined rows in the operator's output schema: each output column (an index into the
 * left ++ right input columns) gathered from its side, or nulls for the side an outer row lacks.
 */
export function joinedBatch(schema: StructType, outputColumns: readonly number[], leftWidth: number,
  left: SideColumns, right: SideColumns, n: number): ColumnBatch {
  const columns = outputColumns.map((c, k) => {
    const source = c < leftWidth ? left : right;
    const index = c < leftWidth ? c : c - leftWidth;
    return source === null ? nullVec(schema.fields[k]!.dataType, n) : source(index);
  });
  return new ColumnBatch(schema, columns, n);
}
