import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { fromRecordBatch, toRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { StringType } from "../../src/types/data-types.ts";
import { parseSchema } from "../../src/types/ddl.ts";

const schema = parseSchema("s STRING, t STRUCT<name: STRING>");
const VALUES = ["é", null, "", "a\"b", "😀", "é", "plain"];

function batch(): ColumnBatch {
  const s = new VecBuilder(schema.fields[0]!.dataType);
  const t = new VecBuilder(schema.fields[1]!.dataType);
  for (const v of VALUES) {
    s.append(v);
    t.append({ name: v });
  }
  return new ColumnBatch(schema, [s.finish(), t.finish()], VALUES.length);
}

function isBuilt(data: arrow.Data): boolean {
  return Object.getOwnPropertyDescriptor(data, "dictionary")?.get === undefined;
}

describe("a string column's Arrow dictionary, built when first read", () => {
  it("is not built when the engine reads the batch back, and holds the strings when Arrow reads it", () => {
    const b = batch();
    const rb = toRecordBatch(b);
    const s = rb.data.children[0]!;
    expect(fromRecordBatch(rb, schema).columns[0]).toBe(b.columns[0]); // the Vec itself
    expect(isBuilt(s)).toBe(false);
    expect([...rb.getChild("s")!]).toEqual(VALUES);
    expect(isBuilt(s)).toBe(true);
    expect(s.dictionary).toBe(s.dictionary); // built once
    expect([...rb.getChild("t")!].map((r) => r?.toJSON().name)).toEqual(VALUES);
  });

  it("goes through IPC and slices, and can be replaced", () => {
    const rb = toRecordBatch(batch());
    expect([...arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table([rb]))).getChild("s")!]).toEqual(VALUES);
    const rb2 = toRecordBatch(batch());
    expect([...rb2.slice(2, 6).getChild("s")!]).toEqual(VALUES.slice(2, 6));
    const rb3 = toRecordBatch(batch());
    const data = rb3.data.children[0]!;
    const other = arrow.vectorFromArray(["x", "y", "z", "w", "v", "u"], new arrow.Utf8());
    data.dictionary = other;
    expect(data.dictionary).toBe(other);
  });

  it("is the same vector for two batches sharing a dictionary", () => {
    const b = batch();
    const one = toRecordBatch(b).data.children[0]!;
    const two = toRecordBatch(b).data.children[0]!;
    expect(one.dictionary).toBe(two.dictionary);
    const three = toRecordBatch(b).data.children[0]!;
    expect(isBuilt(three)).toBe(true); // already built for this dictionary: set at once
  });
});

describe("a dictionary list its producer appends to (the stream join's slot columns)", () => {
  it("is built again for a later batch whose codes reach past what the first batch's vector held", () => {
    const one = parseSchema("s STRING");
    const dict: string[] = ["a"];
    const first = toRecordBatch(new ColumnBatch(one, [{ kind: "str", type: StringType, length: 1, codes: new Int32Array([0]), dict, valid: null }], 1));
    expect(first.getChildAt(0)!.get(0)).toBe("a"); // builds and remembers the vector of ["a"]
    dict.push("b");
    const second = toRecordBatch(new ColumnBatch(one, [{ kind: "str", type: StringType, length: 2, codes: new Int32Array([1, 0]), dict, valid: null }], 2));
    expect([second.getChildAt(0)!.get(0), second.getChildAt(0)!.get(1)]).toEqual(["b", "a"]);
    expect(arrow.tableFromIPC(arrow.tableToIPC(new arrow.Table(second))).getChildAt(0)!.toArray()).toEqual(["b", "a"]);
  });
});
