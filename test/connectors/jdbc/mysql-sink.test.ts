import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { RuntimeConfig } from "../../../src/common/config.ts";
import { jdbcSinkFactory } from "../../../src/connectors/jdbc/jdbc-sink.ts";
import { MemoryStream, Session, col, count, window, type DataFrame, type StreamingQuery } from "../../../src/index.ts";
import { parseSchema } from "../../../src/types/ddl.ts";
import { table } from "../sinks/helpers.ts";
import { waitFor } from "../../wait-for.ts";
import { allText, MYSQL_URL, mysqlConnection, mysqlRows, removeTempDirs, tempDir, ts, uniqueTable } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
let conn: Connection;
const tables: string[] = [];

function tableName(prefix: string): string {
  const name = uniqueTable(prefix);
  tables.push(name);
  return name;
}

beforeAll(async () => {
  conn = await mysqlConnection();
});

afterAll(async () => {
  for (const t of tables) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
  await conn.end();
  await spark.streams.stopAll();
  await removeTempDirs();
});

type Events = MemoryStream<{ time: string; action: string }>;
function events(): Events {
  return new MemoryStream(spark, "time TIMESTAMP, action STRING");
}

function hourlyCounts(stream: Events): DataFrame {
  return stream.toDF().groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"));
}

async function counts(name: string): Promise<string[]> {
  const rows = await mysqlRows(conn, `SELECT window_start, window_end, action, n FROM \`${name}\` ORDER BY window_start, action`);
  return rows.map((r) => `${String(r.window_start).slice(11, 16)}-${String(r.window_end).slice(11, 16)} ${r.action}=${r.n}`);
}

