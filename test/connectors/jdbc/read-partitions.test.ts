import type { Connection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { MYSQL_URL, mysqlConnection, uniqueTable } from "./helpers.ts";

// Spark's DataFrameReader.jdbc overloads: predicates (one partition per WHERE clause) and column partitioning.
const spark = Session.builder().getOrCreate();
const table = uniqueTable("read_parts");
let conn: Connection;

beforeAll(async () => {
  conn = await mysqlConnection();
  await conn.query(`CREATE TABLE ${table} (id INT, region VARCHAR(10))`);
  await conn.query(`INSERT INTO ${table} VALUES (1, 'eu'), (2, 'eu'), (3, 'us'), (4, 'asia'), (5, NULL)`);
});

afterAll(async () => {
  await conn.query(`DROP TABLE IF EXISTS ${table}`);
  await conn.end();
});

const ids = async (rows: Promise<Record<string, unknown>[]>): Promise<number[]> => (await rows).map((r) => Number(r.id)).sort((a, b) => a - b);

describe("spark.read.jdbc overloads", () => {
  test("(url, table, predicates, properties): the union of one read per WHERE clause; a row two clauses match comes twice", async () => {
    const df = spark.read.jdbc(MYSQL_URL, table, ["region = 'eu'", "id >= 2 AND id <= 3"], {});
    expect(await ids(df.collect())).toEqual([1, 2, 2, 3]);
    expect(await ids(spark.read.jdbc(MYSQL_URL, table, ["region IS NULL"], { user: "root" }).collect())).toEqual([5]);
    expect(await df.filter(col("id").gt(1)).count()).toBe(3);
  });

  test("(url, table, properties) and (url, table, columnName, lowerBound, upperBound, numPartitions, properties): every row, once", async () => {
    expect(await ids(spark.read.jdbc(MYSQL_URL, table, {}).collect())).toEqual([1, 2, 3, 4, 5]);
    expect(await ids(spark.read.jdbc(MYSQL_URL, table, "id", 1, 3, 2, {}).collect())).toEqual([1, 2, 3, 4, 5]);
    const options = spark.read.format("jdbc").option("url", MYSQL_URL).option("dbtable", table)
      .option("partitionColumn", "id").option("lowerBound", 0).option("upperBound", 10).option("numPartitions", 4).load();
    expect(await ids(options.collect())).toEqual([1, 2, 3, 4, 5]);
  });

  test("the partitioning options are checked as Spark checks them", () => {
    expect(() => spark.read.format("jdbc").option("url", MYSQL_URL).option("dbtable", table).option("partitionColumn", "id").load())
      .toThrow(/users need to specify all or none for the following options: 'partitionColumn', 'lowerBound', 'upperBound', and 'numPartitions'/);
    expect(() => spark.read.jdbc(MYSQL_URL, table, "id", 5, 1, 2, {})).toThrow(/the lower bound of partitioning column is larger than the upper bound. Lower bound: 5; Upper bound: 1/);
    expect(() => spark.read.jdbc(MYSQL_URL, table, "id", 1, 5, 0, {})).toThrow(/Invalid value `0` for parameter `numPartitions`/);
  });
});

describe("spark.read.jdbc on Spark Connect", () => {
  test("the predicates go in Read.DataSource.predicates, as Spark's client sends them", async () => {
    const { toConnectPlan } = await import("../../../src/connect/index.ts");
    const remote = Session.builder().remote("sc://127.0.0.1:1").getOrCreate();
    const plan = toConnectPlan(remote.read.jdbc(MYSQL_URL, "t", ["a = 1", "b > 2"], { user: "root" })) as any;
    const source = plan.root.read.dataSource;
    expect(source.format).toBe("jdbc");
    expect(source.predicates).toEqual(["a = 1", "b > 2"]);
    expect(source.options).toEqual({ user: "root", url: MYSQL_URL, dbtable: "t" });
  });
});
