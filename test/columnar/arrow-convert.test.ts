import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  fromRecordBatch, toArrowTable, toPlainArrowTable, toRecordBatch,
} from "../../src/columnar/arrow-convert.ts";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { batchToRows, rowsToBatch } from "../../src/columnar/values.ts";
import { valueAt } from "../../src/columnar/vector.ts";
import { StructType } from "../../src/types/data-types.ts";
import { Decimal } from "../../src/index.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const ALL_TYPES = parseSchema(
  "s STRING, b BINARY, ok BOOLEAN, i INT, l BIGINT, d DOUBLE, t TIMESTAMP, day DATE, " +
  "st STRUCT<a: INT, name: STRING>, arr ARRAY<BIGINT>, m MAP<STRING, DOUBLE>",
);

const ROWS = [
  {
    s: "alpha", b: new Uint8Array([1, 2]), ok: true, i: -7, l: 2 ** 40 + 3, d: 1.5, t: new Date("2026-01-01T10:00:00.123Z"),
    day: new Date("2024-02-29T00:00:00Z"), st: { a: 1, name: "x" }, arr: [1, 2], m: new Map([["k", 0.5]]),
  },
  { s: null, b: null, ok: null, i: null, l: null, d: null, t: null, day: null, st: null, arr: null, m: null },
  {
    s: "beta", b: new Uint8Array([]), ok: false, i: 2147483647, l: -(2 ** 45), d: -0.25, t: new Date("1969-12-31T23:59:59.999Z"),
    day: new Date("1900-01-01T00:00:00Z"), st: { a: null, name: null }, arr: [], m: new Map(),
  },
  {
    s: "alpha", b: new Uint8Array([255]), ok: true, i: 0, l: 4294967296, d: 1e300, t: new Date(0),
    day: new Date(0), st: { a: -1, name: "alpha" }, arr: [null, 5], m: new Map([["z", null]]),
  },
];

