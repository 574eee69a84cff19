import { describe, expect, test } from "vitest";
import { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import type { NumVec } from "../../../src/columnar/vector.ts";
import { CompleteChunks } from "../../../src/physical/aggregate/complete-chunks.ts";
import { LongType, StructType } from "../../../src/types/data-types.ts";

const schema = new StructType([{ name: "slot", dataType: LongType, nullable: false }]);

/** A batch of the slots it was built for, counting the builds. */
function builder(): { build: (slots: Int32Array) => ColumnBatch; built: number[][] } {
  const built: number[][] = [];
  return {
    built,
    build: (slots) => {
      built.push([...slots]);
      return new ColumnBatch(schema, [{ kind: "num", type: LongType, length: slots.length, values: Float64Array.from(slots), valid: null }], slots.length);
    },
  };
}

const slotsOf = (batches: readonly ColumnBatch[]): number[] => batches.flatMap((b) => [...((b.columns[0] as NumVec).values)]);

describe("CompleteChunks", () => {
  test("emits every live slot in order; a chunk is built again only after a slot in it was touched", () => {
    const chunks = new CompleteChunks(2); // chunks of 4 slots
    const live = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const { build, built } = builder();
    const first = chunks.emit(10, (s) => live.has(s), build);
    expect(slotsOf(first)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(built).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);

    built.length = 0;
    chunks.touch(5);
    chunks.touch(10); // a new slot beyond the chunks kept so far
    live.add(10);
    const second = chunks.emit(11, (s) => live.has(s), build);
    expect(built).toEqual([[4, 5, 6, 7], [8, 9, 10]]);
    expect(slotsOf(second)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // The untouched chunk is the very batch emitted before; the touched ones are new batches.
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
  });

  test("a removed slot leaves its chunk's next batch; a chunk of no live slot gives no batch; forgetAll builds every chunk", () => {
    const chunks = new CompleteChunks(2);
    const live = new Set([0, 1, 2, 3, 4, 5]);
    const { build, built } = builder();
    chunks.emit(6, (s) => live.has(s), build);
    for (const s of [4, 5]) { live.delete(s); chunks.touch(s); }
    live.delete(1);
    chunks.touch(1);
    const out = chunks.emit(6, (s) => live.has(s), build);
    expect(slotsOf(out)).toEqual([0, 2, 3]);
    expect(out).toHaveLength(1);
    built.length = 0;
    chunks.forgetAll();
    chunks.emit(6, (s) => live.has(s), build);
    expect(built).toEqual([[0, 2, 3], []]);
  });
});
