import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col, count, sum } from "../../../src/index.ts";
import { bothDatabases, MYSQL_URL, mysqlRows, PG_URL, tempDir } from "./helpers.ts";

// Finding 13: a NaN double failed a MariaDB batch with "Unknown column 'NaN' in 'VALUES'" (mysql2
// splices the bound value into the statement's text). MariaDB has no NaN, so the batch must fail,
// but naming the column, the value and the row; PostgreSQL stores NaN and ±Infinity.
const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);

describe("JDBC sink and doubles the database cannot hold", () => {
  test("MariaDB, append: the batch fails naming column, value and row; none of its rows are written", async () => {
    const name = db.table("nan_append");
    const input = new MemoryStream<{ id: number; d: number }>(spark, "id INT, d DOUBLE");
    const q = input.toDF().writeStream.format("jdbc").option("dbtable", name).option("retryMaxDuration", "0")
      .option("checkpointLocation", await tempDir("nan")).start(MYSQL_URL);
    input.addData({ id: 1, d: 1.5 });
    await q.processAllAvailable();
    input.addData({ id: 2, d: 2.5 }, { id: 3, d: NaN }, { id: 4, d: Infinity });
    await expect(q.processAllAvailable()).rejects.toThrow(/writing batch 1: column d \(double\) of row 1 of the batch is NaN, which table nan_append_\d+_\d+ cannot hold \(MySQL\/MariaDB has no NaN or Infinity\)/);
    expect(q.exception?.message).not.toMatch(/Unknown column/);
    await q.stop().catch(() => {});
    expect(await mysqlRows(db.my, `SELECT id, d FROM \`${name}\` ORDER BY id`)).toEqual([{ id: 1, d: 1.5 }]);
  });

  test("MariaDB, update mode: -Infinity in an aggregate is named with the row's key", async () => {
    const name = db.table("nan_update");
    const input = new MemoryStream<{ k: string; d: number }>(spark, "k STRING, d DOUBLE");
    const q = input.toDF().groupBy(col("k")).agg(sum("d").as("total"), count("*").as("n"))
      .writeStream.outputMode("update").format("jdbc").option("dbtable", name).option("retryMaxDuration", "0")
      .option("checkpointLocation", await tempDir("nan")).start(MYSQL_URL);
    input.addData({ k: "a", d: 1 }, { k: "b", d: -Infinity });
    await expect(q.processAllAvailable()).rejects.toThrow(/column total \(double\) of row \d of the batch \(k=b\) is -Infinity/);
    await q.stop().catch(() => {});
  });

  test("PostgreSQL stores NaN and ±Infinity (DOUBLE PRECISION holds them)", async () => {
    const name = db.table("nan_pg");
    const input = new MemoryStream<{ id: number; d: number }>(spark, "id INT, d DOUBLE");
    const q = input.toDF().writeStream.format("jdbc").option("dbtable", name)
      .option("checkpointLocation", join(await tempDir("nan"), "cp")).start(PG_URL);
    input.addData({ id: 1, d: NaN }, { id: 2, d: Infinity }, { id: 3, d: -Infinity }, { id: 4, d: 1.5 });
    await q.processAllAvailable();
    await q.stop();
    const { rows } = await db.pgc.query(`SELECT id, d::text AS d FROM "${name}" ORDER BY id`);
    expect(rows).toEqual([{ id: 1, d: "NaN" }, { id: 2, d: "Infinity" }, { id: 3, d: "-Infinity" }, { id: 4, d: "1.5" }]);
  });

  test("SQLite: NaN (which SQLite would store as NULL) is refused; Infinity is stored", async () => {
    const dir = await tempDir("nan-sqlite");
    const input = new MemoryStream<{ id: number; d: number }>(spark, "id INT, d DOUBLE");
    const q = input.toDF().writeStream.format("jdbc").option("dbtable", "doubles").option("retryMaxDuration", "0")
      .option("checkpointLocation", join(dir, "cp")).start(`jdbc:sqlite:${join(dir, "x.db")}`);
    input.addData({ id: 1, d: Infinity });
    await q.processAllAvailable();
    input.addData({ id: 2, d: NaN });
    await expect(q.processAllAvailable()).rejects.toThrow(/column d \(double\) of row 0 of the batch is NaN, .*SQLite stores NaN as NULL/);
    await q.stop().catch(() => {});
    expect(await spark.read.jdbc(`jdbc:sqlite:${join(dir, "x.db")}`, "doubles").collect()).toEqual([{ id: 1, d: Infinity }]);
  });
});
