import type { Connection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { keyCollation } from "../../../src/connectors/jdbc/mysql-dialect.ts";
import { MemoryStream, Session, count } from "../../../src/index.ts";
import { MYSQL_URL, mysqlConnection, mysqlRows, removeTempDirs, tempDir, uniqueTable } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
let conn: Connection;
const tables: string[] = [];

beforeAll(async () => {
  conn = await mysqlConnection();
});

afterAll(async () => {
  await spark.streams.stopAll();
  for (const t of tables) await conn.query(`DROP TABLE IF EXISTS \`${t}\``);
  await conn.end();
  await removeTempDirs();
});

/** The table's rows as `[k]=n`, in binary order. */
async function keyCounts(name: string): Promise<string[]> {
  const rows = await mysqlRows(conn, `SELECT k, n FROM \`${name}\` ORDER BY BINARY k`);
  return rows.map((r) => `[${String(r.k)}]=${Number(r.n)}`);
}

describe("JDBC sink on MariaDB: string keys compare byte for byte, as Spark's strings", () => {
  for (const mode of ["update", "complete"] as const) {
    test(`${mode} mode: "a", "A", "a " and "b" are four rows with their own counts`, async () => {
      const name = uniqueTable(`coll_${mode}`);
      tables.push(name);
      const stream = new MemoryStream<{ k: string }>(spark, "k STRING");
      const q = stream.toDF().groupBy("k").agg(count("*").as("n")).writeStream.outputMode(mode).format("jdbc")
        .option("dbtable", name).option("checkpointLocation", await tempDir("coll")).start(MYSQL_URL);
      stream.addData({ k: "a" }, { k: "A" }, { k: "a " }, { k: "b" });
      await q.processAllAvailable();
      stream.addData({ k: "A" }, { k: "a " });
      await q.processAllAvailable();
      await q.stop();
      expect(q.exception).toBeNull();
      expect(await keyCounts(name)).toEqual(["[A]=2", "[a]=1", "[a ]=2", "[b]=1"]);
      const [column] = await mysqlRows(conn, "SELECT COLLATION_NAME c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? AND COLUMN_NAME = 'k'", [name]);
      expect(column!.c).toBe("utf8mb4_nopad_bin");
    });
  }

  test("the collation follows the server: MariaDB nopad_bin, MySQL 8 0900_bin, older MySQL bin", () => {
    expect(keyCollation("10.11.19-MariaDB-0+deb12u1")).toBe("utf8mb4_nopad_bin");
    expect(keyCollation("5.5.5-10.3.39-MariaDB")).toBe("utf8mb4_nopad_bin");
    expect(keyCollation("8.0.36")).toBe("utf8mb4_0900_bin");
    expect(keyCollation("5.7.44-log")).toBe("utf8mb4_bin");
  });
});
