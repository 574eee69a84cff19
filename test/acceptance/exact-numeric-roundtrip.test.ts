import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import pkg from "node-sqlite3-wasm";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { fromRecordBatch, toRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows, rowsToBatch } from "../../src/columnar/values.ts";
import { Decimal, MemoryStream, Session, col, count, max, min, sum } from "../../src/index.ts";
import { parseSchema } from "../../src/types/ddl.ts";
import { MYSQL_URL, PG_URL, mysqlConnection, mysqlRows, pgClient, uniqueTable } from "../connectors/jdbc/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * A DECIMAL(38,10) of 28 integral and 10 fractional digits, and TINYINT, SMALLINT and FLOAT
 * values, come back equal through every boundary a streaming job crosses: Arrow IPC, a JSON
 * source column, the state store across a restart from the checkpoint, worker threads, and
 * the memory, JSON-file and JDBC sinks (issue 17).
 */
const spark = Session.builder().appName("exact-numeric-roundtrip").getOrCreate();
const tempDir = tempDirs(spark);
const BIG = "1234567890123456789012345678.0123456789";
const NEG = "-9999999999999999999999999999.9999999999";
const SMALL = "0.0000000001";

afterEach(() => spark.conf.unset("rivulet.sql.parallelism"));
afterAll(async () => { await spark.streams.stopAll(); });

const text = (rows: Record<string, unknown>[], key: string): unknown[] => rows.map((r) => (r[key] === null ? null : String(r[key])));

describe("Arrow IPC", () => {
  test("DECIMAL(38,10) as Decimal128, TINYINT as Int8, SMALLINT as Int16, FLOAT as Float32: the same values back", () => {
    const schema = parseSchema("d DECIMAL(38,10), y TINYINT, s SMALLINT, f FLOAT");
    const batch = rowsToBatch(schema, [
      { d: new Decimal(BIG), y: 127, s: -32768, f: 0.1 },
      { d: NEG, y: -128, s: 32767, f: -3.4e38 },
      { d: SMALL, y: null, s: null, f: null },
      { d: null, y: 0, s: 1, f: 1.5 },
    ], "test");
    const table = new arrow.Table([toRecordBatch(batch)]);
    expect(table.schema.fields.map((f) => f.type.typeId)).toEqual([arrow.Type.Decimal, arrow.Type.Int, arrow.Type.Int, arrow.Type.Float]);
    expect(table.schema.fields.map((f) => (f.type as { bitWidth?: number }).bitWidth)).toEqual([128, 8, 16, undefined]);
    expect((table.schema.fields[0]!.type as arrow.Decimal).scale).toBe(10);
    const back = fromRecordBatch(arrow.tableFromIPC(arrow.tableToIPC(table)).batches[0]!);
    expect(back.schema.toDDL()).toBe("d DECIMAL(38,10), y TINYINT, s SMALLINT, f FLOAT");
    const rows = batchToRows(back);
    expect(text(rows, "d")).toEqual([BIG, NEG, "0.0000000001", null]);
    expect(rows.map((r) => [r.y, r.s, r.f])).toEqual([[127, -32768, Math.fround(0.1)], [-128, 32767, Math.fround(-3.4e38)], [null, null, null], [0, 1, 1.5]]);
  });
});

/** JSON lines with the digits as written. */
const line = (host: string, d: string, y: number, s: number, f: string): string => `{"host":"${host}","d":${d},"y":${y},"s":${s},"f":${f}}\n`;

let run = 0;
async function aggregatesPerHost(input: string, checkpoint: string, threads: number): Promise<Record<string, unknown>[]> {
  spark.conf.set("rivulet.sql.parallelism", threads);
  const name = `exact_numeric_${process.pid}_${run++}`;
  const q = spark.readStream.schema("host STRING, d DECIMAL(38,10), y TINYINT, s SMALLINT, f FLOAT").json(input)
    .groupBy(col("host"))
    .agg(sum(col("d")).as("total"), max(col("d")).as("top"), min(col("y")).as("y"), max(col("s")).as("s"), max(col("f")).as("f"), count(col("d")).as("n"))
    .writeStream.format("memory").queryName(name).outputMode("complete")
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await q.awaitTermination();
  expect(q.exception).toBeNull();
  if (threads > 1) expect(q.explainString()).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
  return spark.sql(`SELECT host, total, top, y, s, f, n FROM ${name} ORDER BY host`).collect();
}

