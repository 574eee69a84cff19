import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const spark = Session.builder().appName("parquet-files").getOrCreate();
const tempDir = tempDirs(spark);
let duck: Awaited<ReturnType<Awaited<ReturnType<typeof DuckDBInstance.create>>["connect"]>>;
beforeAll(async () => { duck = await (await DuckDBInstance.create(":memory:")).connect(); });
afterAll(() => { duck?.closeSync(); });

/** Every Spark type Parquet holds, at its edges, and a row of nulls. */
const EXACT = `
  SELECT * FROM VALUES
    (CAST('9223372036854775807' AS BIGINT), CAST('-9223372036854775808' AS BIGINT), CAST('12345678901234567890123456.1234567891' AS DECIMAL(38,10)),
     TIMESTAMP '2026-03-01 10:11:12.123456', timestamp_ntz'2026-03-01 10:11:12.654321', DATE '2026-03-01', X'00FF10',
     CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), CAST(1.5 AS FLOAT), 0.1D, 'héllo', true, 2147483647,
     CAST(-0.0000000001 AS DECIMAL(38,10)), CAST(123.45 AS DECIMAL(5,2)), CAST(1234567890123.45 AS DECIMAL(15,2))),
    (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
  AS t(big, small, dec, ts, ntz, d, bin, tiny, short, f, dbl, s, b, i, negdec, dec5, dec15)`;

/** Each column as text (exact: micros, all decimal digits), in SQL so that nothing rounds through JS numbers. */
const AS_TEXT = "SELECT CAST(big AS STRING) big, CAST(small AS STRING) small, CAST(dec AS STRING) dec, CAST(ts AS STRING) ts, CAST(ntz AS STRING) ntz, CAST(d AS STRING) d, hex(bin) bin, CAST(tiny AS STRING) tiny, CAST(short AS STRING) short, CAST(f AS STRING) f, CAST(dbl AS STRING) dbl, s, CAST(b AS STRING) b, CAST(i AS STRING) i, CAST(negdec AS STRING) negdec, CAST(dec5 AS STRING) dec5, CAST(dec15 AS STRING) dec15 FROM ";

async function textRows(view: string): Promise<Record<string, unknown>[]> {
  return spark.sql(`${AS_TEXT}${view} ORDER BY big NULLS LAST`).collect();
}

