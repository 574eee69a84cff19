import { describe, expect, test } from "vitest";
import { MemoryStream, Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("temp-views-no-database").getOrCreate();
const tempDir = tempDirs(base);

async function session(): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-temp-views-"));
  return spark;
}

const NOT_FOUND = (name: string) => new RegExp(`^\\[TABLE_OR_VIEW_NOT_FOUND\\] The table or view \`${name.replace(/\./g, "\\.")}\` cannot be found`);

describe("temporary views belong to no database (Spark): `default.v` does not find temp view v", () => {
  test("SQL, spark.table and STREAM: a qualified name gives [TABLE_OR_VIEW_NOT_FOUND]; the one-part name reads the view", async () => {
    const spark = await session();
    spark.sql("SELECT 1 AS x").createOrReplaceTempView("v");
    expect(await spark.sql("SELECT x FROM v").collect()).toEqual([{ x: 1 }]);
    for (const name of ["default.v", "spark_catalog.default.v", "`default`.`v`"]) {
      expect(() => spark.sql(`SELECT * FROM ${name}`)).toThrow(NOT_FOUND(name.replace(/`/g, "")));
    }
    expect(() => spark.table("default.v")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(spark.catalog.tableExists("default.v")).toBe(false);
    expect(spark.catalog.tableExists("v")).toBe(true);
    // DROP VIEW default.v is not the temp view either.
    await expect(spark.sqlScript("DROP VIEW default.v")).rejects.toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(await spark.sql("SELECT x FROM v").collect()).toEqual([{ x: 1 }]);

    const stream = new MemoryStream(spark, "n INT");
    stream.toDF().createOrReplaceTempView("events");
    expect(spark.sql("SELECT * FROM STREAM(events)").isStreaming).toBe(true);
    expect(() => spark.sql("SELECT * FROM STREAM(default.events)")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("a memory sink's table is a temporary view too", async () => {
    const spark = await session();
    const stream = new MemoryStream(spark, "n INT");
    const query = stream.toDF().writeStream.format("memory").queryName("sunk").start();
    try {
      stream.addData({ n: 4 });
      await query.processAllAvailable();
      expect(await spark.sql("SELECT n FROM sunk").collect()).toEqual([{ n: 4 }]);
      expect(() => spark.sql("SELECT n FROM default.sunk")).toThrow(NOT_FOUND("default.sunk"));
    } finally {
      await query.stop();
    }
  });

  test("a temp view over a table's name: `t` is the view, `default.t` the table; CREATE VIEW views are in default", async () => {
    const spark = await session();
    await spark.sqlScript(`
      CREATE TABLE t (a INT) USING parquet;
      INSERT INTO t VALUES (10);
      CREATE TEMPORARY VIEW t AS SELECT 99 AS a;
      CREATE VIEW pv AS SELECT 5 AS y;
    `);
    expect(await spark.sql("SELECT a FROM t").collect()).toEqual([{ a: 99 }]);
    expect(await spark.sql("SELECT a FROM default.t").collect()).toEqual([{ a: 10 }]);
    expect(await spark.sql("SELECT y FROM spark_catalog.default.pv").collect()).toEqual([{ y: 5 }]);
    await spark.sqlScript("DROP VIEW default.pv");
    expect(() => spark.sql("SELECT y FROM pv")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });
});
