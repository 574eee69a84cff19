import { describe, expect, test } from "vitest";
import { ColumnBatch } from "../../src/columnar/column-batch.ts";
import { dictInternedIdsOf } from "../../src/columnar/dict-interned-ids.ts";
import { VecBuilder } from "../../src/columnar/vec-builder.ts";
import { valueAt, type StrVec } from "../../src/columnar/vector.ts";
import { canShipRows, receiveRows, RowStringsSender, type SentBatch } from "../../src/physical/parallel/shipped-rows.ts";
import { ArrayType, BooleanType, DoubleType, LongType, StringType, StructField, StructType, type DataType } from "../../src/types/data-types.ts";

/**
 * Rows decoded in a worker travel to this thread as typed arrays, strings as codes into one
 * list per worker and column that only grows (parallel/shipped-rows.ts). The sender and the
 * receiver run here in one thread: what crosses is what a worker's message carries.
 */

const inner = new StructType([StructField("s", StringType), StructField("d", DoubleType)]);
const schema = new StructType([
  StructField("url", StringType), StructField("bytes", LongType), StructField("ok", BooleanType), StructField("ms", DoubleType), StructField("inner", inner),
]);

type Row = [string | null, number | bigint | null, boolean | null, number | null, [string | null, number | null] | null];

function vec(type: DataType, values: readonly unknown[]) {
  const b = new VecBuilder(type, values.length);
  for (const v of values) b.append(v);
  return b.finish();
}

function batchOf(rows: readonly Row[]): ColumnBatch {
  const column = (k: number) => rows.map((r) => r[k]);
  const structs = rows.map((r) => (r[4] === null ? null : { s: r[4][0], d: r[4][1] }));
  return new ColumnBatch(schema, [
    vec(StringType, column(0)), vec(LongType, column(1)), vec(BooleanType, column(2)), vec(DoubleType, column(3)), vec(inner, structs),
  ], rows.length);
}

/** Every value of every row, as valueAt reads it. */
function values(batch: ColumnBatch): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < batch.numRows; i++) out.push(batch.columns.map((c) => valueAt(c, i)));
  return out;
}

/** Sends `batches` as one message (begin, encode each, end), as a worker's task does for one file. */
function message(sender: RowStringsSender, batches: readonly ColumnBatch[]) {
  sender.begin();
  const sent: SentBatch[] = batches.map((b) => sender.encode(b));
  return { strings: sender.end(), batches: structuredClone(sent) };
}

describe("rows shipped from a worker", () => {
  test("every kind of column arrives with its values and nulls; a second message carries only the strings not sent yet", () => {
    const sender = new RowStringsSender("plan-a");
    const first = batchOf([
      ["/a", 1, true, 0.5, ["x", 1.5]],
      [null, null, null, null, null],
      ["/b", 2n ** 60n + 1n, false, -0.25, [null, 2.5]],
      ["/a", 3, true, Number.NaN, ["y", null]],
    ]);
    const second = batchOf([
      ["/b", 4, false, 1e300, ["x", 0]],
      ["/c", 5, null, 7, ["z", 1]],
      ["/a", null, true, 8, null],
    ]);
    const m1 = message(sender, [first]);
    const m2 = message(sender, [second]);
    expect(m1.strings.delta["0"]!.added).toEqual(["/a", "/b"]);
    expect(m1.strings.delta["4.0"]!.added).toEqual(["x", "y"]);
    expect(m2.strings.delta["0"]!.added).toEqual(["/c"]);
    expect(m2.strings.delta["4.0"]!.added).toEqual(["z"]);

    const [got1] = receiveRows(schema, m1.strings, m1.batches);
    const [got2] = receiveRows(schema, m2.strings, m2.batches);
    expect(values(got1!)).toEqual(values(first));
    expect(values(got2!)).toEqual(values(second));
    expect(valueAt(got1!.columns[1]!, 2)).toBe(2n ** 60n + 1n);

    // One list per column, shared by both messages' batches, each entry numbered by its index:
    // a group table's key column maps a string seen before by index, not by its hash.
    const dict = (got2!.columns[0] as StrVec).dict;
    expect((got1!.columns[0] as StrVec).dict).toBe(dict);
    expect(dict).toEqual(["/a", "/b", "/c"]);
    const ids = dictInternedIdsOf(dict)!;
    expect(ids.generation).toBeLessThan(-1);
    expect(Array.from(ids.ids.subarray(0, dict.length))).toEqual([0, 1, 2]);
  });

  test("a list past its bound starts again; batches received before keep the old list's strings", () => {
    const sender = new RowStringsSender("plan-b", 2);
    const rows = (urls: string[]): Row[] => urls.map((u, i) => [u, i, true, i, null]);
    const first = batchOf(rows(["/1", "/2", "/3"]));
    const second = batchOf(rows(["/4", "/1"]));
    const m1 = message(sender, [first]);
    const m2 = message(sender, [second]);
    expect(m2.strings.delta["0"]).toEqual({ restart: true, base: 0, added: ["/4", "/1"] });
    const [got1] = receiveRows(schema, m1.strings, m1.batches);
    const [got2] = receiveRows(schema, m2.strings, m2.batches);
    expect(values(got1!)).toEqual(values(first));
    expect(values(got2!)).toEqual(values(second));
    const [d1, d2] = [got1!, got2!].map((b) => (b.columns[0] as StrVec).dict);
    expect(d1).not.toBe(d2);
    expect(dictInternedIdsOf(d1!)!.generation).not.toBe(dictInternedIdsOf(d2!)!.generation);
  });

  test("two senders of one plan (two workers, or one replaced after a failure) keep lists apart", () => {
    const a = new RowStringsSender("plan-c"), b = new RowStringsSender("plan-c");
    expect(a.sender).not.toBe(b.sender);
    const fromA = batchOf([["/a", 1, true, 1, null]]);
    const fromB = batchOf([["/b", 1, true, 1, null]]);
    const ma = message(a, [fromA]), mb = message(b, [fromB]);
    expect(values(receiveRows(schema, ma.strings, ma.batches)[0]!)).toEqual(values(fromA));
    expect(values(receiveRows(schema, mb.strings, mb.batches)[0]!)).toEqual(values(fromB));
  });

  test("a message lost or received out of order is an error naming the sender and column, never codes read against other strings", () => {
    const sender = new RowStringsSender("plan-d");
    const m1 = message(sender, [batchOf([["/a", 1, true, 1, null], ["/b", 2, true, 2, null]])]);
    const m2 = message(sender, [batchOf([["/c", 3, true, 3, null], ["/a", 4, true, 4, null]])]);
    expect(m2.strings.delta["0"]).toEqual({ restart: false, base: 2, added: ["/c"] });
    expect(() => receiveRows(schema, m2.strings, m2.batches)).toThrow(/rows from worker .*plan-d.* out of step: column 0's strings list holds 0 strings here, the worker's held 2/);
  });

  test("rows with JS values (arrays, maps, binary) do not travel", () => {
    expect(canShipRows(schema)).toBe(true);
    expect(canShipRows(new StructType([StructField("tags", ArrayType(StringType))]))).toBe(false);
    expect(canShipRows(new StructType([StructField("s", new StructType([StructField("tags", ArrayType(StringType))]))]))).toBe(false);
  });
});
