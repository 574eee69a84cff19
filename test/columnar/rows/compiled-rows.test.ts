import { describe, expect, it } from "vitest";
import { ColumnBatch } from "../../../src/columnar/column-batch.ts";
import { concatBatches } from "../../../src/columnar/concat.ts";
import { Decimal } from "../../../src/columnar/decimal.ts";
import { batchToRows, resultRows, resultRowsOf, rowsToBatch, toExternal } from "../../../src/columnar/values.ts";
import { valueAt } from "../../../src/columnar/vector.ts";
import { parseSchema } from "../../../src/types/ddl.ts";

const hour = 3_600_000;
const schema = parseSchema(
  "url STRING, window STRUCT<start: TIMESTAMP, end: TIMESTAMP>, day DATE, at TIMESTAMP, n BIGINT, big BIGINT, " +
  "price DECIMAL(10,2), ok BOOLEAN, i INT, x DOUBLE, odd STRUCT<`1`: INT, `__proto__`: STRING>, tags ARRAY<INT>",
);

/** `n` rows from `from`: repeating windows and days, own instants with microseconds, nulls here and there. */
function externalRows(from: number, n: number, urls: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const start = new Date(Date.UTC(2026, 0, 1) + (i % 3) * hour);
    return {
      url: i % 11 === 0 ? null : `/p${i % urls}`,
      window: i % 13 === 0 ? null : { start, end: i % 17 === 0 ? null : new Date(start.getTime() + hour) },
      day: new Date(Date.UTC(2026, 0, 1 + (i % 4))),
      at: `2026-01-01 00:00:${String(i % 60).padStart(2, "0")}.${String(i % 1_000_000).padStart(6, "0")}`,
      n: i % 7 === 0 ? null : i * 3,
      big: i % 5 === 0 ? 2n ** 60n + BigInt(i) : i % 5 === 1 ? null : -i,
      price: i % 9 === 0 ? null : new Decimal(BigInt(i * 101), 2),
      ok: i % 6 === 0 ? null : i % 2 === 0,
      i: i % 8 === 0 ? null : i - 500,
      x: i % 10 === 0 ? null : i / 3,
      odd: i % 4 === 0 ? null : { 1: i, __proto__: `p${i}` },
      tags: i % 3 === 0 ? null : [i, i + 1],
    };
  });
}

/** Each value as toExternal(valueAt(v, i), type) gives it, the reference of every row path. */
function referenceRows(batch: ColumnBatch): Record<string, unknown>[] {
  return Array.from({ length: batch.numRows }, (_, i) => Object.fromEntries(
    batch.schema.fields.map((f, k) => [f.name, toExternal(valueAt(batch.columns[k]!, i), f.dataType)]),
  ));
}

/** The rows made column reader by column reader (batches under 256 rows), as collect() made them before. */
function readerRows(batch: ColumnBatch): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let s = 0; s < batch.numRows; s += 100) out.push(...batchToRows(batch.slice(s, s + 100)));
  return out;
}

describe("rows of a large batch (one generated loop)", () => {
  const chunks = [
    rowsToBatch(schema, externalRows(0, 700, 50), "test"),
    rowsToBatch(schema, [], "test"),
    rowsToBatch(schema, externalRows(700, 500, 90), "test"),
  ];
  const batch = concatBatches(schema, chunks);

  it("gives every value, type, null and column order as the column readers and toExternal do", () => {
    const rows = batchToRows(batch);
    expect(rows).toHaveLength(1200);
    expect(rows).toEqual(referenceRows(batch));
    expect(rows).toEqual(readerRows(batch));
    expect(rows).toEqual(chunks.flatMap(referenceRows));
    for (const r of rows) expect(Object.keys(r)).toEqual(schema.fieldNames);
    expect(typeof rows[5]!.big).toBe("bigint");
    expect(rows[5]!.big).toBe(2n ** 60n + 5n);
    expect(rows[7]!.big).toBe(-7);
    expect(rows[6]!.big).toBeNull();
    expect(rows[3]!.price).toBeInstanceOf(Decimal);
    expect(Object.getPrototypeOf(rows[1]!.odd)).toBe(Object.prototype);
    expect(Object.keys(rows[1]!.odd as object)).toEqual(Object.keys(readerRows(batch)[1]!.odd as object));
    expect(rows[14]!.window).toEqual({ start: new Date(Date.UTC(2026, 0, 1) + 2 * hour), end: new Date(Date.UTC(2026, 0, 1) + 3 * hour) });
    expect(rows[17]!.window).toEqual({ start: new Date(Date.UTC(2026, 0, 1) + 2 * hour), end: null });
  });

  it("collect()'s rows share one unchangeable Date per instant in a repeating column, and keep their own elsewhere", () => {
    const rows = resultRows(batch);
    expect(rows).toEqual(referenceRows(batch));
    const start = (r: Record<string, unknown>) => (r.window as { start: Date }).start;
    expect(start(rows[1]!)).toBe(start(rows[1000]!)); // 1 and 1000: the same hour, in different chunks
    expect(start(rows[1]!)).toBeInstanceOf(Date);
    expect(() => start(rows[1]!).setTime(0)).toThrow(TypeError);
    expect(rows[1]!.day).toBe(rows[5]!.day);
    expect(rows[1]!.at).not.toBe(rows[61]!.at);
    expect(rows[2]!.at).toEqual(new Date(Date.UTC(2026, 0, 1, 0, 0, 2, 0)));
    // The microseconds of an instant handed out stay known when the Date is handed back.
    expect(rowsToBatch(parseSchema("at TIMESTAMP"), [{ at: rows[2]!.at }], "test").columns[0]).toMatchObject({ values: Float64Array.of(Date.UTC(2026, 0, 1, 0, 0, 2) * 1000 + 2) });
    // batchToRows (rows handed to a user's function one by one): every Date its own.
    const own = batchToRows(batch);
    expect(start(own[1]!)).not.toBe(start(own[1000]!));
  });

  it("a column named __proto__ is read by the column readers, as before (no literal takes it as the prototype)", () => {
    const s = parseSchema("`__proto__` STRING, v INT");
    const b = rowsToBatch(s, Array.from({ length: 300 }, (_, i) => [`p${i}`, i]), "test");
    const rows = resultRows(b);
    expect(rows).toEqual(readerRows(b));
    expect(Object.getPrototypeOf(rows[7])).toBe(Object.prototype);
  });
});

