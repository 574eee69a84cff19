import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, lit, sum } from "../../src/index.ts";
import { MYSQL_URL, PG_URL, mysqlConnection, mysqlRows, pgClient, uniqueTable } from "../connectors/jdbc/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * A BIGINT of 2^63−1 and −2^63 comes back equal through every boundary a streaming job
 * crosses: a JSON source column, the state store across a restart from the checkpoint,
 * worker threads, and the memory, JSON-file and JDBC sinks (issue 17).
 */
const spark = Session.builder().appName("exact-long-roundtrip").getOrCreate();
const tempDir = tempDirs(spark);
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);
const TWO_62 = 2n ** 62n;

afterEach(() => spark.conf.unset("rivulet.sql.parallelism"));
afterAll(async () => { await spark.streams.stopAll(); });

/** JSON lines written with the digits as they are (JSON.stringify cannot write a bigint). */
const line = (host: string, bytes: bigint | number): string => `{"host":"${host}","bytes":${bytes}}\n`;

let run = 0;
/** sum(bytes) and count per host, update mode into a memory table; returns the table's rows by host. */
async function sumsPerHost(input: string, checkpoint: string, threads: number): Promise<Record<string, unknown>[]> {
  spark.conf.set("rivulet.sql.parallelism", threads);
  const name = `exact_sums_${process.pid}_${run++}`;
  const q = spark.readStream.schema("host STRING, bytes BIGINT").json(input)
    .filter(col("bytes").notEqual(lit(MAX - 5n))) // a BIGINT literal beyond 2^53 in the plan the workers get
    .groupBy(col("host")).agg(sum(col("bytes")).as("total"), count(col("bytes")).as("n"))
    .writeStream.format("memory").queryName(name).outputMode("complete")
    .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
  await q.awaitTermination();
  expect(q.exception).toBeNull();
  // With two threads the map side (partial sums) runs in worker threads and comes back by structured clone.
  if (threads > 1) expect(q.explainString()).toMatch(/partial=2 worker threads read each batch's files but the first, this one reads the first and merges/);
  return spark.sql(`SELECT host, total, n FROM ${name} ORDER BY host`).collect();
}

describe("BIGINT exact end to end", () => {
  test.each([1, 2])("a streaming sum beyond 2^53 from a JSON source, across a restart from the checkpoint (%i thread(s))", async (threads) => {
    const input = await tempDir("rivulet-exact-in-");
    const checkpoint = await tempDir("rivulet-exact-cp-");
    await writeFile(join(input, "part-0.json"),
      line("a", TWO_62) + line("a", 3) + line("b", MIN) + line("c", 1) + line("d", MAX) + line("e", 9007199254740993n));
    await writeFile(join(input, "part-1.json"), line("c", 2) + line("e", 2));
    expect(await sumsPerHost(input, checkpoint, threads)).toEqual([
      { host: "a", total: TWO_62 + 3n, n: 2 },
      { host: "b", total: MIN, n: 1 },
      { host: "c", total: 3, n: 2 },
      { host: "d", total: MAX, n: 1 },
      { host: "e", total: 9007199254740995n, n: 2 },
    ]);
    // The second run starts from the state store's sums.
    await writeFile(join(input, "part-2.json"), line("a", TWO_62 - 4n) + line("b", -1) + line("d", 1) + line("e", -9007199254740995n));
    expect(await sumsPerHost(input, checkpoint, threads)).toEqual([
      { host: "a", total: MAX, n: 3 },
      { host: "b", total: MAX, n: 2 }, // −2^63 − 1 wraps, as Spark's non-ANSI sum
      { host: "c", total: 3, n: 2 },
      { host: "d", total: MIN, n: 2 }, // 2^63 − 1 + 1 wraps
      { host: "e", total: 0, n: 3 },
    ]);
  });

  test("BIGINT keys: grouping and dropDuplicates keep 2^63−1 and 2^63−2 apart through the state store, and a JSON file sink writes every digit", async () => {
    const input = await tempDir("rivulet-exact-keys-in-");
    const checkpoint = await tempDir("rivulet-exact-keys-cp-");
    const output = await tempDir("rivulet-exact-keys-out-");
    const dedupCheckpoint = await tempDir("rivulet-exact-dedup-cp-");
    await writeFile(join(input, "part-0.json"), line("a", MAX) + line("b", MAX - 1n) + line("c", MIN));
    const counts = `exact_keys_${process.pid}`;
    const runOnce = async (): Promise<void> => {
      const events = spark.readStream.schema("host STRING, bytes BIGINT").json(input);
      const q1 = events.groupBy(col("bytes")).agg(count(col("host")).as("n"))
        .writeStream.format("memory").queryName(counts).outputMode("complete")
        .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
      const q2 = events.dropDuplicates(["bytes"]).writeStream.format("json").option("path", output)
        .option("checkpointLocation", dedupCheckpoint).trigger({ availableNow: true }).start();
      await q1.awaitTermination();
      await q2.awaitTermination();
      expect(q1.exception).toBeNull();
      expect(q2.exception).toBeNull();
    };
    await runOnce();
    await writeFile(join(input, "part-1.json"), line("d", MAX) + line("e", MIN) + line("f", MAX - 1n) + line("g", 7));
    await runOnce();
    expect(await spark.sql(`SELECT bytes, n FROM ${counts} ORDER BY bytes`).collect()).toEqual([
      { bytes: MIN, n: 2 }, { bytes: 7, n: 1 }, { bytes: MAX - 1n, n: 2 }, { bytes: MAX, n: 2 },
    ]);
    const files = (await readdir(output)).filter((f) => f.endsWith(".json"));
    const lines = (await Promise.all(files.map((f) => readFile(join(output, f), "utf8")))).join("").split("\n").filter((l) => l !== "");
    expect(lines.sort()).toEqual([
      '{"host":"a","bytes":9223372036854775807}',
      '{"host":"b","bytes":9223372036854775806}',
      '{"host":"c","bytes":-9223372036854775808}',
      '{"host":"g","bytes":7}',
    ]);
  });
});

describe("BIGINT into JDBC sinks and back", () => {
  const VALUES = [MAX, MIN, 9007199254740993n, 5n];
  const TEXT = VALUES.map(String).sort();

  async function writeTo(url: string, table: string): Promise<void> {
    const stream = new MemoryStream<{ id: number; v: bigint | number }>(spark, "id INT, v BIGINT");
    const q = stream.toDF().writeStream.format("jdbc").option("dbtable", table).start(url);
    stream.addData(VALUES.map((v, id) => ({ id, v })));
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    // And the JDBC source reads them back exactly.
    const back = await spark.read.jdbc(url, table).orderBy(col("id")).collect();
    expect(back.map((r) => r.v)).toEqual([MAX, MIN, 9007199254740993n, 5]);
  }

  test("SQLite", async () => {
    const file = join(await tempDir("rivulet-exact-sqlite-"), "out.db");
    await writeTo(`jdbc:sqlite:${file}`, "longs");
    const db = new pkg.Database(file);
    try {
      const rows = db.all("SELECT CAST(v AS TEXT) AS t, typeof(v) AS ty FROM longs") as { t: string; ty: string }[];
      expect(rows.map((r) => r.t).sort()).toEqual(TEXT);
      expect(new Set(rows.map((r) => r.ty))).toEqual(new Set(["integer"]));
    } finally {
      db.close();
    }
  });

  test("PostgreSQL", async () => {
    const table = uniqueTable("exact_longs_pg");
    const client = await pgClient();
    try {
      await writeTo(PG_URL, table);
      const { rows } = await client.query(`SELECT v::text AS t, pg_typeof(v)::text AS ty FROM "${table}"`);
      expect(rows.map((r) => r.t).sort()).toEqual(TEXT);
      expect(rows[0].ty).toBe("bigint");
    } finally {
      await client.query(`DROP TABLE IF EXISTS "${table}"`);
      await client.end();
    }
  });

  test("MariaDB", async () => {
    const table = uniqueTable("exact_longs_my");
    const conn = await mysqlConnection();
    try {
      await writeTo(MYSQL_URL, table);
      const rows = await mysqlRows(conn, `SELECT CAST(v AS CHAR) AS t FROM \`${table}\``);
      expect(rows.map((r) => r.t).sort()).toEqual(TEXT);
      const [type] = await mysqlRows(conn, "SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? AND COLUMN_NAME = 'v'", [table]);
      expect(type!.t).toBe("bigint");
    } finally {
      await conn.query(`DROP TABLE IF EXISTS \`${table}\``);
      await conn.end();
    }
  });
});
