import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type pg from "pg";
import { Decimal, MemoryStream, Session, col } from "../../../src/index.ts";
import { PG_URL, pgClient, uniqueTable } from "./helpers.ts";

// Spark's PostgresDialect: what each common PostgreSQL type is read as (finding 11: timestamptz
// came back NULL, json/jsonb as "[object Object]").
const spark = Session.builder().getOrCreate();
const table = uniqueTable("pg_types");
let client: pg.Client;

beforeAll(async () => {
  client = await pgClient();
  await client.query(`CREATE TABLE ${table} (id int, tz timestamptz, ts timestamp, d date, t time, ttz timetz, j jsonb, js json,
    n numeric(10,3), nn numeric, u uuid, ia int[], ta text[], tza timestamptz[], ba bytea, iv interval, ip inet, m money,
    s smallint, r real, b bool, b1 bit(1), b3 bit(3), big bigint, mood_text varchar(5))`);
  await client.query(`INSERT INTO ${table} VALUES
    (1, '2024-01-01 10:00:00.123456+02', '2024-01-01 10:00:00.5', '2024-02-29', '13:14:15', '13:14:15+02', '{"a": 1}', '{"b":  2}',
     12.345, 1.5, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{1,NULL,3}', ARRAY['a,b', 'q"x', NULL, 'NULL'], ARRAY['2024-06-01 00:00:00+00'::timestamptz],
     '\\x0102ff', '1 day 02:00:00', '10.0.0.1', 1.5, 7, 1.5, true, B'1', B'101', 9223372036854775807, 'ok'),
    (2, '2024-06-01 00:00:00+00', NULL, NULL, NULL, NULL, '[1, 2]', '"s"', NULL, NULL, NULL, '{}', NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, 'NaN', false, B'0', NULL, NULL, NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
});

afterAll(async () => {
  await client.query(`DROP TABLE IF EXISTS ${table}`);
  await client.end();
});

describe("spark.read.jdbc on PostgreSQL reads types as Spark's PostgresDialect", () => {
  test("schema: timestamptz/time are TIMESTAMP, json/jsonb/uuid/interval/inet/money STRING, arrays ARRAY, int2 SMALLINT, real FLOAT", () => {
    const df = spark.read.jdbc(PG_URL, table);
    expect(df.schema.simpleString()).toBe("struct<id:int,tz:timestamp,ts:timestamp,d:date,t:timestamp,ttz:timestamp,j:string,js:string,"
      + "n:decimal(10,3),nn:decimal(38,18),u:string,ia:array<int>,ta:array<string>,tza:array<timestamp>,ba:binary,iv:string,ip:string,m:string,"
      + "s:smallint,r:float,b:boolean,b1:boolean,b3:binary,big:bigint,mood_text:string>");
  });

  test("values: the instant of a timestamptz, the JSON text, arrays with NULLs and quotes, bytea, bit(n)", async () => {
    const rows = await spark.read.jdbc(PG_URL, table).orderBy(col("id")).collect();
    const bytes = (v: unknown): number[] => Array.from(v as Uint8Array);
    expect({ ...rows[0], ba: bytes(rows[0]!.ba), b3: bytes(rows[0]!.b3) }).toEqual({
      id: 1, tz: new Date("2024-01-01T08:00:00.123Z"), ts: new Date("2024-01-01T10:00:00.500Z"), d: new Date("2024-02-29T00:00:00Z"),
      t: new Date("1970-01-01T13:14:15Z"), ttz: new Date("1970-01-01T11:14:15Z"), j: '{"a": 1}', js: '{"b":  2}',
      n: new Decimal("12.345"), nn: new Decimal("1.500000000000000000"), u: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
      ia: [1, null, 3], ta: ["a,b", 'q"x', null, "NULL"], tza: [new Date("2024-06-01T00:00:00Z")], ba: [1, 2, 255],
      iv: "1 day 02:00:00", ip: "10.0.0.1", m: "$1.50", s: 7, r: 1.5, b: true, b1: true, b3: [49, 48, 49], // bit(3) '101' as the bytes of its text, as the JDBC driver's getBytes
      big: 9223372036854775807n, mood_text: "ok",
    });
    expect(rows[1]).toMatchObject({ id: 2, tz: new Date("2024-06-01T00:00:00Z"), j: "[1, 2]", js: '"s"', ia: [], r: NaN, b: false, b1: false });
    expect(Object.entries(rows[2]!).filter(([k, v]) => k !== "id" && v !== null)).toEqual([]);
  });

  test("SQL over the table: microseconds kept, JSON text usable by get_json_object", async () => {
    spark.read.jdbc(PG_URL, table).createOrReplaceTempView("pg_types_view");
    const rows = await spark.sql(`SELECT id, CAST(tz AS STRING) AS tz, get_json_object(j, '$.a') AS a, size(ia) AS n
      FROM pg_types_view WHERE id < 3 ORDER BY id`).collect();
    expect(rows).toEqual([
      { id: 1, tz: "2024-01-01 08:00:00.123456", a: "1", n: 3 },
      { id: 2, tz: "2024-06-01 00:00:00", a: null, n: 0 },
    ]);
  });

  test("preferTimestampNTZ reads timestamp (without time zone) as TIMESTAMP_NTZ; timestamptz stays TIMESTAMP", async () => {
    const df = spark.read.format("jdbc").option("url", PG_URL).option("dbtable", table).option("preferTimestampNTZ", "true").load().select("id", "tz", "ts");
    expect(df.schema.simpleString()).toBe("struct<id:int,tz:timestamp,ts:timestamp_ntz>");
    const rows = await df.selectExpr("CAST(ts AS STRING) AS ts").where("ts IS NOT NULL").collect();
    expect(rows).toEqual([{ ts: "2024-01-01 10:00:00.5" }]);
  });

  test("a stream joined with the table sees the instant and the JSON text", async () => {
    const events = new MemoryStream<{ id: number }>(spark, "id INT");
    const dims = spark.read.jdbc(PG_URL, table).select("id", "tz", "j");
    const q = events.toDF().join(dims, "id").writeStream.format("memory").queryName("pg_types_stream").start();
    events.addData({ id: 1 }, { id: 2 });
    await q.processAllAvailable();
    await q.stop();
    expect(await spark.table("pg_types_stream").orderBy(col("id")).collect()).toEqual([
      { id: 1, tz: new Date("2024-01-01T08:00:00.123Z"), j: '{"a": 1}' },
      { id: 2, tz: new Date("2024-06-01T00:00:00Z"), j: "[1, 2]" },
    ]);
  });
});

describe("PostgreSQL arrays of each element type", () => {
  const arrays = uniqueTable("pg_arrays");
  afterAll(async () => { await client.query(`DROP TABLE IF EXISTS ${arrays}`); });

  test("bool[], int8[], numeric[], float8[], bytea[], date[], uuid[], jsonb[], timestamp[] read as Spark's ArrayType", async () => {
    await client.query(`CREATE TABLE ${arrays} (bs bool[], ls int8[], ns numeric(6,2)[], fs float8[], bys bytea[], ds date[], us uuid[], js jsonb[], tss timestamp[])`);
    await client.query(`INSERT INTO ${arrays} VALUES ('{t,f,NULL}', '{1,-9223372036854775808}', '{1.5,NULL}', '{NaN,-Infinity,0.25}',
      ARRAY['\\x00ff'::bytea], '{2024-02-29}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', ARRAY['{"k": "v,}"}'::jsonb], '{"2024-01-01 10:00:00.25"}')`);
    const df = spark.read.jdbc(PG_URL, arrays);
    expect(df.schema.simpleString()).toBe("struct<bs:array<boolean>,ls:array<bigint>,ns:array<decimal(38,18)>,fs:array<double>,bys:array<binary>,"
      + "ds:array<date>,us:array<string>,js:array<string>,tss:array<timestamp>>");
    const [row] = await df.collect();
    expect({ ...row, bys: (row!.bys as Uint8Array[]).map((b) => Array.from(b)) }).toEqual({
      bs: [true, false, null], ls: [1, -9223372036854775808n], ns: [new Decimal("1.500000000000000000"), null], fs: [NaN, -Infinity, 0.25],
      bys: [[0, 255]], ds: [new Date("2024-02-29T00:00:00Z")], us: ["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"], js: ['{"k": "v,}"}'],
      tss: [new Date("2024-01-01T10:00:00.250Z")],
    });
  });
});

describe("PostgreSQL values and types Spark cannot read fail, naming the column", () => {
  const bad = uniqueTable("pg_bad_types");
  afterAll(async () => { await client.query(`DROP TABLE IF EXISTS ${bad}`); });

  test("money[] is refused at load(); infinity and multi-dimensional arrays when read", async () => {
    await client.query(`CREATE TABLE ${bad} (id int, prices money[], at timestamptz, grid int[])`);
    expect(() => spark.read.jdbc(PG_URL, bad)).toThrow(/\[UNRECOGNIZED_SQL_TYPE\] Unrecognized SQL type - name: money\[\], column: prices/);
    await client.query(`ALTER TABLE ${bad} DROP COLUMN prices`);
    await client.query(`INSERT INTO ${bad} VALUES (1, 'infinity', NULL), (2, NULL, '{{1,2},{3,4}}')`);
    const at = spark.read.jdbc(PG_URL, bad).select("id", "at");
    await expect(at.collect()).rejects.toThrow(/row 0, column at: .*'infinity'/);
    const grid = spark.read.jdbc(PG_URL, bad).select("id", "grid");
    await expect(grid.collect()).rejects.toThrow(/row 1, column grid: .*multi-dimensional array/);
  });
});
