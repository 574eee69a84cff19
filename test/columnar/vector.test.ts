import { describe, expect, it } from "vitest";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { concatBatches, concatVecs } from "../../src/columnar/concat.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { isNull, sliceVec, takeVec, valueAt, type Vec } from "../../src/columnar/vector.ts";
import { rowsToBatch, batchToRows, toExternal } from "../../src/columnar/values.ts";
import {
  ArrayType, BooleanType, DoubleType, IntegerType, LongType, StringType, StructType, TimestampType, type DataType,
} from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const values = (v: Vec): unknown[] => Array.from({ length: v.length }, (_, i) => valueAt(v, i));

function build(type: DataType, items: readonly unknown[], capacity?: number): Vec {
  const b = new VecBuilder(type, capacity);
  for (const x of items) b.append(x);
  return b.finish();
}

const POINT = new StructType([
  { name: "x", dataType: IntegerType, nullable: true },
  { name: "label", dataType: StringType, nullable: true },
]);

describe("VecBuilder", () => {
  it("builds numeric vectors in the representation of their type", () => {
    const ints = build(IntegerType, [1, -2, 3]);
    expect(ints.kind).toBe("num");
    if (ints.kind === "num") expect(ints.values).toBeInstanceOf(Int32Array);
    const longs = build(LongType, [2 ** 40, -1]);
    if (longs.kind === "num") expect(longs.values).toBeInstanceOf(Float64Array);
    expect(values(longs)).toEqual([2 ** 40, -1]);
    expect(ints.valid).toBeNull();
  });

  it("grows past its initial capacity, keeping every value and null", () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? null : i * 1.5));
    const v = build(DoubleType, items, 1);
    expect(v.length).toBe(1000);
    expect(values(v)).toEqual(items);
    const s = build(StringType, Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? null : `k${i % 3}`)), 0);
    expect(values(s)).toEqual(Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? null : `k${i % 3}`)));
  });

  it("dictionary-encodes strings, storing each distinct value once in order of arrival", () => {
    const v = build(StringType, ["b", "a", "b", null, "b", "c", "a"]);
    expect(v.kind).toBe("str");
    if (v.kind !== "str") return;
    expect(v.dict).toEqual(["b", "a", "c"]);
    expect(Array.from(v.codes)).toEqual([0, 1, 0, 0, 0, 2, 1]);
    expect(Array.from(v.valid!)).toEqual([1, 1, 1, 0, 1, 1, 1]);
  });

  it("marks nulls (null and undefined) and leaves valid null when there are none", () => {
    const v = build(BooleanType, [true, null, false, undefined]);
    expect(values(v)).toEqual([true, null, false, null]);
    expect(isNull(v, 1)).toBe(true);
    expect(isNull(v, 2)).toBe(false);
    expect(build(BooleanType, [true]).valid).toBeNull();
  });

  it("builds structs as one child per field; a null struct has null children", () => {
    const v = build(POINT, [{ x: 1, label: "a" }, null, { x: null, label: "b" }]);
    expect(v.kind).toBe("struct");
    if (v.kind !== "struct") return;
    expect(values(v)).toEqual([{ x: 1, label: "a" }, null, { x: null, label: "b" }]);
    expect(values(v.children[0]!)).toEqual([1, null, null]);
    expect(values(v.children[1]!)).toEqual(["a", null, "b"]);
  });

  it("keeps arrays as JS values", () => {
    const v = build(ArrayType(IntegerType), [[1, 2], null, []]);
    expect(v.kind).toBe("obj");
    expect(values(v)).toEqual([[1, 2], null, []]);
  });

  it("appendNumber and appendString are the typed fast paths", () => {
    const b = new VecBuilder(TimestampType);
    b.appendNumber(-5);
    b.appendNull();
    expect(values(b.finish())).toEqual([-5, null]);
    const s = new VecBuilder(StringType);
    s.appendString("x");
    s.appendString("x");
    const sv = s.finish();
    expect(values(sv)).toEqual(["x", "x"]);
    if (sv.kind === "str") expect(sv.dict).toEqual(["x"]);
  });
});

