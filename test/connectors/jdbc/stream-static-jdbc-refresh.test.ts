import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count } from "../../../src/index.ts";
import { waitFor } from "../../wait-for.ts";
import { bothDatabases, MYSQL_URL, PG_URL, tempDir } from "./helpers.ts";

// Finding 14: a stream joined with spark.read.jdbc(…) read the table once per query run. Spark
// re-executes an uncached static side every micro-batch, so rows inserted or updated in the
// dimension table between batches are joined by the next batch.
const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);

describe("a JDBC table joined with a stream is read again every micro-batch", () => {
  test("PostgreSQL, DataFrame left join: later inserts and updates reach the next batch", async () => {
    const dim = db.table("users");
    await db.pgc.query(`CREATE TABLE "${dim}" (uid int, name text)`);
    await db.pgc.query(`INSERT INTO "${dim}" VALUES (1, 'ann')`);
    const events = new MemoryStream<{ uid: number }>(spark, "uid INT");
    const q = events.toDF().join(spark.read.jdbc(PG_URL, dim), ["uid"], "left")
      .writeStream.format("memory").queryName("refresh_pg").option("checkpointLocation", await tempDir("refresh")).start();
    events.addData({ uid: 1 }, { uid: 2 });
    await q.processAllAvailable();
    await db.pgc.query(`INSERT INTO "${dim}" VALUES (2, 'bob')`);
    await db.pgc.query(`UPDATE "${dim}" SET name = 'ANN' WHERE uid = 1`);
    events.addData({ uid: 1 }, { uid: 2 });
    await q.processAllAvailable();
    // Both batches read through one connection, kept open for the run and closed when the query stops.
    const readers = async (): Promise<number> => (await db.pgc.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()`, [`%from "${dim}"%`])).rows[0].n;
    expect(await readers()).toBe(1);
    await q.stop();
    await waitFor(readers, (n) => n === 0, "the pool closed");
    expect(await spark.table("refresh_pg").collect()).toEqual([
      { uid: 1, name: "ann" }, { uid: 2, name: null },
      { uid: 1, name: "ANN" }, { uid: 2, name: "bob" },
    ]);
  });

  test("MariaDB, SQL FROM STREAM(…) JOIN the table, aggregated in complete mode: an updated row moves, a deleted row stops matching", async () => {
    const dim = db.table("actions");
    await db.my.query(`CREATE TABLE \`${dim}\` (action VARCHAR(10), category VARCHAR(10))`);
    await db.my.query(`INSERT INTO \`${dim}\` VALUES ('click', 'eng'), ('buy', 'rev')`);
    const events = new MemoryStream<{ action: string }>(spark, "action STRING");
    events.toDF().createOrReplaceTempView("refresh_events");
    spark.read.jdbc(MYSQL_URL, dim).createOrReplaceTempView("refresh_actions");
    const q = spark.sql(`SELECT a.category, count(*) AS n FROM STREAM(refresh_events) e JOIN refresh_actions a ON e.action = a.action GROUP BY a.category`)
      .writeStream.outputMode("complete").format("memory").queryName("refresh_my").start();
    events.addData({ action: "click" }, { action: "buy" });
    await q.processAllAvailable();
    await db.my.query(`UPDATE \`${dim}\` SET category = 'rev' WHERE action = 'click'`);
    await db.my.query(`DELETE FROM \`${dim}\` WHERE action = 'buy'`);
    events.addData({ action: "click" }, { action: "buy" });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table("refresh_my").orderBy(col("category")).collect()).toEqual([{ category: "eng", n: 1 }, { category: "rev", n: 2 }]);
  });

  test("the static side on the left (right outer join with the stream) is re-read as well", async () => {
    const dim = db.table("prices");
    await db.my.query(`CREATE TABLE \`${dim}\` (sku INT, price INT)`);
    await db.my.query(`INSERT INTO \`${dim}\` VALUES (1, 10)`);
    const orders = new MemoryStream<{ sku: number }>(spark, "sku INT");
    const q = spark.read.jdbc(MYSQL_URL, dim).join(orders.toDF(), ["sku"], "right")
      .writeStream.format("memory").queryName("refresh_left").start();
    orders.addData({ sku: 1 });
    await q.processAllAvailable();
    await db.my.query(`UPDATE \`${dim}\` SET price = 12 WHERE sku = 1`);
    orders.addData({ sku: 1 });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table("refresh_left").collect()).toEqual([{ sku: 1, price: 10 }, { sku: 1, price: 12 }]);
  });

  test("an in-memory static side (kept for the run) joins every batch", async () => {
    const dims = spark.createDataFrame([{ uid: 1, name: "ann" }], "uid INT, name STRING");
    const events = new MemoryStream<{ uid: number }>(spark, "uid INT");
    const q = events.toDF().join(dims, "uid").groupBy(col("name")).agg(count("*").as("n"))
      .writeStream.outputMode("complete").format("memory").queryName("refresh_memory").start();
    events.addData({ uid: 1 });
    await q.processAllAvailable();
    events.addData({ uid: 1 }, { uid: 2 });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table("refresh_memory").collect()).toEqual([{ name: "ann", n: 2 }]);
  });

  test("a batch query reads the table at each action", async () => {
    const dim = db.table("batch_reads");
    await db.my.query(`CREATE TABLE \`${dim}\` (id INT)`);
    await db.my.query(`INSERT INTO \`${dim}\` VALUES (1)`);
    const df = spark.read.jdbc(MYSQL_URL, dim);
    expect(await df.count()).toBe(1);
    await db.my.query(`INSERT INTO \`${dim}\` VALUES (2)`);
    expect(await df.count()).toBe(2);
  });
});
