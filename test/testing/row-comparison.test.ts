import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { diffRows, formatValue } from "../../src/testing/row-comparison.ts";
import { MemoryStream, StreamTestFailure, testStream } from "../../src/testing/index.ts";
import { scopedTmpdir } from "./scoped-tmpdir.ts";

scopedTmpdir("rivulet-row-comparison-tmp-");

const same = (a: unknown, b: unknown): boolean => diffRows([{ v: a }], [{ v: b }]) === null;

describe("rows compare by the type of each value (Spark's checkAnswer rules)", () => {
  test("floating point: NaN, Infinity, -Infinity and null are four values; NaN equals NaN; -0 equals 0", () => {
    const kinds = [NaN, Infinity, -Infinity, null, 0, 1.5];
    for (const [i, a] of kinds.entries()) {
      for (const [j, b] of kinds.entries()) expect(same(a, b), `${formatValue(a)} vs ${formatValue(b)}`).toBe(i === j);
    }
    expect(same(-0, 0)).toBe(true);
    expect(same(0.1 + 0.2, 0.3)).toBe(false); // exact, as Spark's checkAnswer: tolerance is a separate check
  });

  test("bigint: equals a number of the same integer value; past the safe integers only a bigint", () => {
    expect(same(1n, 1)).toBe(true);
    expect(same(1n, 2)).toBe(false);
    expect(same(1n, 1.5)).toBe(false);
    expect(same(9007199254740993n, 9007199254740993n)).toBe(true);
    expect(same(9007199254740993n, 9007199254740992n)).toBe(false);
    expect(same(9007199254740993n, 9007199254740992)).toBe(false); // the number cannot hold the exact value
    expect(same(1n, "1")).toBe(false);
  });

  test("Date by its instant, not by its text or number", () => {
    expect(same(new Date(Date.UTC(2026, 0, 1)), new Date("2026-01-01T00:00:00Z"))).toBe(true);
    expect(same(new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 1)))).toBe(false);
    expect(same(new Date(0), 0)).toBe(false);
    expect(same(new Date(0), "1970-01-01T00:00:00.000Z")).toBe(false);
  });

  test("Uint8Array by its bytes", () => {
    expect(same(new Uint8Array([0x41, 0x42]), new Uint8Array([0x41, 0x42]))).toBe(true);
    expect(same(new Uint8Array([0x41, 0x42]), new Uint8Array([0x41, 0x43]))).toBe(false);
    expect(same(new Uint8Array([0x41]), new Uint8Array([0x41, 0x00]))).toBe(false);
    expect(same(new Uint8Array([0x41, 0x42]), [0x41, 0x42])).toBe(false);
    expect(same(new Uint8Array([1, 2, 3]).subarray(1), new Uint8Array([2, 3]))).toBe(true);
  });

  test("Map by its entries in any order, keys and values typed", () => {
    expect(same(new Map([["a", 1], ["b", NaN]]), new Map([["b", NaN], ["a", 1]]))).toBe(true);
    expect(same(new Map([["a", 1]]), new Map([["a", null]]))).toBe(false);
    expect(same(new Map([["a", 1]]), new Map([["a", 1], ["b", 2]]))).toBe(false);
    expect(same(new Map([[1, "x"]]), new Map([["1", "x"]]))).toBe(false);
    expect(same(new Map([["a", 1]]), { a: 1 })).toBe(false);
  });

  test("structs by field name (in any order), arrays in order, nested all the way down", () => {
    expect(same({ x: 1, y: [NaN, null] }, { y: [NaN, null], x: 1 })).toBe(true);
    expect(same({ x: 1, y: [NaN, null] }, { x: 1, y: [null, NaN] })).toBe(false);
    expect(same({ x: 1, y: null }, { x: 1 })).toBe(false); // a missing field is not a null one
    expect(same([{ m: new Map([["k", [Infinity]]]) }], [{ m: new Map([["k", [Infinity]]]) }])).toBe(true);
    expect(same([{ m: new Map([["k", [Infinity]]]) }], [{ m: new Map([["k", [-Infinity]]]) }])).toBe(false);
    expect(same({ s: "1" }, { s: 1 })).toBe(false);
    expect(same(true, 1)).toBe(false);
  });

  test("rows are a multiset: order does not matter, repeats do", () => {
    expect(diffRows([{ a: 1 }, { a: 2 }], [{ a: 2 }, { a: 1 }])).toBeNull();
    expect(diffRows([{ a: 1 }, { a: 1 }], [{ a: 1 }])).toEqual({ missing: [{ a: 1 }], unexpected: [] });
    expect(diffRows([{ a: 1 }], [{ a: 1 }, { a: 1 }])).toEqual({ missing: [], unexpected: [{ a: 1 }] });
  });

  test("values print with their kind, so that no two different values print alike", () => {
    expect(formatValue({ a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0, f: null, g: 1n, h: 1, i: "1" }))
      .toBe('{a: NaN, b: Infinity, c: -Infinity, d: -0, e: 0, f: null, g: 1n, h: 1, i: "1"}');
    expect(formatValue([new Date(Date.UTC(2026, 0, 1)), new Uint8Array([0x41, 0x0a]), new Map([["k", undefined]])]))
      .toBe('[2026-01-01T00:00:00.000Z, <41 0a>, Map{"k" => undefined}]');
  });
});

describe("testStream checks answers with these rules", () => {
  test("a DOUBLE column's NaN, Infinity, -Infinity, -0 and null match themselves", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ x: number | null }>(spark, "x DOUBLE");
    const rows = [{ x: NaN }, { x: Infinity }, { x: -Infinity }, { x: -0 }, { x: null }];
    await testStream(input.toDF(), "append").addData(input, rows).checkNewAnswer([...rows].reverse()).run();
  });

  test("NaN expected where null came out fails, naming both in the message", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ x: number | null }>(spark, "x DOUBLE");
    const run = testStream(input.toDF(), "append")
      .addData(input, [{ x: null }, { x: Infinity }])
      .checkNewAnswer([{ x: NaN }, { x: -Infinity }])
      .run();
    await expect(run).rejects.toThrow(StreamTestFailure);
    await expect(run).rejects.toThrow(/== Expected but missing \(2\) ==\n {2}\{x: NaN\}\n {2}\{x: -Infinity\}\n== Not expected \(2\) ==\n {2}\{x: null\}\n {2}\{x: Infinity\}\n/);
  });

  test("a LONG past the safe integers comes back as a bigint and must be expected as one", async () => {
    const spark = Session.builder().getOrCreate();
    const input = new MemoryStream<{ n: bigint }>(spark, "n BIGINT");
    await testStream(input.toDF(), "append").addData(input, [{ n: 2n ** 60n }]).checkNewAnswer([{ n: 2n ** 60n }]).run();
    // The same value as a number is not enough: a number that large cannot say which integer it is.
    const other = new MemoryStream<{ n: bigint }>(spark, "n BIGINT");
    const run = testStream(other.toDF(), "append").addData(other, [{ n: 2n ** 60n }]).checkNewAnswer([{ n: 2 ** 60 }]).run();
    await expect(run).rejects.toThrow(/== Expected but missing \(1\) ==\n {2}\{n: 1152921504606847000\}\n== Not expected \(1\) ==\n {2}\{n: 1152921504606846976n\}/);
  });
});
