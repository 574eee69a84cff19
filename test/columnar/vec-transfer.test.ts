import { describe, expect, test } from "vitest";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { batchesFromData, batchesToData, StringDictionaryReceiver, StringDictionarySender, transfersAsData } from "../../src/columnar/vec-transfer.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { valueAt } from "../../src/columnar/vector.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const schema = parseSchema("url STRING, n BIGINT, ok BOOLEAN, at STRUCT<host: STRING, port: INT>");

function batchOf(rows: unknown[][]): ColumnBatch {
  const builders = schema.fields.map((f) => new VecBuilder(f.dataType, 4));
  for (const row of rows) row.forEach((v, k) => builders[k]!.append(v));
  return new ColumnBatch(schema, builders.map((b) => b.finish()), rows.length);
}

const rowsOf = (batch: ColumnBatch): unknown[][] =>
  Array.from({ length: batch.numRows }, (_, i) => batch.columns.map((c) => valueAt(c, i)));

describe("batches as data between threads (vec-transfer)", () => {
  test("round-trip through a structured clone: strings, nulls, exact longs, booleans, structs; the types are the schema's", () => {
    const rows = [
      ["/a", 1, true, { host: "h1", port: 80 }],
      [null, 9007199254740993n, false, null],
      ["/b", -5, null, { host: null, port: 8080 }],
      ["/a", null, true, { host: "h1", port: 81 }],
    ];
    const sent = structuredClone(batchesToData([batchOf(rows)], new StringDictionarySender("t")));
    const [back] = batchesFromData(sent, schema, new StringDictionaryReceiver());
    expect(rowsOf(back!)).toEqual(rows);
    back!.columns.forEach((c, k) => expect(c.type).toBe(schema.fields[k]!.dataType));
  });

  test("one dictionary per sender: a later message carries only its new strings, and the receiver's dictionary is the same array", () => {
    const sender = new StringDictionarySender("t");
    const receiver = new StringDictionaryReceiver();
    const a = structuredClone(batchesToData([batchOf([["/a", 1, true, null], ["/b", 2, true, null]])], sender));
    const b = structuredClone(batchesToData([batchOf([["/b", 3, true, null], ["/c", 4, true, null]])], sender));
    expect(a.strings.added).toEqual(["/a", "/b"]);
    expect(b.strings).toMatchObject({ from: 2, added: ["/c"] });
    const [first] = batchesFromData(a, schema, receiver);
    const [second] = batchesFromData(b, schema, receiver);
    expect(rowsOf(second!).map((r) => r[0])).toEqual(["/b", "/c"]);
    expect(rowsOf(first!).map((r) => r[0])).toEqual(["/a", "/b"]);
    const dict = (batch: ColumnBatch) => (batch.columns[0] as { dict: readonly string[] }).dict;
    expect(dict(second!)).toBe(dict(first!));
    // A message out of order is an engine bug, reported as such.
    expect(() => batchesFromData(b, schema, receiver)).toThrow(/out of order/);
  });

  test("a full dictionary starts a new generation: earlier batches keep theirs", () => {
    const sender = new StringDictionarySender("t");
    const receiver = new StringDictionaryReceiver();
    const many = (from: number, n: number) => batchOf(Array.from({ length: n }, (_, i) => [`/u/${from + i}`, i, true, null]));
    const first = batchesFromData(structuredClone(batchesToData([many(0, 200_000)], sender)), schema, receiver)[0]!;
    const next = structuredClone(batchesToData([many(200_000, 100_000)], sender));
    expect(next.strings).toMatchObject({ generation: 1, from: 0 });
    const second = batchesFromData(next, schema, receiver)[0]!;
    expect(valueAt(first.columns[0]!, 199_999)).toBe("/u/199999");
    expect(valueAt(second.columns[0]!, 99_999)).toBe("/u/299999");
  });

  test("columns of decimals, arrays or maps do not travel as data", () => {
    expect(transfersAsData(parseSchema("d DECIMAL(10, 2)").fields[0]!.dataType)).toBe(false);
    expect(transfersAsData(parseSchema("s STRUCT<a: INT, b: ARRAY<INT>>").fields[0]!.dataType)).toBe(false);
    expect(transfersAsData(schema)).toBe(true);
  });
});
