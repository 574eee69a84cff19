import { describe, expect, it } from "vitest";
import { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { handOver } from "../../../src/columnar/handed-over.ts";
import { batchToRows } from "../../../src/columnar/values.ts";
import { MemorySink } from "../../../src/connectors/sinks/memory-sink.ts";
import { parseSchema } from "../../../src/types/ddl.ts";

const schema = parseSchema("word STRING, count BIGINT");

function chunk(dict: readonly string[], codes: number[], counts: number[]): ColumnBatch {
  return new ColumnBatch(schema, [
    handOver({ kind: "str", type: schema.fields[0]!.dataType, length: codes.length, codes: Int32Array.from(codes), dict, valid: null }),
    handOver({ kind: "num", type: schema.fields[1]!.dataType, length: counts.length, values: Float64Array.from(counts), valid: null }),
  ], codes.length);
}

describe("MemorySink, a complete-mode result in chunks", () => {
  it("keeps the chunks as they are (a frozen dictionary too); a result read before stays as it was", async () => {
    const sink = new MemorySink(schema);
    const d0 = Object.freeze(["a", "b"]);
    const first = chunk(d0, [0], [1]);
    await sink.addColumnBatches(0, [first, chunk(d0, [1], [1])], "complete");
    const read0 = sink.lastBatch();
    expect(read0).toHaveLength(2);
    expect((read0[0]!.columns[0] as { dict: readonly string[] }).dict).toBe(d0);
    expect(read0.flatMap(batchToRows)).toEqual([{ word: "a", count: 1 }, { word: "b", count: 1 }]);

    // The next batch: the first chunk emitted again as it was, the second made anew over a grown dictionary.
    const d1 = Object.freeze(["a", "b", "c"]);
    await sink.addColumnBatches(1, [first, chunk(d1, [1, 2], [2, 1])], "complete");
    expect(sink.batches()).toHaveLength(2);
    expect(sink.batches().flatMap(batchToRows)).toEqual([{ word: "a", count: 1 }, { word: "b", count: 2 }, { word: "c", count: 1 }]);
    expect(read0.flatMap(batchToRows)).toEqual([{ word: "a", count: 1 }, { word: "b", count: 1 }]);
    expect(sink.numRows).toBe(3);
  });
});
