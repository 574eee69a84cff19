import type { Connection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Decimal, MemoryStream, Session, col } from "../../../src/index.ts";
import { MYSQL_URL, mysqlConnection, uniqueTable } from "./helpers.ts";

// Spark 3.5's MySQLDialect (with MySQL Connector/J): what each MariaDB column type is read as
// (finding 12: BIGINT UNSIGNED beyond 2^63-1 failed the read).
const spark = Session.builder().getOrCreate();
const table = uniqueTable("my_types");
let conn: Connection;

beforeAll(async () => {
  conn = await mysqlConnection();
  await conn.query(`CREATE TABLE ${table} (id INT, ub BIGINT UNSIGNED, ui INT UNSIGNED, um MEDIUMINT UNSIGNED, us SMALLINT UNSIGNED,
    ut TINYINT UNSIGNED, tb TINYINT(1), ti TINYINT, bit1 BIT(1), bit9 BIT(9), y YEAR, dt DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME,
    j JSON, f FLOAT, dbl DOUBLE, dec_u DECIMAL(12,2) UNSIGNED, e ENUM('a','b'), vb VARBINARY(4), big BIGINT)`);
  await conn.query(`INSERT INTO ${table} VALUES
    (1, 18446744073709551615, 4294967295, 16777215, 65535, 255, 1, -128, b'1', b'100000001', 2024, '2024-01-01 10:00:00.123456',
     '2024-01-01 10:00:00.250', '13:14:15', '{"a": [1, 2]}', 1.5, 2.25, 1234567890.12, 'b', X'01FF', -9223372036854775808),
    (2, 5, 0, 0, 0, 0, 0, 127, b'0', b'0', 1999, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(async () => {
  await conn.query(`DROP TABLE IF EXISTS ${table}`);
  await conn.end();
});

describe("spark.read.jdbc on MariaDB reads types as Spark's MySQLDialect", () => {
  test("schema: BIGINT UNSIGNED is DECIMAL(20,0), INT/MEDIUMINT UNSIGNED BIGINT, BIT(n>1) BIGINT, YEAR DATE, TIME TIMESTAMP", () => {
    expect(spark.read.jdbc(MYSQL_URL, table).schema.simpleString()).toBe("struct<id:int,ub:decimal(20,0),ui:bigint,um:bigint,us:int,ut:int,"
      + "tb:boolean,ti:int,bit1:boolean,bit9:bigint,y:date,dt:timestamp,ts:timestamp,tm:timestamp,j:string,f:double,dbl:double,"
      + "dec_u:decimal(12,2),e:string,vb:binary,big:bigint>");
  });

  test("values: every unsigned value, bits, years, JSON text", async () => {
    const rows = await spark.read.jdbc(MYSQL_URL, table).orderBy(col("id")).collect();
    expect({ ...rows[0], vb: Array.from(rows[0]!.vb as Uint8Array) }).toEqual({
      id: 1, ub: new Decimal("18446744073709551615"), ui: 4294967295, um: 16777215, us: 65535, ut: 255, tb: true, ti: -128,
      bit1: true, bit9: 257, y: new Date("2024-01-01T00:00:00Z"), dt: new Date("2024-01-01T10:00:00.123Z"),
      ts: new Date("2024-01-01T10:00:00.250Z"), tm: new Date("1970-01-01T13:14:15Z"), j: '{"a": [1, 2]}', f: 1.5, dbl: 2.25,
      dec_u: new Decimal("1234567890.12"), e: "b", vb: [1, 255], big: -9223372036854775808n,
    });
    expect(rows[1]).toMatchObject({ id: 2, ub: new Decimal("5"), tb: false, bit1: false, bit9: 0, y: new Date("1999-01-01T00:00:00Z") });
    expect(Object.entries(rows[2]!).filter(([k, v]) => k !== "id" && v !== null)).toEqual([]);
  });

  test("SQL and DataFrame over BIGINT UNSIGNED: exact digits, arithmetic as DECIMAL(20,0)", async () => {
    spark.read.jdbc(MYSQL_URL, table).createOrReplaceTempView("my_types_view");
    const rows = await spark.sql(`SELECT id, CAST(ub AS STRING) AS ub, ub - 1 AS less, CAST(dt AS STRING) AS dt FROM my_types_view WHERE id < 3 ORDER BY id`).collect();
    expect(rows).toEqual([
      { id: 1, ub: "18446744073709551615", less: new Decimal("18446744073709551614"), dt: "2024-01-01 10:00:00.123456" },
      { id: 2, ub: "5", less: new Decimal("4"), dt: null },
    ]);
  });

  test("preferTimestampNTZ reads DATETIME as TIMESTAMP_NTZ; TIMESTAMP stays TIMESTAMP", () => {
    const df = spark.read.format("jdbc").option("url", MYSQL_URL).option("dbtable", table).option("preferTimestampNTZ", "true").load();
    expect(df.select("dt", "ts").schema.simpleString()).toBe("struct<dt:timestamp_ntz,ts:timestamp>");
  });

  test("a stream joined with the table by a BIGINT UNSIGNED id beyond 2^63", async () => {
    const events = new MemoryStream<{ id: number }>(spark, "id INT");
    const dims = spark.read.jdbc(MYSQL_URL, table).select("id", "ub", "bit9");
    const q = events.toDF().join(dims, "id").writeStream.format("memory").queryName("my_types_stream").start();
    events.addData({ id: 1 }, { id: 2 });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table("my_types_stream").orderBy(col("id")).collect()).toEqual([
      { id: 1, ub: new Decimal("18446744073709551615"), bit9: 257 },
      { id: 2, ub: new Decimal("5"), bit9: 0 },
    ]);
  });

  test("a TIME beyond one day fails the read naming row and column", async () => {
    const bad = uniqueTable("my_bad_time");
    try {
      await conn.query(`CREATE TABLE ${bad} (id INT, tm TIME)`);
      await conn.query(`INSERT INTO ${bad} VALUES (1, '12:00:00'), (2, '838:59:59')`);
      await expect(spark.read.jdbc(MYSQL_URL, bad).orderBy(col("id")).collect()).rejects.toThrow(/row 1, column tm: .*TIME '838:59:59' is not a time of day/);
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${bad}`);
    }
  });
  test("DECIMAL(65,30) is DECIMAL(38,30) as Spark's DecimalType.bounded: a value that fits is read exactly; one that does not fails the read", async () => {
    const wide = uniqueTable("my_wide_dec");
    await conn.query(`CREATE TABLE ${wide} (id INT, d DECIMAL(65,30))`);
    try {
      await conn.query(`INSERT INTO ${wide} VALUES (1, 12345678.123456789012345678901234567890), (2, -0.000000000000000000000000000001), (3, NULL)`);
      const df = spark.read.jdbc(MYSQL_URL, wide);
      expect(df.schema.simpleString()).toBe("struct<id:int,d:decimal(38,30)>");
      const rows = await df.orderBy(col("id")).selectExpr("CAST(d AS STRING) AS d").collect();
      expect(rows.map((r) => r.d)).toEqual(["12345678.123456789012345678901234567890", "-0.000000000000000000000000000001", null]);
      await conn.query(`INSERT INTO ${wide} VALUES (4, 123456789012.5)`);
      await expect(spark.read.jdbc(MYSQL_URL, wide).collect()).rejects.toThrow(/column d: cannot use "123456789012\.50+" as decimal\(38,30\)/);
    } finally {
      await conn.query(`DROP TABLE IF EXISTS ${wide}`);
    }
  });
});