describe("Parquet files: df.write.parquet and spark.read.parquet", () => {
  test("every type comes back exactly, with its Spark type, from the file footers", async () => {
    const dir = join(await tempDir("rivulet-parquet-"), "out");
    const df = spark.sql(EXACT);
    await df.write.parquet(dir);
    const files = (await readdir(dir)).sort();
    expect(files).toContain("_SUCCESS");
    expect(files.filter((f) => f.endsWith(".snappy.parquet"))).toHaveLength(1);
    expect(files.find((f) => f.endsWith(".parquet"))).toMatch(/^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/);

    const back = spark.read.parquet(dir);
    expect(back.schema.toDDL()).toBe(df.schema.toDDL());
    back.createOrReplaceTempView("parquet_back");
    df.createOrReplaceTempView("parquet_orig");
    const rows = await textRows("parquet_back");
    expect(rows).toEqual(await textRows("parquet_orig"));
    expect(rows[0]).toMatchObject({
      big: "9223372036854775807", small: "-9223372036854775808", dec: "12345678901234567890123456.1234567891",
      ts: "2026-03-01 10:11:12.123456", ntz: "2026-03-01 10:11:12.654321", d: "2026-03-01", bin: "00FF10",
      tiny: "-128", short: "32767", f: "1.5", dbl: "0.1", s: "héllo", b: "true", i: "2147483647", negdec: "-0.0000000001",
    });
    expect(Object.values(rows[1]!).every((v) => v === null)).toBe(true);
    // format("parquet").load(path) is the same reader.
    expect(await spark.read.format("parquet").load(dir).count()).toBe(2);
  });

  test("DuckDB reads rivulet's file with the same values and Parquet types", async () => {
    const dir = join(await tempDir("rivulet-parquet-duck-"), "out");
    await spark.sql(EXACT).write.parquet(dir);
    const file = join(dir, (await readdir(dir)).find((f) => f.endsWith(".parquet"))!);
    const types = (await duck.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).getRowObjectsJS();
    expect(Object.fromEntries(types.map((r) => [r.column_name, r.column_type]))).toEqual({
      big: "BIGINT", small: "BIGINT", dec: "DECIMAL(38,10)", ts: "TIMESTAMP WITH TIME ZONE", ntz: "TIMESTAMP", d: "DATE", bin: "BLOB",
      tiny: "TINYINT", short: "SMALLINT", f: "FLOAT", dbl: "DOUBLE", s: "VARCHAR", b: "BOOLEAN", i: "INTEGER",
      negdec: "DECIMAL(38,10)", dec5: "DECIMAL(5,2)", dec15: "DECIMAL(15,2)",
    });
    const [row] = (await duck.runAndReadAll(
      `SELECT big::VARCHAR big, small::VARCHAR small, "dec"::VARCHAR "dec", strftime(ts AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f') ts, strftime(ntz, '%Y-%m-%d %H:%M:%S.%f') ntz, d::VARCHAR d, hex(bin) bin, tiny, short, f, s, b, dec5::VARCHAR dec5
       FROM read_parquet('${file}') WHERE big IS NOT NULL`)).getRowObjectsJS();
    expect(row).toEqual({
      big: "9223372036854775807", small: "-9223372036854775808", dec: "12345678901234567890123456.1234567891",
      ts: "2026-03-01 10:11:12.123456", ntz: "2026-03-01 10:11:12.654321", d: "2026-03-01", bin: "00FF10",
      tiny: -128, short: 32767, f: 1.5, s: "héllo", b: true, dec5: "123.45",
    });
    expect((await duck.runAndReadAll(`SELECT count(*) n FROM read_parquet('${file}') WHERE big IS NULL AND s IS NULL`)).getRowObjectsJS()).toEqual([{ n: 1n }]);
  });

  test("rivulet reads a file DuckDB wrote, with equal values", async () => {
    const dir = await tempDir("rivulet-parquet-from-duck-");
    const file = join(dir, "duck.parquet");
    await duck.run(`COPY (SELECT * FROM (VALUES
        (9223372036854775807::BIGINT, '12345678901234567890123456.1234567891'::DECIMAL(38,10), TIMESTAMPTZ '2026-03-01 10:11:12.123456+00', TIMESTAMP '2026-03-01 10:11:12.654321', DATE '2026-03-01', 'x', true, 1.5::FLOAT, -7::TINYINT, '\\x00\\xFF'::BLOB, [1, 2]::INTEGER[], {'a': 1, 'b': 'z'}),
        (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)) v(big, dec, ts, ntz, d, s, b, f, tiny, bin, arr, st))
      TO '${file}' (FORMAT parquet, COMPRESSION snappy)`);
    const df = spark.read.parquet(dir);
    expect(df.schema.toDDL()).toBe("big BIGINT, dec DECIMAL(38,10), ts TIMESTAMP, ntz TIMESTAMP_NTZ, d DATE, s STRING, b BOOLEAN, f FLOAT, tiny TINYINT, bin BINARY, arr ARRAY<INT>, st STRUCT<a: INT, b: STRING>");
    df.createOrReplaceTempView("from_duck");
    const rows = await spark.sql("SELECT CAST(big AS STRING) big, CAST(dec AS STRING) dec, CAST(ts AS STRING) ts, CAST(ntz AS STRING) ntz, CAST(d AS STRING) d, s, b, f, tiny, hex(bin) bin, arr, st FROM from_duck ORDER BY big NULLS LAST").collect();
    expect(rows[0]).toEqual({
      big: "9223372036854775807", dec: "12345678901234567890123456.1234567891", ts: "2026-03-01 10:11:12.123456",
      ntz: "2026-03-01 10:11:12.654321", d: "2026-03-01", s: "x", b: true, f: 1.5, tiny: -7, bin: "00FF", arr: [1, 2], st: { a: 1, b: "z" },
    });
    expect(Object.values(rows[1]!).every((v) => v === null)).toBe(true);
  });

  test("unsigned integers read as Spark reads them: UINT_64 as DECIMAL(20,0), exactly; UINT_32 as BIGINT; UINT_16 as INT; UINT_8 as SMALLINT", async () => {
    const dir = await tempDir("rivulet-parquet-unsigned-");
    await duck.run(`COPY (SELECT * FROM (VALUES
        (18446744073709551615::UBIGINT, 4294967295::UINTEGER, 65535::USMALLINT, 255::UTINYINT),
        (12345678901234567890::UBIGINT, 0::UINTEGER, 0::USMALLINT, 0::UTINYINT),
        (NULL, NULL, NULL, NULL)) v(u64, u32, u16, u8))
      TO '${join(dir, "unsigned.parquet")}' (FORMAT parquet)`);
    const df = spark.read.parquet(dir);
    expect(df.schema.toDDL()).toBe("u64 DECIMAL(20,0), u32 BIGINT, u16 INT, u8 SMALLINT");
    df.createOrReplaceTempView("unsigned_ints");
    expect(await spark.sql("SELECT CAST(u64 AS STRING) u64, CAST(u64 + 1 AS STRING) AS next, u32, u16, u8 FROM unsigned_ints ORDER BY u64 DESC NULLS LAST").collect()).toEqual([
      { u64: "18446744073709551615", next: "18446744073709551616", u32: 4294967295, u16: 65535, u8: 255 },
      { u64: "12345678901234567890", next: "12345678901234567891", u32: 0, u16: 0, u8: 0 },
      { u64: null, next: null, u32: null, u16: null, u8: null },
    ]);
  });

  test("nested types (struct, array, map) round-trip, and DuckDB reads them", async () => {
    const dir = join(await tempDir("rivulet-parquet-nested-"), "out");
    const df = spark.createDataFrame([
      { id: 1, st: { a: 1, b: "x", c: { d: "2.50" } }, arr: [1, null, 3], m: new Map<string, number | null>([["k", 1.5], ["n", null]]) },
      { id: 2, st: null, arr: [], m: null },
    ], "id INT, st STRUCT<a: BIGINT, b: STRING, c: STRUCT<d: DECIMAL(10,2)>>, arr ARRAY<INT>, m MAP<STRING, DOUBLE>");
    await df.write.parquet(dir);
    const back = spark.read.parquet(dir);
    expect(back.schema.toDDL()).toBe("id INT, st STRUCT<a: BIGINT, b: STRING, c: STRUCT<d: DECIMAL(10,2)>>, arr ARRAY<INT>, m MAP<STRING, DOUBLE>");
    const rows = await back.orderBy("id").selectExpr("id", "to_json(st) st", "arr", "m").collect();
    expect(rows).toEqual([
      { id: 1, st: '{"a":1,"b":"x","c":{"d":2.50}}', arr: [1, null, 3], m: new Map([["k", 1.5], ["n", null]]) },
      { id: 2, st: null, arr: [], m: null },
    ]);
    const file = join(dir, (await readdir(dir)).find((f) => f.endsWith(".parquet"))!);
    const [duckRow] = (await duck.runAndReadAll(`SELECT st.c.d::VARCHAR d, st.b b, arr[3] a3, m['k'] k FROM read_parquet('${file}') WHERE id = 1`)).getRowObjectsJS();
    expect(duckRow).toEqual({ d: "2.50", b: "x", a3: 3, k: 1.5 });
  });

  test("partition directories (k=v) add their column, and a filter on it skips the other directories", async () => {
    const root = join(await tempDir("rivulet-parquet-parts-"), "t");
    await spark.sql("SELECT * FROM VALUES (1L, 'a'), (2L, 'b') AS t(id, s)").write.parquet(join(root, "day=2026-01-01"));
    await spark.sql("SELECT * FROM VALUES (3L, 'c') AS t(id, s)").write.parquet(join(root, "day=2026-01-02"));
    const df = spark.read.parquet(root);
    expect(df.schema.toDDL()).toBe("id BIGINT, s STRING, day DATE");
    const rows = await df.filter("day = DATE '2026-01-02'").selectExpr("id", "s", "CAST(day AS STRING) day").collect();
    expect(rows).toEqual([{ id: 3, s: "c", day: "2026-01-02" }]);
    expect(await df.count()).toBe(3);
  });

  test("save modes: errorifexists (default), append, overwrite, ignore", async () => {
    const dir = join(await tempDir("rivulet-parquet-modes-"), "out");
    const one = spark.sql("SELECT * FROM VALUES (1L, 'a') AS t(id, s)");
    const two = spark.sql("SELECT * FROM VALUES (2L, 'b'), (3L, 'c') AS t(id, s)");
    await one.write.parquet(dir);
    await expect(one.write.parquet(dir)).rejects.toThrow(/\[PATH_ALREADY_EXISTS\] Path file:\/\/.*out already exists\. Set mode as "overwrite"/);
    await two.write.mode("append").parquet(dir);
    expect((await spark.read.parquet(dir).orderBy("id").collect()).map((r) => r.id)).toEqual([1, 2, 3]);
    await two.write.mode("ignore").format("parquet").save(dir);
    expect(await spark.read.parquet(dir).count()).toBe(3);
    await two.write.format("parquet").mode("overwrite").option("path", dir).save();
    expect((await spark.read.parquet(dir).orderBy("id").collect()).map((r) => r.id)).toEqual([2, 3]);
    expect(() => one.write.mode("sometimes")).toThrow(/\[INVALID_SAVE_MODE\] The specified save mode "sometimes" is invalid/);
  });

  test("compression option: uncompressed and zstd files read back; an unknown codec fails before writing", async () => {
    const root = await tempDir("rivulet-parquet-codec-");
    const df = spark.sql("SELECT id, CAST(id AS STRING) s FROM range(1000)");
    await df.write.option("compression", "none").parquet(join(root, "plain"));
    await df.write.option("compression", "zstd").parquet(join(root, "zstd"));
    expect((await readdir(join(root, "plain"))).some((f) => /c000\.parquet$/.test(f))).toBe(true);
    expect((await readdir(join(root, "zstd"))).some((f) => f.endsWith(".zstd.parquet"))).toBe(true);
    expect(await spark.read.parquet(join(root, "zstd")).count()).toBe(1000);
    await expect(df.write.option("compression", "lzo2").parquet(join(root, "bad"))).rejects.toThrow(/\[CODEC_NOT_AVAILABLE/);
  });

  test("an empty result writes a file that still holds the schema", async () => {
    const dir = join(await tempDir("rivulet-parquet-empty-"), "out");
    await spark.sql("SELECT * FROM VALUES (1, 'a') AS t(id, s) WHERE id > 5").write.parquet(dir);
    const back = spark.read.parquet(dir);
    expect(back.schema.toDDL()).toBe("id INT, s STRING");
    expect(await back.count()).toBe(0);
  });

  test("a non-Parquet file in the directory fails naming the file", async () => {
    const dir = join(await tempDir("rivulet-parquet-bad-"), "out");
    await spark.sql("SELECT 1 AS id").write.parquet(dir);
    await writeFile(join(dir, "notes.txt"), "not parquet at all\n");
    const read = async () => spark.read.schema("id INT").parquet(dir).collect();
    await expect(read()).rejects.toThrow(/notes\.txt/);
    await expect(read()).rejects.toThrow(/not a Parquet file/);
    // Schema inference reads a footer: the first file's, here notes.txt if it sorts first.
    const only = join(await tempDir("rivulet-parquet-bad2-"), "x");
    await spark.sql("SELECT 1 AS id").write.parquet(only);
    await writeFile(join(only, "a-notes.txt"), "PAR1 but not really\n");
    expect(() => spark.read.parquet(join(only, "a-notes.txt"))).toThrow(/\[CANNOT_READ_FILE_FOOTER\] Could not read footer for file: .*a-notes\.txt/);
  });

  test("a schema that does not fit the file fails with Spark's error; widening and missing columns work", async () => {
    const dir = join(await tempDir("rivulet-parquet-mismatch-"), "out");
    await spark.sql("SELECT * FROM VALUES (1, 'a', CAST(1.5 AS FLOAT)) AS t(id, s, f)").write.parquet(dir);
    await expect(spark.read.schema("id INT, s INT").parquet(dir).collect()).rejects.toThrow(
      /\[FAILED_READ_FILE\.PARQUET_COLUMN_DATA_TYPE_MISMATCH\] Error while reading file .*part-00000.*\. Data type mismatches when reading Parquet column `s`\. Expected Spark type "INT", actual Parquet type "STRING"/);
    const rows = await spark.read.schema("ID BIGINT, f DOUBLE, missing STRING").parquet(dir).collect();
    expect(rows).toEqual([{ ID: 1, f: 1.5, missing: null }]);
  });

  test("types Parquet cannot hold are refused as Spark does", async () => {
    const dir = join(await tempDir("rivulet-parquet-interval-"), "out");
    await expect(spark.sql("SELECT INTERVAL '1' HOUR AS i").write.parquet(dir)).rejects.toThrow(
      /\[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE\] The Parquet datasource doesn't support the column `i` of the type "INTERVAL HOUR"/);
  });

  test("'write' on a streaming DataFrame is refused as in Spark", () => {
    const df = spark.readStream.format("rate").load();
    expect(() => df.write).toThrow("'write' can not be called on streaming Dataset/DataFrame");
  });
});