describe("JDBC sink on MariaDB", () => {
  test("update mode: creates the table (window_start/window_end, grouping keys as primary key) and upserts counts", async () => {
    const name = tableName("upd");
    const stream = events();
    const q = hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", name).start(MYSQL_URL);
    stream.addData({ time: ts(1), action: "click" }, { time: ts(2), action: "click" }, { time: ts(3), action: "view" });
    await q.processAllAvailable();
    expect(await counts(name)).toEqual(["10:00-11:00 click=2", "10:00-11:00 view=1"]);
    stream.addData({ time: ts(4), action: "click" }, { time: ts(5, 11), action: "view" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(await counts(name)).toEqual(["10:00-11:00 click=3", "10:00-11:00 view=1", "11:00-12:00 view=1"]);

    const columns = await mysqlRows(conn, "SELECT COLUMN_NAME c, COLUMN_TYPE t, COLUMN_KEY k FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION", [name]);
    expect(columns.map((r) => `${r.c} ${r.t}${r.k === "PRI" ? " PK" : ""}`)).toEqual([
      "window_start datetime(6) PK", "window_end datetime(6) PK", "action varchar(255) PK", "n bigint(20)",
    ]);
    expect(q.lastProgress!.sink.description).toBe(`JdbcSink[${MYSQL_URL}, ${name}]`);
    expect(q.lastProgress!.sink.numOutputRows).toBe(2);
    const commits = await mysqlRows(conn, "SELECT batch_id FROM _rivulet_commits WHERE query_id = ? ORDER BY batch_id", [q.id]);
    expect(commits.map((r) => Number(r.batch_id))).toEqual([0, 1]);
  });

  test("complete mode: the table is made equal to the result each batch", async () => {
    const name = tableName("cmp");
    const stream = events();
    const q = hourlyCounts(stream).writeStream.outputMode("complete").format("jdbc").option("dbtable", name).option("batchsize", 1).start(MYSQL_URL);
    stream.addData({ time: ts(1), action: "click" }, { time: ts(2), action: "view" });
    await q.processAllAvailable();
    await conn.query(`INSERT INTO \`${name}\` VALUES ('2000-01-01 00:00:00', '2000-01-01 01:00:00', 'stray', 99)`);
    stream.addData({ time: ts(3), action: "click" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(await counts(name)).toEqual(["10:00-11:00 click=2", "10:00-11:00 view=1"]);
  });

  test("append mode with a watermark: each window once, when the watermark passes it", async () => {
    const name = tableName("app");
    const stream = events();
    const q = stream.toDF().withWatermark("time", "10 minutes").groupBy(window(col("time"), "1 hour"), col("action")).agg(count("*").as("n"))
      .writeStream.outputMode("append").format("jdbc").option("dbtable", name).start(MYSQL_URL);
    stream.addData({ time: ts(1), action: "click" }, { time: ts(20), action: "click" });
    await q.processAllAvailable();
    expect(await counts(name)).toEqual([]);
    stream.addData({ time: ts(15, 11), action: "view" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(await counts(name)).toEqual(["10:00-11:00 click=2"]);
  });

  test("a batch id already recorded is skipped (addBatch twice)", async () => {
    const name = tableName("replay");
    const schema = parseSchema("id INT, name STRING, at TIMESTAMP, ok BOOLEAN, score DOUBLE");
    const sink = await jdbcSinkFactory({
      schema, outputMode: "append", options: { url: MYSQL_URL, dbtable: name }, queryName: null, metadataPath: null,
      conf: new RuntimeConfig(), isAggregation: false, queryId: `replay-${process.pid}`,
    });
    const data = table(schema, [{ id: 1, name: "a", at: ts(1), ok: true, score: 1.5 }, { id: 2, name: null, at: null, ok: false, score: null }]);
    await sink.addBatch(0, data, "append");
    expect(sink.lastBatchRows).toBe(2);
    await sink.addBatch(0, data, "append");
    expect(sink.lastBatchRows).toBe(0);
    await sink.addBatch(1, table(schema, [{ id: 3, name: "c", at: ts(2), ok: true, score: 0 }]), "append");
    await sink.stop();
    const rows = await mysqlRows(conn, `SELECT * FROM \`${name}\` ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, name: "a", at: "2026-01-01 10:01:00.000000", ok: 1, score: 1.5 },
      { id: 2, name: null, at: null, ok: 0, score: null },
      { id: 3, name: "c", at: "2026-01-01 10:02:00.000000", ok: 1, score: 0 },
    ]);
  });

  test("restart from a checkpoint whose last commit was lost: the re-run batch is not written twice", async () => {
    const name = tableName("restart");
    const checkpoint = await tempDir("restart");
    const stream = events();
    const start = (): StreamingQuery => stream.toDF().filter(col("action").notEqual("noise"))
      .writeStream.format("jdbc").option("dbtable", name).option("checkpointLocation", checkpoint).start(MYSQL_URL);
    let q = start();
    stream.addData({ time: ts(1), action: "click" });
    await q.processAllAvailable();
    stream.addData({ time: ts(2), action: "view" }, { time: ts(3), action: "noise" });
    await q.processAllAvailable();
    await q.stop();
    expect(await mysqlRows(conn, `SELECT COUNT(*) n FROM \`${name}\``)).toEqual([{ n: 2 }]);

    // A crash after the sink's transaction committed but before commits/1 was written.
    await rm(join(checkpoint, "commits", "1"));
    q = start();
    await q.processAllAvailable();
    stream.addData({ time: ts(4), action: "click" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    const rows = await mysqlRows(conn, `SELECT action FROM \`${name}\` ORDER BY time`);
    expect(rows.map((r) => r.action)).toEqual(["click", "view", "click"]);
  });

  test("update-mode counts survive a restart with a lost commit: no doubled counts", async () => {
    const name = tableName("restart_upd");
    const checkpoint = await tempDir("restart-upd");
    const stream = events();
    const start = (): StreamingQuery => hourlyCounts(stream).writeStream.outputMode("update").format("jdbc")
      .option("dbtable", name).option("checkpointLocation", checkpoint).start(MYSQL_URL);
    let q = start();
    stream.addData({ time: ts(1), action: "click" });
    await q.processAllAvailable();
    stream.addData({ time: ts(2), action: "click" }, { time: ts(3), action: "view" });
    await q.processAllAvailable();
    await q.stop();
    await rm(join(checkpoint, "commits", "1"));
    q = start();
    stream.addData({ time: ts(4), action: "click" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(await counts(name)).toEqual(["10:00-11:00 click=3", "10:00-11:00 view=1"]);
  });
});

describe("JDBC sink errors on MariaDB", () => {
  const SECRET = "Sup3r-S3cret-pw";

  beforeAll(async () => {
    await conn.query(`CREATE USER IF NOT EXISTS 'rivulet_pw'@'%' IDENTIFIED BY '${SECRET}'`);
    await conn.query(`CREATE USER IF NOT EXISTS 'rivulet_pw'@'localhost' IDENTIFIED BY '${SECRET}'`);
    await conn.query("GRANT ALL ON test.* TO 'rivulet_pw'@'%'");
    await conn.query("GRANT ALL ON test.* TO 'rivulet_pw'@'localhost'");
  });

  async function failure(url: string, name: string, configure: (w: ReturnType<DataFrame["writeStream"]["format"]>) => unknown = () => {}): Promise<{ message: string; checkpoint: string }> {
    const checkpoint = await tempDir("fail");
    const stream = events();
    const writer = hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", name)
      .option("checkpointLocation", checkpoint).option("retryMaxDuration", "200 milliseconds").option("retryBackoffMs", 10);
    configure(writer);
    const q = writer.start(url);
    stream.addData({ time: ts(1), action: "click" });
    await q.awaitTermination().catch(() => {});
    expect(q.exception).not.toBeNull();
    return { message: q.exception!.message, checkpoint };
  }

  test("wrong password: a clear error, and the password appears nowhere", async () => {
    const wrong = "wr0ng-pa55word";
    const { message, checkpoint } = await failure(`jdbc:mysql://127.0.0.1:3306/test?user=rivulet_pw&password=${wrong}`, tableName("pw"));
    expect(message).toMatch(/access denied for user 'rivulet_pw': check the user and password/);
    expect(message).toContain("password=***");
    expect(message).not.toContain(wrong);
    expect(await allText(checkpoint)).not.toContain(wrong);
  });

  test("a password given as an option is used and never shown (progress, explain, checkpoint)", async () => {
    const name = tableName("secret");
    const checkpoint = await tempDir("secret");
    const stream = events();
    const q = hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", name)
      .option("user", "rivulet_pw").option("password", SECRET).option("checkpointLocation", checkpoint)
      .start(`jdbc:mysql://127.0.0.1:3306/test?password=${SECRET}`);
    stream.addData({ time: ts(1), action: "click" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    expect(await counts(name)).toEqual(["10:00-11:00 click=1"]);
    expect(JSON.stringify(q.recentProgress.map((p) => p.json))).not.toContain(SECRET);
    expect(q.lastProgress!.sink.description).toContain("password=***");
    expect(await allText(checkpoint)).not.toContain(SECRET);
    const dim = spark.read.jdbc(`jdbc:mysql://127.0.0.1:3306/test?user=rivulet_pw&password=${SECRET}`, name);
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stdout.write;
    try { dim.explain(true); } finally { process.stdout.write = write; }
    expect(lines.join("")).toContain("password=***");
    expect(lines.join("")).not.toContain(SECRET);
  });

  test("unknown database", async () => {
    const { message } = await failure("jdbc:mysql://127.0.0.1:3306/no_such_db_rivulet?user=root", tableName("nodb"));
    expect(message).toMatch(/database 'no_such_db_rivulet' does not exist/);
  });

  test("an existing table with incompatible columns is refused, naming them", async () => {
    const name = tableName("incompat");
    await conn.query(`CREATE TABLE \`${name}\` (window_start DATETIME, action INT, n BIGINT)`);
    const { message } = await failure(MYSQL_URL, name);
    expect(message).toContain(`table ${name} does not fit the query's result: missing column window_end (timestamp); column action is int(11) but the query writes string`);
    expect(message).toContain("the query needs: window_start DATETIME(6) (key), window_end DATETIME(6) (key), action VARCHAR(255) (key), n BIGINT");
  });

  test("options are checked at start()", () => {
    const stream = events();
    expect(() => hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").start(MYSQL_URL)).toThrow(/option 'dbtable' is required/);
    expect(() => hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", "t").start()).toThrow(/option 'url' is required/);
    expect(() => hourlyCounts(stream).writeStream.outputMode("update").format("jdbc").option("dbtable", "t").option("batchsize", 0).start(MYSQL_URL)).toThrow(/'batchsize' must be an integer ≥ 1/);
  });

  test("a connection killed inside a batch's open transaction is rolled back and the batch retried: exact table, no doubles", async () => {
    await conn.query("CREATE USER IF NOT EXISTS 'rivulet_kill'@'%'");
    await conn.query("CREATE USER IF NOT EXISTS 'rivulet_kill'@'localhost'");
    await conn.query("GRANT ALL ON test.* TO 'rivulet_kill'@'%'");
    await conn.query("GRANT ALL ON test.* TO 'rivulet_kill'@'localhost'");
    const name = tableName("kill");
    const stream = new MemoryStream<{ k: number }>(spark, "k INT");
    const q = stream.toDF().groupBy(col("k")).agg(count("*").as("n"))
      .writeStream.outputMode("update").format("jdbc").option("dbtable", name).option("batchsize", 5)
      .option("retryMaxDuration", "30 seconds").option("retryBackoffMs", 20)
      .start("jdbc:mysql://127.0.0.1:3306/test?user=rivulet_kill");
    const keys = 400;
    const addRound = (): void => void stream.addData(Array.from({ length: keys }, (_, i) => ({ k: i })));
    addRound();
    await q.processAllAvailable(); // batch 0 creates the table and writes every key once

    // A second connection (a separate session: its reads see the sink's uncommitted writes).
    const locker = await mysqlConnection();
    const observer = await mysqlConnection();
    try {
      await observer.query("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
      const rounds = 3;
      for (let batch = 1; batch < rounds; batch++) {
        // Hold one key's row: the batch's upsert of that key waits for the lock inside the sink's transaction.
        await locker.query("START TRANSACTION");
        await locker.query(`SELECT * FROM \`${name}\` WHERE k = ? FOR UPDATE`, [keys - 1 - batch]);
        addRound();
        const sinkConnections = async (): Promise<Set<number>> => new Set((await mysqlRows(conn,
          "SELECT ID id FROM information_schema.PROCESSLIST WHERE USER = 'rivulet_kill'")).map((r) => Number(r.id)));
        const [blocked] = await waitFor(async () => {
          const ours = await sinkConnections();
          const waiting = await mysqlRows(conn, "SELECT trx_mysql_thread_id id, trx_rows_modified modified FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
          return waiting.filter((t) => ours.has(Number(t.id)));
          // InnoDB refreshes INNODB_TRX only when it was not read for 100 ms: poll slower than that.
        }, (rows) => rows.length === 1, `the sink's transaction of batch ${batch} to wait on the lock`, 20_000, 250);
        // The transaction is open and has written: its claim of the batch is there, uncommitted.
        expect(Number(blocked!.modified)).toBeGreaterThanOrEqual(1);
        const claims = (): Promise<Record<string, unknown>[]> => mysqlRows(observer,
          "SELECT COUNT(*) n FROM _rivulet_commits WHERE query_id = ? AND batch_id = ? AND table_name = ?", [q.id, batch, name]);
        expect(await claims()).toEqual([{ n: 1 }]);
        await conn.query(`KILL ${Number(blocked!.id)}`);
        // The server rolled the killed transaction back: its claim is gone even to a dirty read.
        await waitFor(claims, (rows) => Number(rows[0]!.n) === 0, `the killed transaction of batch ${batch} to be rolled back`);
        await locker.query("ROLLBACK");
        await q.processAllAvailable();
        expect(q.exception).toBeNull();
        // The retry ran on a new connection and wrote the batch once: one claim, every key counted once more.
        expect(await claims()).toEqual([{ n: 1 }]);
        const written = await mysqlRows(conn, `SELECT COUNT(*) keys_, MIN(n) lo, MAX(n) hi FROM \`${name}\``);
        expect(written).toEqual([{ keys_: keys, lo: batch + 1, hi: batch + 1 }]);
        expect((await sinkConnections()).has(Number(blocked!.id))).toBe(false);
      }
      await q.stop();
      const rows = await mysqlRows(conn, `SELECT k, n FROM \`${name}\` ORDER BY k`);
      expect(rows).toEqual(Array.from({ length: keys }, (_, k) => ({ k, n: rounds })));
    } finally {
      await locker.query("ROLLBACK").catch(() => {});
      await locker.end();
      await observer.end();
    }
  });
});