describe("ColumnBatch ⇄ Arrow RecordBatch", () => {
  it("round-trips MAP<STRING, STRING> (values repeated, null, empty maps) and BINARY through Arrow IPC", () => {
    const schema = parseSchema("m MAP<STRING, STRING>, b BINARY");
    const rows = [
      { m: new Map([["v", "same"], ["w", null]]), b: new Uint8Array([1]) },
      { m: null, b: null },
      { m: new Map([["v", "same"], ["x", "é"]]), b: new Uint8Array([]) },
      { m: new Map(), b: new Uint8Array([2, 3]) },
    ];
    const rb = toRecordBatch(rowsToBatch(schema, rows, "test"));
    const copy = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([rb]))).batches[0]!;
    expect(batchToRows(fromRecordBatch(copy, schema))).toEqual(rows);
  });

  it("round-trips decimals nested in arrays, maps and structs (through Arrow's builders)", () => {
    const schema = parseSchema("a ARRAY<DECIMAL(38,18)>, m MAP<STRING, DECIMAL(6,2)>, st STRUCT<d: DECIMAL(20,0)>");
    const rows = [
      { a: [new Decimal("1.5"), null, new Decimal("-12345678901234567890.000000000000000001")], m: new Map([["k", new Decimal("-0.01")]]), st: { d: new Decimal("18446744073709551615") } },
      { a: [], m: new Map(), st: null },
    ];
    const rb = toRecordBatch(rowsToBatch(schema, rows, "test"));
    const copy = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([rb]))).batches[0]!;
    expect(batchToRows(fromRecordBatch(copy, schema))).toEqual(batchToRows(rowsToBatch(schema, rows, "test")));
    expect((batchToRows(fromRecordBatch(copy, schema))[0] as { st: { d: Decimal } }).st.d).toEqual(new Decimal("18446744073709551615"));
  });

  it("round-trips every type together, nulls included", () => {
    const batch = rowsToBatch(ALL_TYPES, ROWS, "test");
    const rb = toRecordBatch(batch);
    expect(rb.numRows).toBe(4);
    // A fresh Arrow batch (not one the converter remembers) must decode the same.
    const copy = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([rb]))).batches[0]!;
    const back = fromRecordBatch(copy, ALL_TYPES);
    expect(batchToRows(back)).toEqual(batchToRows(batch));
  });

  it.each(ALL_TYPES.fields.map((f) => [f.name, f] as const))("round-trips column %s through Arrow IPC", (_name, field) => {
    const schema = new StructType([field]);
    const batch = rowsToBatch(schema, ROWS.map((r) => ({ [field.name]: r[field.name as keyof typeof r] })), "test");
    const copy = arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([toRecordBatch(batch)]))).batches[0]!;
    expect(batchToRows(fromRecordBatch(copy, schema))).toEqual(batchToRows(batch));
  });

  it("writes int64 values beyond 2^32 and negatives as the right BigInts", () => {
    const schema = parseSchema("l BIGINT, t TIMESTAMP");
    const rb = toRecordBatch(rowsToBatch(schema, [
      { l: 2 ** 40 + 3, t: new Date(-1) },
      { l: -(2 ** 33) - 1, t: new Date(2 ** 41) },
      { l: -1, t: null },
    ], "test"));
    const table = new arrow.Table([rb]);
    expect(table.getChild("l")!.toArray()).toEqual(new BigInt64Array([2n ** 40n + 3n, -(2n ** 33n) - 1n, -1n]));
    const t = table.getChild("t")!;
    expect((t.data[0]!.values as BigInt64Array)[0]).toBe(-1000n);
    expect((t.data[0]!.values as BigInt64Array)[1]).toBe(2n ** 41n * 1000n);
    expect(t.get(2)).toBeNull();
  });

  it("keeps strings dictionary-encoded in the engine's Arrow form", () => {
    const rb = toRecordBatch(rowsToBatch(parseSchema("s STRING"), [{ s: "a" }, { s: "b" }, { s: "a" }, { s: null }], "test"));
    const col = rb.getChild("s")!;
    expect(col.type.typeId).toBe(arrow.Type.Dictionary);
    expect([...col]).toEqual(["a", "b", "a", null]);
    expect(col.data[0]!.dictionary!.length).toBe(2);
  });

  it("builds a multi-batch table with string columns whose dictionaries differ", () => {
    const schema = parseSchema("k STRING, v INT");
    const a = rowsToBatch(schema, [{ k: "x", v: 1 }, { k: "y", v: 2 }], "a");
    const b = rowsToBatch(schema, [{ k: "z", v: 3 }, { k: "x", v: null }], "b");
    const table = toArrowTable(schema, [a, b]);
    expect(table.numRows).toBe(4);
    expect(table.batches.length).toBe(2);
    expect(table.toArray().map((r) => r.toJSON())).toEqual([
      { k: "x", v: 1 }, { k: "y", v: 2 }, { k: "z", v: 3 }, { k: "x", v: null },
    ]);
    // Through IPC, the second batch's dictionary must not be replaced by the first's.
    const copy = arrow.tableFromIPC(arrow.tableToIPC(table));
    expect(copy.batches.flatMap((rb) => batchToRows(fromRecordBatch(rb, schema)))).toEqual([
      { k: "x", v: 1 }, { k: "y", v: 2 }, { k: "z", v: 3 }, { k: "x", v: null },
    ]);
  });

  it("an empty list of batches gives an empty table with the schema", () => {
    const table = toArrowTable(parseSchema("a INT, b STRING"), []);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => f.name)).toEqual(["a", "b"]);
  });

  it("toPlainArrowTable gives strings as plain Utf8", () => {
    const t = toPlainArrowTable(rowsToBatch(parseSchema("s STRING, n INT"), [{ s: "a", n: 1 }, { s: null, n: 2 }], "test"));
    expect(t.getChild("s")!.type.typeId).toBe(arrow.Type.Utf8);
    expect(t.toArray().map((r) => r.toJSON())).toEqual([{ s: "a", n: 1 }, { s: null, n: 2 }]);
  });
});

