import { join } from "node:path";
import pkg from "node-sqlite3-wasm";
import { describe, expect, test } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { bothDatabases, MYSQL_URL, PG_URL, tempDir } from "./helpers.ts";

// Spark's JDBC read of a query: option "query" (wrapped as `(query) SPARK_GEN_SUBQ_n`) or a
// subquery with an alias as "dbtable", on MariaDB, PostgreSQL and SQLite.
const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);
const jdbc = (url: string) => spark.read.format("jdbc").option("url", url);

describe("option 'query'", () => {
  test("MariaDB: the query's rows and columns, typed as the database types them; filters and counts run over it", async () => {
    const t = db.table("rq_orders");
    await db.my.query(`CREATE TABLE ${t} (id INT NOT NULL, region VARCHAR(10), amount DECIMAL(8,2))`);
    await db.my.query(`INSERT INTO ${t} VALUES (1, 'eu', 2.50), (2, 'us', 7.00), (3, 'eu', 1.25), (4, NULL, 3.00)`);
    const df = jdbc(MYSQL_URL).option("query", `SELECT id, amount * 2 AS doubled, UPPER(region) AS r FROM ${t} WHERE region IS NOT NULL`).load();
    expect(df.schema.simpleString()).toBe("struct<id:int,doubled:decimal(9,2),r:string>");
    expect((await df.orderBy(col("id")).collect()).map((r) => [r.id, String(r.doubled), r.r])).toEqual([[1, "5.00", "EU"], [2, "14.00", "US"], [3, "2.50", "EU"]]);
    expect(await df.filter(col("r").equalTo("EU")).count()).toBe(2);
    // An aggregate in the query, and a trailing semicolon as users paste it.
    const counts = jdbc(MYSQL_URL).option("query", `SELECT region, COUNT(*) AS n FROM ${t} GROUP BY region;`).load();
    expect(counts.schema.simpleString()).toBe("struct<region:string,n:bigint>");
    expect(await counts.orderBy(col("region")).collect()).toEqual([{ region: null, n: 1 }, { region: "eu", n: 2 }, { region: "us", n: 1 }]);
  });

  test("PostgreSQL: the same, in SQL too (a temporary view over the read)", async () => {
    const t = db.table("rq_pg");
    await db.pgc.query(`CREATE TABLE "${t}" (id INT PRIMARY KEY, label TEXT, at TIMESTAMPTZ)`);
    await db.pgc.query(`INSERT INTO "${t}" VALUES (1, 'a', '2026-01-01T10:00:00Z'), (2, 'b', NULL), (3, 'c', '2026-01-02T00:00:00Z')`);
    const df = jdbc(PG_URL).option("query", `SELECT id, label || '!' AS shout, at FROM "${t}" WHERE id >= 2`).load();
    expect(df.schema.simpleString()).toBe("struct<id:int,shout:string,at:timestamp>");
    df.createOrReplaceTempView("rq_pg_view");
    expect(await spark.sql("SELECT id, shout FROM rq_pg_view ORDER BY id").collect()).toEqual([{ id: 2, shout: "b!" }, { id: 3, shout: "c!" }]);
    expect(await df.filter(col("at").isNull()).select("id").collect()).toEqual([{ id: 2 }]);
  });

  test("SQLite: declared types pass through, a computed column is typed by its values", async () => {
    const file = join(await tempDir("sqlite-query"), "q.db");
    const sqlite = new pkg.Database(file);
    sqlite.exec("CREATE TABLE items (k TEXT, v INTEGER, r REAL)");
    sqlite.run("INSERT INTO items VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)", ["x", 1, 0.5, "y", 2, 1.5, "z", 3, null]);
    sqlite.close();
    const df = jdbc(`jdbc:sqlite:${file}`).option("query", "SELECT k, v * 10 AS v10, r FROM items WHERE v < 3").load();
    expect(df.schema.simpleString()).toBe("struct<k:string,v10:bigint,r:double>");
    expect(await df.orderBy(col("k")).collect()).toEqual([{ k: "x", v10: 10, r: 0.5 }, { k: "y", v10: 20, r: 1.5 }]);
  });

  test("Spark's rules: dbtable or query, not both; query not with partitionColumn; not empty; not for a write", async () => {
    expect(() => jdbc(MYSQL_URL).load()).toThrow(/Option 'dbtable' or 'query' is required\./);
    expect(() => jdbc(MYSQL_URL).option("dbtable", "t").option("query", "SELECT 1").load()).toThrow(/Both 'dbtable' and 'query' can not be specified at the same time\./);
    expect(() => jdbc(MYSQL_URL).option("query", "SELECT 1 AS one").option("partitionColumn", "one").option("lowerBound", 0)
      .option("upperBound", 1).option("numPartitions", 1).load()).toThrow(/Options 'query' and 'partitionColumn' can not be specified together\. Please define the query using `dbtable` option/);
    expect(() => jdbc(MYSQL_URL).option("query", "  ").load()).toThrow(/Empty string is not allowed in either 'dbtable' or 'query' options/);
    expect(() => jdbc(MYSQL_URL).option("dbtable", "t; DROP TABLE x").load()).toThrow(/dbtable 't; DROP TABLE x' is neither a table name .* nor a subquery with an alias/);
    const rows = spark.createDataFrame([{ a: 1 }], "a INT");
    await expect(rows.write.format("jdbc").option("url", MYSQL_URL).option("query", "SELECT 1").save()).rejects.toThrow(/option 'dbtable' is required \(the table to write\)\. Option 'query' is not applicable while writing\./);
  });

  test("a query the database refuses: its error, naming the query", () => {
    expect(() => jdbc(MYSQL_URL).option("query", "SELECT nope FROM no_such_table_rq").load())
      .toThrow(/JDBC source jdbc:mysql:.*cannot read the columns of query \(SELECT nope FROM no_such_table_rq\) SPARK_GEN_SUBQ_\d+: .*no_such_table_rq/);
  });
});

