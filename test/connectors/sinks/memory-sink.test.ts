import { describe, expect, it } from "vitest";
import { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { handOver } from "../../../src/columnar/handed-over.ts";
import { batchToRows, rowsToBatch } from "../../../src/columnar/values.ts";
import { MemorySink } from "../../../src/connectors/sinks/memory-sink.ts";
import { resolveSinkFactory } from "../../../src/connectors/sinks/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { sinkContext, table } from "./helpers.ts";

const schema = parseSchema("word STRING, count BIGINT");
const rowsOf = (batches: ColumnBatch[]): unknown[] => batches.flatMap(batchToRows);

describe("MemorySink", () => {
  it("appends every emitted row in batch order (append and update modes)", async () => {
    const sink = new MemorySink(schema);
    expect(sink.lastBatchId).toBeNull();
    await sink.addBatch(0, table(schema, [{ word: "a", count: 1 }]), "append");
    await sink.addBatch(1, table(schema, [{ word: "b", count: 2 }], [{ word: "c", count: 3 }]), "update");
    await sink.addBatch(2, table(schema), "update");
    expect(rowsOf(sink.batches())).toEqual([{ word: "a", count: 1 }, { word: "b", count: 2 }, { word: "c", count: 3 }]);
    expect(sink.numRows).toBe(3);
    expect(sink.lastBatchId).toBe(2);
    expect(sink.lastBatchRows).toBe(0);
    expect(sink.schema).toBe(schema);
  });

  it("replaces the table in complete mode", async () => {
    const sink = new MemorySink(schema);
    await sink.addBatch(0, table(schema, [{ word: "a", count: 1 }]), "complete");
    await sink.addBatch(1, table(schema, [{ word: "a", count: 2 }, { word: "b", count: 1 }]), "complete");
    expect(rowsOf(sink.batches())).toEqual([{ word: "a", count: 2 }, { word: "b", count: 1 }]);
    expect(sink.lastBatchRows).toBe(2);
  });

  it("ignores a batch id it already took (replay after a restart)", async () => {
    const sink = new MemorySink(schema);
    await sink.addBatch(0, table(schema, [{ word: "a", count: 1 }]), "append");
    await sink.addBatch(1, table(schema, [{ word: "b", count: 1 }]), "append");
    await sink.addBatch(1, table(schema, [{ word: "b", count: 1 }]), "append");
    await sink.addBatch(0, table(schema, [{ word: "z", count: 9 }]), "complete");
    expect(rowsOf(sink.batches())).toEqual([{ word: "a", count: 1 }, { word: "b", count: 1 }]);
    expect(sink.lastBatchId).toBe(1);
  });

  it("takes a query's columns without Arrow, as its own copy: the producer may reuse its arrays afterwards", async () => {
    const sink = new MemorySink(schema);
    const dict = ["a", "b"];
    const codes = Int32Array.from([0, 1]), counts = Float64Array.from([1, 2]);
    const batch = new ColumnBatch(schema, [
      { kind: "str", type: schema.fields[0]!.dataType, length: 2, codes, dict, valid: null },
      { kind: "num", type: schema.fields[1]!.dataType, length: 2, values: counts, valid: Uint8Array.from([1, 0]) },
    ], 2);
    await sink.addColumnBatches(0, [batch], "update");
    // What an aggregation does next: its dictionary grows and is rewritten, its arrays reused.
    dict[0] = "changed";
    dict.push("c");
    codes[0] = 1;
    counts[0] = 99;
    expect(rowsOf(sink.batches())).toEqual([{ word: "a", count: 1 }, { word: "b", count: null }]);
    expect(sink.lastBatchRows).toBe(2);
    await sink.addColumnBatches(0, [batch], "update"); // a replayed id changes nothing
    expect(sink.numRows).toBe(2);
  });

  it("keeps vectors their producer handed over as they are, but copies their dictionaries (which the producer may go on filling)", async () => {
    const sink = new MemorySink(schema);
    const dict = ["a", "b"];
    const counts = handOver({ kind: "num", type: schema.fields[1]!.dataType, length: 2, values: Float64Array.from([3, 4]), valid: null } as const);
    const words = handOver({ kind: "str", type: schema.fields[0]!.dataType, length: 2, codes: Int32Array.from([1, 0]), dict, valid: null } as const);
    await sink.addColumnBatches(0, [new ColumnBatch(schema, [words, counts], 2)], "complete");
    dict[1] = "changed";
    dict.push("c");
    expect(rowsOf(sink.batches())).toEqual([{ word: "b", count: 3 }, { word: "a", count: 4 }]);
    expect(sink.batches()[0]!.columns[1]).toBe(counts);
  });

  it("takes columns of JS values (arrays, maps) through Arrow, as addBatch does", async () => {
    const listSchema = parseSchema("k STRING, xs ARRAY<INT>, m MAP<STRING, INT>");
    const rows = [{ k: "a", xs: [1, 2], m: new Map([["x", 1]]) }, { k: "b", xs: null, m: null }];
    const direct = new MemorySink(listSchema);
    await direct.addColumnBatches(0, [rowsToBatch(listSchema, rows, "test")], "complete");
    const viaArrow = new MemorySink(listSchema);
    await viaArrow.addBatch(0, table(listSchema, rows), "complete");
    expect(rowsOf(direct.batches())).toEqual(rows);
    expect(rowsOf(direct.batches())).toEqual(rowsOf(viaArrow.batches()));
  });

  it("clears its rows", async () => {
    const sink = new MemorySink(schema);
    await sink.addBatch(0, table(schema, [{ word: "a", count: 1 }]), "append");
    sink.clear();
    expect(sink.batches()).toEqual([]);
    expect(sink.numRows).toBe(0);
  });

  it("is what format('memory') creates", async () => {
    const sink = await resolveSinkFactory("memory")(sinkContext(schema));
    expect(sink).toBeInstanceOf(MemorySink);
  });
});
