import { describe, expect, test } from "vitest";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { concatBatches } from "../../src/columnar/concat.ts";
import { batchToRows } from "../../src/columnar/values.ts";
import type { StrVec } from "../../src/columnar/vector.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const schema = parseSchema("url STRING, w STRUCT<start: BIGINT, end: BIGINT>, n BIGINT");
const [urlType, wType, nType] = schema.fields.map((f) => f.dataType);

function batch(dict: readonly string[], codes: number[], valid: number[] | null, starts: number[]): ColumnBatch {
  const n = codes.length;
  const num = (values: number[]) => ({ kind: "num" as const, type: nType!, length: n, values: Float64Array.from(values), valid: null });
  return new ColumnBatch(schema, [
    { kind: "str", type: urlType!, length: n, codes: Int32Array.from(codes), dict, valid: valid === null ? null : Uint8Array.from(valid) },
    { kind: "struct", type: wType as never, length: n, children: [num(starts), num(starts.map((s) => s + 1))], valid: null },
    num(codes),
  ], n);
}

describe("concatBatches over string and struct columns", () => {
  test("string columns over one growing dictionary keep the longest and copy codes; structs child by child", () => {
    const grown = Object.freeze(["a", "b", "c"]);
    const prefix = Object.freeze(["a", "b"]);
    const a = batch(prefix, [1, 0], null, [10, 20]);
    const b = batch(grown, [2, 1], [1, 0], [30, 40]);
    const joined = concatBatches(schema, [a, b]);
    expect((joined.columns[0] as StrVec).dict).toBe(grown);
    expect(batchToRows(joined)).toEqual([...batchToRows(a), ...batchToRows(b)]);
  });

  test("unrelated dictionaries are merged, each string once", () => {
    const a = batch(["x", "y"], [1, 0, 1], null, [1, 2, 3]);
    const b = batch(["y", "z"], [0, 1], null, [4, 5]);
    const joined = concatBatches(schema, [a, b]);
    expect((joined.columns[0] as StrVec).dict).toEqual(["y", "x", "z"]);
    expect(batchToRows(joined)).toEqual([...batchToRows(a), ...batchToRows(b)]);
  });
});
