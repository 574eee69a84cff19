import { rm } from "node:fs/promises";
import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, count } from "../../../src/index.ts";
import { bothDatabases, MYSQL_URL, mysqlRows, PG_URL, tempDir } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);

type Target = "mariadb" | "postgresql" | "sqlite";

/** The table's rows as `k=n` (NULL as `null`), sorted. */
async function read(target: Target, url: string, table: string): Promise<string[]> {
  const query = `SELECT k, n FROM ${target === "mariadb" ? `\`${table}\`` : `"${table}"`}`;
  let rows: Record<string, unknown>[];
  if (target === "mariadb") rows = await mysqlRows(db.my, query);
  else if (target === "postgresql") rows = (await db.pgc.query(query)).rows;
  else {
    const file = new pkg.Database(url.slice("jdbc:sqlite:".length));
    try { rows = file.all(query) as Record<string, unknown>[]; } finally { file.close(); }
  }
  return rows.map((r) => `${r.k === null ? "null" : String(r.k)}=${Number(r.n)}`).sort();
}

async function urlOf(target: Target): Promise<string> {
  if (target === "mariadb") return MYSQL_URL;
  if (target === "postgresql") return PG_URL;
  return `jdbc:sqlite:${join(await tempDir("nullkey-sqlite"), "out.db")}`;
}

/** The user's own table for nullable keys: a UNIQUE key over a nullable column instead of a primary key. */
async function createUniqueKeyTable(target: Target, url: string, table: string): Promise<void> {
  if (target === "mariadb") {
    await db.my.query(`CREATE TABLE \`${table}\` (k VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL, n BIGINT, UNIQUE KEY (k))`);
  } else if (target === "postgresql") {
    await db.pgc.query(`CREATE TABLE "${table}" (k TEXT, n BIGINT, UNIQUE (k))`);
  } else {
    const file = new pkg.Database(url.slice("jdbc:sqlite:".length));
    try { file.exec(`CREATE TABLE "${table}" (k TEXT, n BIGINT, UNIQUE (k))`); } finally { file.close(); }
  }
}

describe("JDBC sink: a NULL grouping key is one group, as in Spark", () => {
  for (const target of ["mariadb", "postgresql", "sqlite"] as const) {
    for (const mode of ["update", "complete"] as const) {
      test(`${target}, ${mode} mode, into a table with a UNIQUE key on nullable columns: the NULL group is written and updated, across a restart and a re-run batch`, async () => {
        const url = await urlOf(target);
        const table = db.table(`nullkey_${mode}`);
        await createUniqueKeyTable(target, url, table);
        const checkpoint = await tempDir("nullkey-ckpt");
        const stream = new MemoryStream<{ k: string | null }>(spark, "k STRING");
        const start = () => stream.toDF().groupBy("k").agg(count("*").as("n")).writeStream.outputMode(mode).format("jdbc")
          .option("dbtable", table).option("checkpointLocation", checkpoint).start(url);
        let q = start();
        stream.addData({ k: "x" }, { k: null }, { k: null });
        await q.processAllAvailable();
        expect(await read(target, url, table)).toEqual(["null=2", "x=1"]);
        stream.addData({ k: null }, { k: "y" });
        await q.processAllAvailable();
        await q.stop();
        expect(q.exception).toBeNull();
        expect(await read(target, url, table)).toEqual(["null=3", "x=1", "y=1"]);

        // Batch 1 re-runs after the restart (its commit-log entry is gone): the sink's commit row skips it.
        await rm(join(checkpoint, "commits", "1"));
        q = start();
        stream.addData({ k: null }, { k: "x" });
        await q.processAllAvailable();
        await q.stop();
        expect(q.exception).toBeNull();
        expect(await read(target, url, table)).toEqual(["null=4", "x=2", "y=1"]);
      });
    }
  }

  for (const target of ["mariadb", "postgresql"] as const) {
    test(`${target}: the table the sink creates has the keys as its primary key; a NULL key is refused before anything is written, saying what to do`, async () => {
      const url = await urlOf(target);
      const table = db.table("nullkey_made");
      const stream = new MemoryStream<{ k: string | null }>(spark, "k STRING");
      const q = stream.toDF().groupBy("k").agg(count("*").as("n")).writeStream.outputMode("update").format("jdbc")
        .option("dbtable", table).option("checkpointLocation", await tempDir("nullkey-made")).start(url);
      stream.addData({ k: "x" });
      await q.processAllAvailable();
      expect(await read(target, url, table)).toEqual(["x=1"]);
      stream.addData({ k: "x" }, { k: null });
      await expect(q.processAllAvailable()).rejects.toThrow(
        new RegExp(`key column k is NULL, but column k of table ${table} is NOT NULL \\(part of its primary key\\).*coalesce\\(k, 'unknown'\\).*UNIQUE constraint`),
      );
      expect(await read(target, url, table)).toEqual(["x=1"]);
      const primary = target === "mariadb"
        ? (await mysqlRows(db.my, `SELECT COLUMN_NAME AS c FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '${table}' AND CONSTRAINT_NAME = 'PRIMARY'`)).map((r) => r.c)
        : (await db.pgc.query(`SELECT k.column_name AS c FROM information_schema.table_constraints t JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.table_name = t.table_name WHERE t.table_name = $1 AND t.constraint_type = 'PRIMARY KEY'`, [table])).rows.map((r) => r.c);
      expect(primary).toEqual(["k"]);
    });
  }
});
