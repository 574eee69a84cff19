import { describe, expect, it } from "vitest";
import type { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { batchToRows } from "../../../src/columnar/values.ts";
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
