import { describe, expect, test } from "vitest";
import { Session, col, count_min_sketch } from "../../../src/index.ts";

const spark = Session.builder().getOrCreate();

/** Spark's CountMinSketch bytes (CountMinSketchImpl.writeTo): version, total, depth, width, hashA, table, big-endian. */
function readSketch(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getInt32(0), total = Number(view.getBigInt64(4)), depth = view.getInt32(12), width = view.getInt32(16);
  let at = 20;
  const hashA: bigint[] = [];
  for (let i = 0; i < depth; i++, at += 8) hashA.push(view.getBigInt64(at));
  const table: number[][] = [];
  for (let i = 0; i < depth; i++) {
    const row: number[] = [];
    for (let j = 0; j < width; j++, at += 8) row.push(Number(view.getBigInt64(at)));
    table.push(row);
  }
  expect(at).toBe(bytes.length);
  // CountMinSketchImpl.estimateCount(long): the least of the item's cells.
  const estimateLong = (item: bigint) => Math.min(...hashA.map((a, i) => {
    let h = BigInt.asIntN(64, a * item);
    h = BigInt.asIntN(64, h + (h >> 32n)) & ((1n << 31n) - 1n);
    return table[i]![Number(h) % width]!;
  }));
  return { version, total, depth, width, hashA, table, estimateLong };
}

describe("count_min_sketch", () => {
  test("SQL: Spark's layout and shape (width ceil(2/eps), depth ceil(-log2(1-confidence))), java.util.Random's multipliers for the seed", async () => {
    const [row] = await spark.sql("SELECT count_min_sketch(x, 0.01D, 0.95D, 42) AS s FROM VALUES (1), (2), (1), (3), (1), (NULL) AS t(x)").collect();
    const s = readSketch(row!.s as Uint8Array);
    expect([s.version, s.total, s.depth, s.width]).toEqual([1, 5, 5, 200]);
    // new Random(42).nextInt(Integer.MAX_VALUE), five times.
    const mask = (1n << 48n) - 1n;
    let state = (42n ^ 0x5deece66dn) & mask;
    const expected = s.hashA.map(() => { state = (state * 0x5deece66dn + 0xbn) & mask; return state >> 17n; });
    expect(s.hashA).toEqual(expected);
    for (const r of s.table) expect(r.reduce((a, b) => a + b, 0)).toBe(5);
    expect([1n, 2n, 3n, 4n].map(s.estimateLong)).toEqual([3, 1, 1, 0]);
  });

  test("DataFrame form agrees with SQL; integers of any width hash alike; strings and binaries are counted; per group", async () => {
    const df = spark.createDataFrame([{ g: "a", n: 7, s: "x" }, { g: "a", n: 7, s: "y" }, { g: "b", n: 8, s: "x" }], "g STRING, n INT, s STRING");
    df.createOrReplaceTempView("cms");
    const [api] = await df.agg(count_min_sketch(col("n"), 0.5, 0.5, 1).as("s")).collect();
    const [sql] = await spark.sql("SELECT count_min_sketch(CAST(n AS BIGINT), 0.5, 0.5, 1) AS s FROM cms").collect();
    expect(Buffer.from(api!.s as Uint8Array).toString("hex")).toBe(Buffer.from(sql!.s as Uint8Array).toString("hex"));
    const small = readSketch(api!.s as Uint8Array);
    expect([small.total, small.depth, small.width]).toEqual([3, 1, 4]);
    expect(small.estimateLong(7n)).toBeGreaterThanOrEqual(2);
    const groups = await spark.sql("SELECT g, count_min_sketch(s, 0.001, 0.99, 7) AS s, count_min_sketch(CAST(s AS BINARY), 0.001, 0.99, 7) AS b FROM cms GROUP BY g ORDER BY g").collect();
    expect(groups.map((r) => readSketch(r.s as Uint8Array).total)).toEqual([2, 1]);
    // A string is hashed by its UTF-8 bytes: the same cells as the binary.
    for (const r of groups) expect(Buffer.from(r.s as Uint8Array).equals(Buffer.from(r.b as Uint8Array))).toBe(true);
  });

  test("an empty input gives an empty sketch; bad arguments are refused as Spark does", async () => {
    const [row] = await spark.sql("SELECT count_min_sketch(x, 0.5D, 0.5D, 1) AS s FROM VALUES (1) AS t(x) WHERE x > 5").collect();
    expect(readSketch(row!.s as Uint8Array).total).toBe(0);
    expect(() => spark.sql("SELECT count_min_sketch(x, 0D, 0.5D, 1) FROM VALUES (1) AS t(x)")).toThrow("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE]");
    expect(() => spark.sql("SELECT count_min_sketch(x, 0.1D, 1.5D, 1) FROM VALUES (1) AS t(x)")).toThrow("The `confidence` must be between (0.0, 1.0)");
    expect(() => spark.sql("SELECT count_min_sketch(x, 0.1D, 0.5D, 1) FROM VALUES (1.5D) AS t(x)")).toThrow("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE]");
    expect(() => spark.sql("SELECT count_min_sketch(x, x, 0.5D, 1) FROM VALUES (1) AS t(x)")).toThrow("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT]");
  });
});