describe("takeVec and sliceVec", () => {
  it("takes rows by a selection vector, with repeats, keeping nulls", () => {
    const v = build(IntegerType, [10, null, 30, 40]);
    const t = takeVec(v, Int32Array.from([3, 1, 0, 0]));
    expect(values(t)).toEqual([40, null, 10, 10]);
    expect(takeVec(v, Int32Array.from([3, 2, 1]), 2).length).toBe(2);
    expect(values(takeVec(v, Int32Array.from([3, 2, 1]), 2))).toEqual([40, 30]);
  });

  it("takes strings by code, sharing the dictionary", () => {
    const v = build(StringType, ["a", "b", null, "a"]);
    const t = takeVec(v, Int32Array.from([2, 3, 1]));
    expect(values(t)).toEqual([null, "a", "b"]);
    if (t.kind === "str" && v.kind === "str") expect(t.dict).toBe(v.dict);
  });

  it("takes struct rows with their children", () => {
    const v = build(POINT, [{ x: 1, label: "a" }, null, { x: 3, label: null }]);
    expect(values(takeVec(v, Int32Array.from([2, 1, 0])))).toEqual([{ x: 3, label: null }, null, { x: 1, label: "a" }]);
  });

  it("slices every kind of vector, nulls included", () => {
    expect(values(sliceVec(build(LongType, [1, null, 3, 4]), 1, 3))).toEqual([null, 3]);
    expect(values(sliceVec(build(BooleanType, [true, false, null]), 1, 3))).toEqual([false, null]);
    expect(values(sliceVec(build(StringType, ["a", "b", null, "c"]), 2, 4))).toEqual([null, "c"]);
    expect(values(sliceVec(build(POINT, [{ x: 1, label: "a" }, null, { x: 3, label: "c" }]), 1, 3))).toEqual([null, { x: 3, label: "c" }]);
    expect(values(sliceVec(build(ArrayType(LongType), [[1], null, [2, 3]]), 0, 2))).toEqual([[1], null]);
  });
});

describe("ColumnBatch", () => {
  const schema = parseSchema("id INT, name STRING");

  it("slices and takes all columns; slice clamps to the row count", () => {
    const b = rowsToBatch(schema, [{ id: 1, name: "a" }, { id: 2, name: null }, { id: 3, name: "c" }], "test");
    expect(batchToRows(b.slice(1, 10))).toEqual([{ id: 2, name: null }, { id: 3, name: "c" }]);
    expect(b.slice(1, 10).numRows).toBe(2);
    expect(batchToRows(b.take(Int32Array.from([2, 0])))).toEqual([{ id: 3, name: "c" }, { id: 1, name: "a" }]);
  });

  it("an empty batch has one empty column per field", () => {
    const e = ColumnBatch.empty(schema);
    expect(e.numRows).toBe(0);
    expect(e.columns.map((c) => [c.kind, c.length])).toEqual([["num", 0], ["str", 0]]);
  });

  it("rejects a column count that does not match the schema", () => {
    expect(() => new ColumnBatch(schema, [build(IntegerType, [1])], 1)).toThrow(/batch has 1 columns for a schema of 2/);
  });
});