describe("a subquery with an alias as 'dbtable'", () => {
  test("MariaDB and PostgreSQL: read as Spark reads it, `SELECT <columns> FROM (…) AS t`, with predicates and partitioning options", async () => {
    const t = db.table("rq_sub");
    await db.my.query(`CREATE TABLE ${t} (id INT, region VARCHAR(10))`);
    await db.my.query(`INSERT INTO ${t} VALUES (1, 'eu'), (2, 'eu'), (3, 'us')`);
    await db.pgc.query(`CREATE TABLE "${t}" (id INT, region TEXT)`);
    await db.pgc.query(`INSERT INTO "${t}" VALUES (1, 'eu'), (2, 'eu'), (3, 'us')`);
    for (const [url, quoted] of [[MYSQL_URL, t], [PG_URL, `"${t}"`]] as const) {
      const sub = `(SELECT id, region FROM ${quoted} WHERE region = 'eu') AS subq`;
      const df = jdbc(url).option("dbtable", sub).load();
      expect(df.columns).toEqual(["id", "region"]);
      expect(await df.orderBy(col("id")).collect()).toEqual([{ id: 1, region: "eu" }, { id: 2, region: "eu" }]);
      expect(await spark.read.jdbc(url, sub, ["subq.id = 2"], {}).collect()).toEqual([{ id: 2, region: "eu" }]);
      const partitioned = jdbc(url).option("dbtable", sub).option("partitionColumn", "subq.id").option("lowerBound", 1)
        .option("upperBound", 3).option("numPartitions", 2).load();
      expect(await partitioned.count()).toBe(2);
    }
  });

  test("two columns of one name in the query: the database's refusal, naming the subquery", async () => {
    const t = db.table("rq_dup");
    await db.pgc.query(`CREATE TABLE "${t}" (id INT)`);
    await db.my.query(`CREATE TABLE ${t} (id INT)`);
    expect(() => jdbc(PG_URL).option("dbtable", `(SELECT id, id FROM "${t}") d`).load()).toThrow(/cannot read the columns of query \(SELECT id, id FROM .*\) d: column "id" specified more than once/);
    expect(() => jdbc(MYSQL_URL).option("dbtable", `(SELECT id, id FROM ${t}) AS d`).load()).toThrow(/cannot read the columns of query .*Duplicate column name 'id'/);
  });
});

describe("over Spark Connect", () => {
  test("the options reach the server as given: Spark's server applies the same rules", async () => {
    const { toConnectPlan } = await import("../../../src/connect/index.ts");
    const remote = Session.builder().remote("sc://127.0.0.1:1").getOrCreate();
    const plan = toConnectPlan(remote.read.format("jdbc").option("url", MYSQL_URL).option("query", "SELECT id FROM t WHERE id > 1").load()) as any;
    expect(plan.root.read.dataSource.format).toBe("jdbc");
    expect(plan.root.read.dataSource.options).toEqual({ url: MYSQL_URL, query: "SELECT id FROM t WHERE id > 1" });
  });
});
