import { join } from "node:path";
import type { Connection } from "mysql2/promise";
import pkg from "node-sqlite3-wasm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Decimal, MemoryStream, Session, col, count } from "../../../src/index.ts";
import { MYSQL_URL, mysqlConnection, PG_URL, pgClient, removeTempDirs, tempDir, uniqueTable } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
afterAll(async () => {
  await spark.streams.stopAll();
  await removeTempDirs();
});

describe("batch JDBC source", () => {
  let conn: Connection;
  const dim = uniqueTable("dim_actions");
  const out = uniqueTable("by_category");

  beforeAll(async () => {
    conn = await mysqlConnection();
    await conn.query(`CREATE TABLE \`${dim}\` (action VARCHAR(20) PRIMARY KEY, category VARCHAR(20), weight DECIMAL(6,2), active TINYINT(1), since DATETIME(3), big BIGINT)`);
    await conn.query(`INSERT INTO \`${dim}\` VALUES ('click', 'engagement', 1.50, 1, '2025-06-01 08:00:00.250', 9007199254740991), ('view', 'reach', 0.25, 0, NULL, NULL), ('buy', 'revenue', 10, 1, NULL, -1)`);
  });

  afterAll(async () => {
    await conn.query(`DROP TABLE IF EXISTS \`${dim}\``);
    await conn.query(`DROP TABLE IF EXISTS \`${out}\``);
    await conn.end();
  });

  test("spark.read.jdbc reads the table with its schema", async () => {
    const df = spark.read.jdbc(MYSQL_URL, dim);
    expect(df.schema.simpleString()).toBe("struct<action:string,category:string,weight:decimal(6,2),active:boolean,since:timestamp,big:bigint>");
    const rows = await df.orderBy(col("action")).collect();
    expect(rows).toEqual([
      { action: "buy", category: "revenue", weight: new Decimal("10.00"), active: true, since: null, big: -1 },
      { action: "click", category: "engagement", weight: new Decimal("1.50"), active: true, since: new Date("2025-06-01T08:00:00.250Z"), big: 9007199254740991 },
      { action: "view", category: "reach", weight: new Decimal("0.25"), active: false, since: null, big: null },
    ]);
    const same = spark.read.format("jdbc").option("url", MYSQL_URL).option("dbtable", dim).load().select("action", "category");
    expect(await same.count()).toBe(3);
  });

  test("a stream joined with a dimension table kept in MySQL, written back to MySQL", async () => {
    const stream = new MemoryStream<{ action: string }>(spark, "action STRING");
    const categories = spark.read.format("jdbc").option("url", MYSQL_URL).option("dbtable", dim).load();
    const q = stream.toDF().join(categories, "action").groupBy(col("category")).agg(count("*").as("n"))
      .writeStream.outputMode("update").format("jdbc").option("dbtable", out).start(MYSQL_URL);
    stream.addData({ action: "click" }, { action: "view" }, { action: "click" }, { action: "unknown" });
    await q.processAllAvailable();
    stream.addData({ action: "buy" }, { action: "click" });
    await q.processAllAvailable();
    await q.stop();
    expect(q.exception).toBeNull();
    const [rows] = await conn.query(`SELECT category, n FROM \`${out}\` ORDER BY category`);
    expect(rows).toEqual([{ category: "engagement", n: 3 }, { category: "reach", n: 1 }, { category: "revenue", n: 1 }]);
  });

  test("errors at load(): missing table, wrong password (hidden), streaming read", () => {
    expect(() => spark.read.jdbc(MYSQL_URL, "no_such_table_rivulet")).toThrow(/table no_such_table_rivulet does not exist/);
    let message = "";
    try { spark.read.jdbc("jdbc:mysql://127.0.0.1:3306/test?user=root&password=n0t-the-pw", dim); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/access denied for user 'root'/);
    expect(message).not.toContain("n0t-the-pw");
    expect(() => spark.readStream.format("jdbc").option("url", MYSQL_URL).option("dbtable", dim).load()).toThrow(/does not support streaming reads/);
  });

  test("PostgreSQL and SQLite tables", async () => {
    const client = await pgClient();
    const name = uniqueTable("pg_dim");
    try {
      await client.query(`CREATE TABLE "${name}" (id BIGINT PRIMARY KEY, label TEXT, at TIMESTAMP, ok BOOLEAN, price NUMERIC(8,2))`);
      await client.query(`INSERT INTO "${name}" VALUES (1, 'a', '2026-01-01 10:00:00', true, 2.5), (2, NULL, NULL, NULL, NULL)`);
      const df = spark.read.jdbc(PG_URL, name);
      expect(df.schema.simpleString()).toBe("struct<id:bigint,label:string,at:timestamp,ok:boolean,price:decimal(8,2)>");
      expect(await df.orderBy(col("id")).collect()).toEqual([
        { id: 1, label: "a", at: new Date("2026-01-01T10:00:00Z"), ok: true, price: new Decimal("2.50") },
        { id: 2, label: null, at: null, ok: null, price: null },
      ]);
    } finally {
      await client.query(`DROP TABLE IF EXISTS "${name}"`);
      await client.end();
    }

    const file = join(await tempDir("sqlite-src"), "dim.db");
    const db = new pkg.Database(file);
    db.exec("CREATE TABLE dim (k TEXT PRIMARY KEY, v INTEGER, r REAL)");
    db.run("INSERT INTO dim VALUES (?, ?, ?), (?, ?, ?)", ["x", 1, 0.5, "y", 2, null]);
    db.close();
    const rows = await spark.read.jdbc(`jdbc:sqlite:${file}`, "dim").orderBy(col("k")).collect();
    expect(rows).toEqual([{ k: "x", v: 1, r: 0.5 }, { k: "y", v: 2, r: null }]);
  });
});