describe("concat", () => {
  it("concatenates numeric vectors and fills validity for vectors without nulls", () => {
    const v = concatVecs([build(IntegerType, [1, 2]), build(IntegerType, [null, 4]), build(IntegerType, [5])]);
    expect(values(v)).toEqual([1, 2, null, 4, 5]);
    if (v.kind === "num") expect(v.values).toBeInstanceOf(Int32Array);
  });

  it("concatenates strings with different dictionaries into one", () => {
    const v = concatVecs([build(StringType, ["a", "b"]), build(StringType, ["b", null, "c"])]);
    expect(values(v)).toEqual(["a", "b", "b", null, "c"]);
    if (v.kind === "str") expect(v.dict).toEqual(["a", "b", "c"]);
  });

  it("concatenates booleans and structs", () => {
    expect(values(concatVecs([build(BooleanType, [true]), build(BooleanType, [null, false])]))).toEqual([true, null, false]);
    expect(values(concatVecs([build(POINT, [{ x: 1, label: "a" }]), build(POINT, [null])]))).toEqual([{ x: 1, label: "a" }, null]);
  });

  it("concatBatches: none gives an empty batch, several give their rows in order", () => {
    const schema = parseSchema("id INT, name STRING");
    expect(concatBatches(schema, []).numRows).toBe(0);
    const a = rowsToBatch(schema, [{ id: 1, name: "x" }], "a");
    const b = rowsToBatch(schema, [{ id: 2, name: "y" }, { id: 3, name: "x" }], "b");
    const all = concatBatches(schema, [a, b]);
    expect(all.numRows).toBe(3);
    expect(batchToRows(all)).toEqual([{ id: 1, name: "x" }, { id: 2, name: "y" }, { id: 3, name: "x" }]);
  });
});

describe("batchToRows", () => {
  it("gives, column by column, what toExternal(valueAt) gives for each value: nulls, structs, exact longs, dates, booleans", () => {
    const s = parseSchema("t TIMESTAMP, d DATE, n BIGINT, ok BOOLEAN, name STRING, w STRUCT<start: TIMESTAMP, end: TIMESTAMP>, xs ARRAY<INT>, dec DECIMAL(5,2)");
    const rows = [
      { t: new Date(Date.UTC(2026, 0, 1, 1)), d: new Date(Date.UTC(2026, 0, 2)), n: 2n ** 60n, ok: true, name: "a", w: { start: new Date(0), end: null }, xs: [1, 2], dec: "1.25" },
      { t: null, d: null, n: 5, ok: false, name: null, w: null, xs: null, dec: null },
      { t: new Date(-1500), d: new Date(Date.UTC(1969, 11, 31)), n: null, ok: null, name: "", w: { start: null, end: new Date(3_600_000) }, xs: [], dec: "-0.50" },
    ];
    const batch = rowsToBatch(s, rows, "test");
    const out = batchToRows(batch);
    const expected = Array.from({ length: batch.numRows }, (_, i) =>
      Object.fromEntries(s.fields.map((f, k) => [f.name, toExternal(valueAt(batch.columns[k]!, i), f.dataType)])));
    expect(out).toEqual(expected);
    expect(out[0]!.n).toBe(2n ** 60n);
    expect(out[1]).toMatchObject({ t: null, n: 5, ok: false, name: null, w: null });
    expect(out[2]!.w).toEqual({ start: null, end: new Date(3_600_000) });
    expect(String(out[2]!.dec)).toBe("-0.50");
  });
});

describe("batchToRows field names", () => {
  it("any name works as a field: quotes, digits, and __proto__ as a plain assignment; a repeated name is refused, not half-dropped", () => {
    const b = new ColumnBatch(new StructType([
      { name: 'a "quoted"\\name', dataType: IntegerType, nullable: true },
      { name: "1", dataType: IntegerType, nullable: true },
      { name: "x", dataType: IntegerType, nullable: true },
    ]), [build(IntegerType, [1]), build(IntegerType, [2]), build(IntegerType, [3])], 1);
    expect(batchToRows(b)).toEqual([{ 'a "quoted"\\name': 1, "1": 2, x: 3 }]);
    const repeated = new ColumnBatch(new StructType([
      { name: "x", dataType: IntegerType, nullable: true },
      { name: "x", dataType: StringType, nullable: true },
    ]), [build(IntegerType, [3]), build(StringType, ["s"])], 1);
    expect(() => batchToRows(repeated)).toThrow("`x` names more than one column of (x, x)");
    const proto = new ColumnBatch(new StructType([{ name: "__proto__", dataType: IntegerType, nullable: true }, { name: "y", dataType: IntegerType, nullable: true }]),
      [build(IntegerType, [1]), build(IntegerType, [2])], 1);
    const [row] = batchToRows(proto);
    expect(row!.y).toBe(2);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});
