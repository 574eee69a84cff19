import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RuntimeConfig } from "../../../src/common/config.ts";
import { jdbcSinkFactory } from "../../../src/connectors/jdbc/jdbc-sink.ts";
import { MemoryStream, Session, col, count, window, type DataFrame } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { table } from "../sinks/helpers.ts";
import { PG_URL, pgClient, removeTempDirs, tempDir, ts, uniqueTable } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
afterAll(async () => {
  await spark.streams.stopAll();
  await removeTempDirs();
});

type Events = MemoryStream<{ time: string; action: string }>;

function hourlyCounts(stream: Events): DataFrame {
  return stream.toDF().groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"));
}

/** Drives the same job through update and complete mode, returning the table's rows after each step. */
async function runJob(url: string, name: string, mode: "update" | "complete", read: () => Promise<string[]>): Promise<string[][]> {
  const stream: Events = new MemoryStream(spark, "time TIMESTAMP, action STRING");
  const q = hourlyCounts(stream).writeStream.outputMode(mode).format("jdbc").option("dbtable", name).start(url);
  const seen: string[][] = [];
  stream.addData({ time: ts(1), action: "click" }, { time: ts(2), action: "click" }, { time: ts(3), action: "view" });
  await q.processAllAvailable();
  seen.push(await read());
  stream.addData({ time: ts(4), action: "click" }, { time: ts(5, 11), action: "view" });
  await q.processAllAvailable();
  await q.stop();
  expect(q.exception).toBeNull();
  seen.push(await read());
  return seen;
}

const EXPECTED = [
  ["10:00-11:00 click=2", "10:00-11:00 view=1"],
  ["10:00-11:00 click=3", "10:00-11:00 view=1", "11:00-12:00 view=1"],
];

describe("JDBC sink on PostgreSQL", () => {
  let client: pg.Client;
  const tables: string[] = [];
  beforeAll(async () => { client = await pgClient(); });
  afterAll(async () => {
    for (const t of tables) await client.query(`DROP TABLE IF EXISTS "${t}"`);
    await client.end();
  });
  const read = (name: string) => async (): Promise<string[]> => {
    const { rows } = await client.query(`SELECT to_char(window_start, 'HH24:MI') s, to_char(window_end, 'HH24:MI') e, action, n FROM "${name}" ORDER BY 1, 3`);
    return rows.map((r) => `${r.s}-${r.e} ${r.action}=${r.n}`);
  };

  test.each(["update", "complete"] as const)("%s mode through ON CONFLICT upserts", async (mode) => {
    const name = uniqueTable(`pg_${mode}`);
    tables.push(name);
    expect(await runJob(PG_URL, name, mode, read(name))).toEqual(EXPECTED);
    const { rows } = await client.query(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '"${name}"'::regclass AND i.indisprimary ORDER BY a.attname`);
    expect(rows.map((r) => r.attname)).toEqual(["action", "window_end", "window_start"]);
  });

  test("a replayed batch id is a no-op", async () => {
    const name = uniqueTable("pg_replay");
    tables.push(name);
    const schema = parseSchema("id INT, at TIMESTAMP");
    const sink = await jdbcSinkFactory({
      schema, outputMode: "append", options: { url: PG_URL, dbtable: name }, queryName: null, metadataPath: null,
      conf: new RuntimeConfig(), isAggregation: false, queryId: `pg-replay-${process.pid}`,
    });
    const data = table(schema, [{ id: 1, at: ts(1) }, { id: 2, at: null }]);
    await sink.addBatch(7, data, "append");
    await sink.addBatch(7, data, "append");
    await sink.stop();
    const { rows } = await client.query(`SELECT id, to_char(at, 'YYYY-MM-DD HH24:MI') at FROM "${name}" ORDER BY id`);
    expect(rows).toEqual([{ id: 1, at: "2026-01-01 10:01" }, { id: 2, at: null }]);
  });

  test("unknown database", async () => {
    const stream: Events = new MemoryStream(spark, "time TIMESTAMP, action STRING");
    const q = hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", "t").option("retryMaxDuration", 0)
      .start("jdbc:postgresql://127.0.0.1:5432/no_such_db_rivulet?user=postgres&password=hush");
    await q.awaitTermination().catch(() => {});
    expect(q.exception!.message).toMatch(/database 'no_such_db_rivulet' does not exist/);
    expect(q.exception!.message).not.toContain("hush");
  });
});

describe("JDBC sink on SQLite (a file, through WebAssembly)", () => {
  const { Database } = pkg;
  const read = (file: string, name: string) => async (): Promise<string[]> => {
    const db = new Database(file);
    try {
      const rows = db.all(`SELECT substr(window_start, 12, 5) s, substr(window_end, 12, 5) e, action, n FROM "${name}" ORDER BY 1, 3`);
      return rows.map((r) => `${r.s}-${r.e} ${r.action}=${r.n}`);
    } finally {
      db.close();
    }
  };

  test.each(["update", "complete"] as const)("%s mode into a file database", async (mode) => {
    const file = join(await tempDir("sqlite"), "counts.db");
    expect(await runJob(`jdbc:sqlite:${file}`, "action_counts", mode, read(file, "action_counts"))).toEqual(EXPECTED);
    const db = new Database(file);
    const info = db.all(`SELECT name, type, pk FROM pragma_table_info('action_counts') ORDER BY cid`);
    db.close();
    expect(info).toEqual([
      { name: "window_start", type: "TIMESTAMP", pk: 1 },
      { name: "window_end", type: "TIMESTAMP", pk: 2 },
      { name: "action", type: "TEXT", pk: 3 },
      { name: "n", type: "INTEGER", pk: 0 },
    ]);
  });

  test("restart from a checkpoint resumes into the same file; replays are skipped", async () => {
    const dir = await tempDir("sqlite-restart");
    const url = `jdbc:sqlite:${join(dir, "out.db")}`;
    const stream: Events = new MemoryStream(spark, "time TIMESTAMP, action STRING");
    const start = () => stream.toDF().writeStream.format("jdbc").option("dbtable", "events")
      .option("checkpointLocation", join(dir, "ckpt")).start(url);
    let q = start();
    stream.addData({ time: ts(1), action: "click" });
    await q.processAllAvailable();
    await q.stop();
    const { rm } = await import("node:fs/promises");
    await rm(join(dir, "ckpt", "commits", "0"));
    q = start();
    stream.addData({ time: ts(2), action: "view" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    const db = new Database(join(dir, "out.db"));
    const rows = db.all(`SELECT time, action FROM events ORDER BY time`);
    db.close();
    expect(rows).toEqual([{ time: "2026-01-01 10:01:00.000000", action: "click" }, { time: "2026-01-01 10:02:00.000000", action: "view" }]);
  });
});