describe("fromRecordBatch over batches made by apache-arrow's own builders", () => {
  it("reads Utf8 (not dictionary), Int64 BigInts, TimestampMillisecond, Float32, Int16 and Bool with nulls", () => {
    const table = new arrow.Table({
      name: arrow.vectorFromArray(["a", null, "b", "a"], new arrow.Utf8()),
      big: arrow.vectorFromArray([2n ** 40n + 1n, -(2n ** 35n), null, -1n], new arrow.Int64()),
      ts: arrow.vectorFromArray([Date.UTC(2026, 0, 1), -1, null, 0], new arrow.TimestampMillisecond()),
      f: arrow.vectorFromArray([0.5, null, -2, 3], new arrow.Float32()),
      small: arrow.vectorFromArray([1, -2, null, 300], new arrow.Int16()),
      flag: arrow.vectorFromArray([true, false, null, true], new arrow.Bool()),
    });
    const batch = fromRecordBatch(table.batches[0]!);
    expect(batch.schema.toDDL()).toBe("name STRING, big BIGINT, ts TIMESTAMP_NTZ, f FLOAT, small SMALLINT, flag BOOLEAN");
    expect(batchToRows(batch)).toEqual([
      { name: "a", big: 2 ** 40 + 1, ts: new Date(Date.UTC(2026, 0, 1)), f: 0.5, small: 1, flag: true },
      { name: null, big: -(2 ** 35), ts: new Date(-1), f: null, small: -2, flag: false },
      { name: "b", big: null, ts: null, f: -2, small: null, flag: null },
      { name: "a", big: -1, ts: new Date(0), f: 3, small: 300, flag: true },
    ]);
    expect(valueAt(batch.columns[2]!, 1)).toBe(-1000);
    expect(batch.columns[0]!.kind).toBe("str");
  });

  it("reads a slice of an Arrow batch (non-zero offsets) correctly", () => {
    const table = new arrow.Table({
      n: arrow.vectorFromArray([1, null, 3, 4, null, 6], new arrow.Int32()),
      s: arrow.vectorFromArray(["a", "b", null, "d", "e", "f"], new arrow.Utf8()),
      l: arrow.vectorFromArray([1n, 2n, 3n, 2n ** 40n, 5n, 6n], new arrow.Int64()),
      ok: arrow.vectorFromArray([true, false, true, false, true, null], new arrow.Bool()),
    });
    const sliced = table.batches[0]!.slice(2, 5);
    expect(batchToRows(fromRecordBatch(sliced))).toEqual([
      { n: 3, s: null, l: 3, ok: true },
      { n: 4, s: "d", l: 2 ** 40, ok: false },
      { n: null, s: "e", l: 5, ok: true },
    ]);
  });

  it("reads DateDay and microsecond timestamps with a zone", () => {
    const table = new arrow.Table({
      day: arrow.vectorFromArray([new Date(Date.UTC(1969, 11, 31)), new Date(Date.UTC(2024, 1, 29))], new arrow.DateDay()),
    });
    const batch = fromRecordBatch(table.batches[0]!);
    expect(batch.schema.fields[0]!.dataType.kind).toBe("date");
    expect([valueAt(batch.columns[0]!, 0), valueAt(batch.columns[0]!, 1)]).toEqual([-1, 19782]);
  });

  it("a schema given by the caller decides the internal type", () => {
    const table = new arrow.Table({ n: arrow.vectorFromArray([1, 2], new arrow.Int32()) });
    const batch = fromRecordBatch(table.batches[0]!, parseSchema("n BIGINT"));
    expect(batchToRows(batch)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(batch instanceof ColumnBatch).toBe(true);
  });
});
