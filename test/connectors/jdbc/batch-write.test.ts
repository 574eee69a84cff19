import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { bothDatabases, MYSQL_URL, PG_URL, tempDir } from "./helpers.ts";

const { Database } = pkg;
const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);

const rowsOf = (n: number) => spark.sql(`SELECT id, concat('r', id) AS s, CAST(id AS DECIMAL(10,2)) / 4 AS d, TIMESTAMP '2024-01-01 10:00:00' AS t FROM range(${n}) AS r(id)`);

async function dbTypes(url: string, table: string): Promise<string[]> {
  if (url.startsWith("jdbc:mysql")) {
    const [rows] = await db.my.query(`SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, [table]);
    return (rows as { t: string }[]).map((r) => r.t.toLowerCase());
  }
  const { rows } = await db.pgc.query(`SELECT data_type AS t FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position`, [table]);
  return rows.map((r: { t: string }) => r.t.toLowerCase());
}

describe("batch JDBC writes: df.write.jdbc(url, table) and format(\"jdbc\")…save() with Spark's save modes", () => {
  test.each([["MariaDB", MYSQL_URL], ["PostgreSQL", PG_URL]])("%s: create, append, errorifexists, ignore, overwrite (drop and re-create), truncate", async (_name, url) => {
    const table = db.table("batch_write");
    await rowsOf(3).write.jdbc(url, table); // absent: created with the sink's type mapping
    expect(await dbTypes(url, table)).toEqual(url === PG_URL ? ["bigint", "text", "numeric", "timestamp without time zone"] : ["bigint", "text", "decimal", "datetime"]);
    const read = async () => (await spark.read.jdbc(url, table).orderBy("id").collect()).map((r) => [Number(r.id), r.s, Number(String(r.d))]);
    expect(await read()).toEqual([[0, "r0", 0], [1, "r1", 0.25], [2, "r2", 0.5]]);

    await rowsOf(2).write.mode("append").format("jdbc").option("url", url).option("dbtable", table).save();
    expect((await read()).length).toBe(5);

    await expect(rowsOf(1).write.jdbc(url, table)).rejects.toThrow(`[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view \`${table}\` because it already exists.`);
    await rowsOf(1).write.mode("ignore").jdbc(url, table);
    expect((await read()).length).toBe(5);

    // overwrite re-creates the table from the new schema, as Spark without `truncate`
    await spark.sql("SELECT 7 AS id, 'x' AS other").write.mode("overwrite").jdbc(url, table);
    expect(await spark.read.jdbc(url, table).collect()).toEqual([{ id: 7, other: "x" }]);

    // with truncate the table's definition stays (a column type a re-creation would lose)
    if (url === PG_URL) await db.pgc.query(`ALTER TABLE "${table}" ALTER COLUMN other TYPE VARCHAR(5)`);
    else await db.my.query(`ALTER TABLE \`${table}\` MODIFY other VARCHAR(5)`);
    await spark.sql("SELECT 8 AS id, 'y' AS other").write.mode("overwrite").option("truncate", true).jdbc(url, table);
    expect(await spark.read.jdbc(url, table).collect()).toEqual([{ id: 8, other: "y" }]);
    expect((await dbTypes(url, table))[1]).toMatch(/^(character varying|varchar)$/);
  }, 60_000);

  test("SQLite: save(url) names the database; properties carry options; a result the table does not fit is refused and nothing is written", async () => {
    const file = join(await tempDir("batch-write"), "out.db");
    const url = `jdbc:sqlite:${file}`;
    await rowsOf(2).write.format("jdbc").option("dbtable", "t").save(url);
    await rowsOf(5).write.mode("append").jdbc(url, "t", { batchsize: 2 });
    const sqlite = new Database(file, { readOnly: true });
    try {
      expect(sqlite.all("SELECT count(*) AS n FROM t")).toEqual([{ n: 7 }]);
    } finally {
      sqlite.close();
    }
    await expect(spark.sql("SELECT 1 AS id, 'no such column' AS zzz").write.mode("append").jdbc(url, "t")).rejects.toThrow("table t does not fit the query's result: missing column zzz (string)");
    expect(await spark.read.jdbc(url, "t").count()).toBe(7);
  });
});
