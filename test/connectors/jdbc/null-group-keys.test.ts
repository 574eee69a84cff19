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

describe("JDBC sink: a NULL grouping key is one group, as in Spark", () => {
  for (const target of ["mariadb", "postgresql", "sqlite"] as const) {
    for (const mode of ["update", "complete"] as const) {
      test(`${target}, ${mode} mode: the NULL group is written and updated, across a restart and a re-run batch`, async () => {
        const url = await urlOf(target);
        const table = db.table(`nullkey_${mode}`);
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

  test("MariaDB: a table with the keys as its primary key (NOT NULL) refuses a NULL key with what to do", async () => {
    const table = db.table("nullkey_old");
    await db.my.query(`CREATE TABLE \`${table}\` (k VARCHAR(255) NOT NULL, n BIGINT, PRIMARY KEY (k))`);
    const stream = new MemoryStream<{ k: string | null }>(spark, "k STRING");
    const q = stream.toDF().groupBy("k").agg(count("*").as("n")).writeStream.outputMode("update").format("jdbc")
      .option("dbtable", table).option("checkpointLocation", await tempDir("nullkey-old")).start(MYSQL_URL);
    stream.addData({ k: "x" }, { k: null });
    await expect(q.processAllAvailable()).rejects.toThrow(
      new RegExp(`key column k is NULL, but column k of table ${table} is NOT NULL \\(part of its primary key.*Drop the table`),
    );
    expect(await read("mariadb", MYSQL_URL, table)).toEqual([]);
  });

  test("PostgreSQL: the table made for nullable keys has a UNIQUE key on nullable columns", async () => {
    const nullable = db.table("nullkey_shape");
    const stream = new MemoryStream<{ k: string | null }>(spark, "k STRING");
    const q = stream.toDF().groupBy("k").agg(count("*").as("n")).writeStream.outputMode("update").format("jdbc")
      .option("dbtable", nullable).start(PG_URL);
    stream.addData({ k: "x" });
    await q.processAllAvailable();
    await q.stop();
    const shape = await db.pgc.query(
      `SELECT c.column_name, c.is_nullable, t.constraint_type FROM information_schema.columns c
       LEFT JOIN information_schema.key_column_usage k ON k.table_name = c.table_name AND k.column_name = c.column_name
       LEFT JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name AND t.table_name = c.table_name
       WHERE c.table_name = $1 ORDER BY c.ordinal_position`, [nullable]);
    expect(shape.rows.map((r) => `${r.column_name} ${r.is_nullable} ${r.constraint_type ?? ""}`.trim())).toEqual(["k YES UNIQUE", "n YES"]);
  });
});