describe("DECIMAL(38,10), TINYINT, SMALLINT, FLOAT end to end", () => {
  test.each([1, 2])("a streaming aggregation from a JSON source, across a restart from the checkpoint (%i thread(s))", { timeout: 120_000 }, async (threads) => {
    const input = await tempDir("rivulet-numeric-in-");
    const checkpoint = await tempDir("rivulet-numeric-cp-");
    await writeFile(join(input, "part-0.json"), line("a", BIG, -128, 32767, "0.1") + line("a", SMALL, 5, 1, "2.5") + line("b", NEG, 1, -1, "-1e38"));
    const first = await aggregatesPerHost(input, checkpoint, threads);
    expect(text(first, "total")).toEqual(["1234567890123456789012345678.0123456790", NEG]);
    expect(text(first, "top")).toEqual([BIG, NEG]);
    expect(first.map((r) => [r.y, r.s, r.f, r.n])).toEqual([[-128, 32767, 2.5, 2], [1, -1, Math.fround(-1e38), 1]]);
    // The second run starts from the state store's exact sums.
    await writeFile(join(input, "part-1.json"), line("a", "-0.0123456790", 0, 0, "0") + line("b", "0.0000000001", -2, 0, "3.4028235e38"));
    const second = await aggregatesPerHost(input, checkpoint, threads);
    expect(text(second, "total")).toEqual(["1234567890123456789012345678.0000000000", "-9999999999999999999999999999.9999999998"]);
    expect(second.map((r) => [r.y, r.s, r.f, r.n])).toEqual([[-128, 32767, 2.5, 3], [-2, 0, Math.fround(3.4028235e38), 2]]);
  });

  test("DECIMAL keys: grouping and dropDuplicates through the state store across a restart, and a JSON file sink writes every digit", { timeout: 120_000 }, async () => {
    const input = await tempDir("rivulet-numeric-keys-in-");
    const checkpoint = await tempDir("rivulet-numeric-keys-cp-");
    const output = await tempDir("rivulet-numeric-keys-out-");
    const dedupCheckpoint = await tempDir("rivulet-numeric-dedup-cp-");
    const keyLine = (host: string, d: string): string => `{"host":"${host}","d":${d}}\n`;
    // 1.1 and 1.10 are one DECIMAL(38,10) value; BIG and BIG + 1e-10 are two (one double).
    await writeFile(join(input, "part-0.json"), keyLine("a", BIG) + keyLine("b", "1234567890123456789012345678.0123456790") + keyLine("c", "1.1"));
    const counts = `numeric_keys_${process.pid}`;
    const runOnce = async (): Promise<void> => {
      const events = spark.readStream.schema("host STRING, d DECIMAL(38,10)").json(input);
      const q1 = events.groupBy(col("d")).agg(count(col("host")).as("n"))
        .writeStream.format("memory").queryName(counts).outputMode("complete")
        .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
      const q2 = events.dropDuplicates(["d"]).writeStream.format("json").option("path", output)
        .option("checkpointLocation", dedupCheckpoint).trigger({ availableNow: true }).start();
      await q1.awaitTermination();
      await q2.awaitTermination();
      expect(q1.exception).toBeNull();
      expect(q2.exception).toBeNull();
    };
    await runOnce();
    await writeFile(join(input, "part-1.json"), keyLine("d", BIG) + keyLine("e", "1.10") + keyLine("f", "7"));
    await runOnce();
    const rows = await spark.sql(`SELECT d, n FROM ${counts} ORDER BY d`).collect();
    expect(rows.map((r) => [String(r.d), r.n])).toEqual([
      ["1.1000000000", 2], ["7.0000000000", 1], [BIG, 2], ["1234567890123456789012345678.0123456790", 1],
    ]);
    const files = (await readdir(output)).filter((f) => f.endsWith(".json"));
    const lines = (await Promise.all(files.map((f) => readFile(join(output, f), "utf8")))).join("").split("\n").filter((l) => l !== "");
    expect(lines.sort()).toEqual([
      `{"host":"a","d":${BIG}}`,
      '{"host":"b","d":1234567890123456789012345678.0123456790}',
      '{"host":"c","d":1.1000000000}',
      '{"host":"f","d":7.0000000000}',
    ]);
  });
});