describe("rows of a large batch of longs held as doubles", () => {
  it("a double beyond 2^53 in a long column without exact values is a bigint, as toExternal gives it", () => {
    const s = parseSchema("n BIGINT");
    const values = Float64Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? i : 2 ** 60 + i * 2 ** 10));
    const b = new ColumnBatch(s, [{ kind: "num", type: s.fields[0]!.dataType, length: 300, values, valid: null }], 300);
    const rows = resultRows(b);
    expect(rows).toEqual(referenceRows(b));
    expect(rows[1]!.n).toBe(2n ** 60n + 1024n);
    expect(rows[2]!.n).toBe(2);
  });
});

/** Which rows hold the same Date object: each row's Date numbered by first appearance. */
function dateIdentities(rows: readonly Record<string, unknown>[], get: (r: Record<string, unknown>) => unknown): number[] {
  const ids = new Map<unknown, number>();
  return rows.map((r) => {
    const d = get(r);
    if (d === null) return -1;
    if (!ids.has(d)) ids.set(d, ids.size);
    return ids.get(d)!;
  });
}

describe("collect()'s rows batch by batch (resultRowsOf), against the rows of the batches joined", () => {
  const chunks = [
    rowsToBatch(schema, externalRows(0, 300, 50), "test"),
    rowsToBatch(schema, [], "test"),
    rowsToBatch(schema, externalRows(300, 40, 7), "test"),
    rowsToBatch(schema, externalRows(340, 400, 90), "test"),
  ];
  const getters: ((r: Record<string, unknown>) => unknown)[] = [
    (r) => (r.window as { start: Date } | null)?.start ?? null,
    (r) => (r.window as { end: Date | null } | null)?.end ?? null,
    (r) => r.day,
    (r) => r.at,
  ];

  it("gives the same values, types, nulls and shared Dates, over different dictionaries, decimals, longs beyond 2^53 and empty chunks", () => {
    const joined = resultRows(concatBatches(schema, chunks));
    const rows = resultRowsOf(schema, chunks);
    expect(rows).toEqual(joined);
    expect(rows).toEqual(chunks.flatMap(referenceRows));
    for (const get of getters) expect(dateIdentities(rows, get)).toEqual(dateIdentities(joined, get));
    expect((rows[1]!.window as { start: Date }).start).toBe((rows[700]!.window as { start: Date }).start);
    expect(typeof rows[305]!.big).toBe("bigint");
  });

  it("a column whose instants repeat in one batch only is sampled over all of them, as joined", () => {
    const s = parseSchema("at TIMESTAMP");
    const same = rowsToBatch(s, Array.from({ length: 300 }, () => [new Date(0)]), "test");
    const distinct = rowsToBatch(s, Array.from({ length: 3000 }, (_, i) => [new Date(i * 1000)]), "test");
    const rows = resultRowsOf(s, [same, distinct]);
    expect(rows[0]!.at).not.toBe(rows[1]!.at);
    expect(dateIdentities(rows, (r) => r.at)).toEqual(dateIdentities(resultRows(concatBatches(s, [same, distinct])), (r) => r.at));
  });

  it("few rows, a __proto__ name, no batch: the rows of the batches joined", () => {
    expect(resultRowsOf(schema, chunks.slice(1, 3))).toEqual(resultRows(concatBatches(schema, chunks.slice(1, 3))));
    expect(resultRowsOf(schema, [])).toEqual([]);
    const s = parseSchema("o STRUCT<`__proto__`: STRING>, v INT");
    const parts = [0, 1].map((p) => rowsToBatch(s, Array.from({ length: 200 }, (_, i) => [{ __proto__: `p${i}` }, p * 200 + i]), "test"));
    expect(resultRowsOf(s, parts)).toEqual(resultRows(concatBatches(s, parts)));
  });
});