describe("DECIMAL(38,10), TINYINT, SMALLINT, FLOAT into JDBC sinks and back", () => {
  const ROWS = [
    { id: 0, d: new Decimal(BIG), y: 127, s: 32767, f: 0.1 },
    { id: 1, d: new Decimal(NEG), y: -128, s: -32768, f: -2.5 },
    { id: 2, d: new Decimal(SMALL), y: 0, s: 0, f: 3.4028234663852886e38 },
  ];
  const D_TEXT = [BIG, NEG, SMALL];

  async function writeTo(url: string, table: string): Promise<void> {
    const stream = new MemoryStream<Record<string, unknown>>(spark, "id INT, d DECIMAL(38,10), y TINYINT, s SMALLINT, f FLOAT");
    const q = stream.toDF().writeStream.format("jdbc").option("dbtable", table).start(url);
    stream.addData(ROWS);
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    // The JDBC source reads the decimals back exactly, as DECIMAL(38,10) (Spark 3.5 reads TINYINT/SMALLINT columns as INT, FLOAT as FLOAT or DOUBLE).
    const df = spark.read.jdbc(url, table).orderBy(col("id"));
    expect(df.schema.fields.find((f) => f.name === "d")!.dataType).toEqual({ kind: "decimal", precision: 38, scale: 10 });
    const back = await df.collect();
    expect(text(back, "d")).toEqual(D_TEXT);
    expect(back.map((r) => [r.y, r.s])).toEqual(ROWS.map((r) => [r.y, r.s]));
    // FLOAT columns: MariaDB's FLOAT is single precision, as the values written.
    expect(back.map((r) => Math.fround(r.f as number).toPrecision(6))).toEqual(ROWS.map((r) => Math.fround(r.f).toPrecision(6)));
  }

  // Generous timeouts: the whole suite runs these next to other database tests on a shared machine.
  test("SQLite (decimals as text, every digit kept)", { timeout: 120_000 }, async () => {
    const file = join(await tempDir("rivulet-numeric-sqlite-"), "out.db");
    await writeTo(`jdbc:sqlite:${file}`, "numerics");
    const db = new pkg.Database(file);
    try {
      const rows = db.all("SELECT d, typeof(d) AS ty FROM numerics ORDER BY id") as { d: string; ty: string }[];
      expect(rows.map((r) => r.d)).toEqual(D_TEXT);
      expect(new Set(rows.map((r) => r.ty))).toEqual(new Set(["text"]));
    } finally {
      db.close();
    }
  });

  test("PostgreSQL (NUMERIC(38,10))", { timeout: 120_000 }, async () => {
    const table = uniqueTable("exact_numeric_pg");
    const client = await pgClient();
    try {
      await writeTo(PG_URL, table);
      const { rows } = await client.query(`SELECT d::text AS t, pg_typeof(d)::text AS ty, y, s FROM "${table}" ORDER BY id`);
      expect(rows.map((r) => r.t)).toEqual(D_TEXT);
      expect(rows[0].ty).toBe("numeric");
      expect(rows.map((r) => [r.y, r.s])).toEqual([[127, 32767], [-128, -32768], [0, 0]]);
    } finally {
      await client.query(`DROP TABLE IF EXISTS "${table}"`);
      await client.end();
    }
  });

  test("MariaDB (DECIMAL(38,10))", { timeout: 120_000 }, async () => {
    const table = uniqueTable("exact_numeric_my");
    const conn = await mysqlConnection();
    try {
      await writeTo(MYSQL_URL, table);
      const rows = await mysqlRows(conn, `SELECT CAST(d AS CHAR) AS t FROM \`${table}\` ORDER BY id`);
      expect(rows.map((r) => r.t)).toEqual(D_TEXT);
      const types = await mysqlRows(conn, "SELECT COLUMN_NAME AS c, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", [table]);
      expect(types.map((r) => String(r.t).toLowerCase())).toEqual(["int(11)", "decimal(38,10)", "tinyint(4)", "smallint(6)", "float"]);
    } finally {
      await conn.query(`DROP TABLE IF EXISTS \`${table}\``);
      await conn.end();
    }
  });
});
