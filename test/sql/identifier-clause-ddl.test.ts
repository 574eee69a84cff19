import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("identifier-clause-ddl").getOrCreate();
const tempDir = tempDirs(base);

async function session(): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-identifier-ddl-"));
  return spark;
}

/** Spark 3.5's identifier clause names tables and views in DDL as in queries: IDENTIFIER('t'), IDENTIFIER(:param), IDENTIFIER('t' || '1'). */
describe("IDENTIFIER(...) in DDL", () => {
  test("CREATE TABLE, INSERT INTO/OVERWRITE, DESCRIBE, SHOW COLUMNS, CACHE/UNCACHE and DROP TABLE", async () => {
    const spark = await session();
    await spark.sqlScript(`CREATE TABLE IDENTIFIER('events') (id INT, name STRING) USING parquet;
      INSERT INTO IDENTIFIER('events') VALUES (1, 'a');
      INSERT INTO TABLE IDENTIFIER('ev' || 'ents') (name, id) VALUES ('b', 2)`);
    expect(await spark.sql("SELECT * FROM IDENTIFIER('events') ORDER BY id").collect()).toEqual([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
    expect(await spark.sql("DESCRIBE TABLE IDENTIFIER('events')").collect()).toEqual([
      { col_name: "id", data_type: "int", comment: null }, { col_name: "name", data_type: "string", comment: null },
    ]);
    expect(await spark.sql("DESC IDENTIFIER('events')").count()).toBe(2);
    expect(await spark.sql("SHOW COLUMNS IN IDENTIFIER('events')").collect()).toEqual([{ col_name: "id" }, { col_name: "name" }]);
    await spark.sqlScript("INSERT OVERWRITE IDENTIFIER('events') VALUES (3, 'c')");
    expect(await spark.sql("SELECT id FROM events").collect()).toEqual([{ id: 3 }]);
    await spark.sqlScript("CACHE TABLE IDENTIFIER('events'); UNCACHE TABLE IDENTIFIER('events')");
    await spark.sqlScript("DROP TABLE IDENTIFIER('events')");
    expect(spark.catalog.tableExists("events")).toBe(false);
    await spark.sqlScript("DROP TABLE IF EXISTS IDENTIFIER('events')");
    await expect(spark.sqlScript("DROP TABLE IDENTIFIER('events')")).rejects.toThrow("[TABLE_OR_VIEW_NOT_FOUND] The table or view `events` cannot be found.");
  });

  test("CREATE TABLE … AS SELECT and CREATE [TEMPORARY] VIEW, DROP VIEW", async () => {
    const spark = await session();
    await spark.sqlScript("CREATE TABLE IDENTIFIER('totals') USING parquet AS SELECT 1 AS n");
    expect(await spark.sql("SELECT * FROM totals").collect()).toEqual([{ n: 1 }]);
    await spark.sqlScript("CREATE TEMPORARY VIEW IDENTIFIER('doubled') AS SELECT n * 2 AS m FROM totals; CREATE OR REPLACE VIEW IDENTIFIER('tripled') (t) AS SELECT n * 3 FROM totals");
    expect(await spark.sql("SELECT * FROM doubled, IDENTIFIER('tripled')").collect()).toEqual([{ m: 2, t: 3 }]);
    await spark.sqlScript("DROP VIEW IDENTIFIER('doubled'); DROP VIEW IF EXISTS IDENTIFIER('tripled')");
    expect(spark.catalog.tableExists("doubled")).toBe(false);
    expect(spark.catalog.tableExists("tripled")).toBe(false);
  });

  test("a named parameter stands for the name; a non-string is refused as Spark does", async () => {
    const spark = await session();
    await spark.sql("CREATE TABLE IDENTIFIER(:name) (a INT) USING parquet", { name: "params" }).collect();
    await spark.sqlScript("INSERT INTO IDENTIFIER('params') VALUES (7)");
    expect(await spark.sql("SELECT * FROM IDENTIFIER(:name)", { name: "params" }).collect()).toEqual([{ a: 7 }]);
    expect(() => spark.sql("DROP TABLE IDENTIFIER(1)")).toThrow("[NOT_A_CONSTANT_STRING.WRONG_TYPE] The expression 1 used for the routine or clause IDENTIFIER must be a constant STRING which is NOT NULL. The data type is INT.");
    // A table may still be called identifier (IDENTIFIER is not a keyword).
    await spark.sqlScript("CREATE TABLE identifier USING parquet AS SELECT 1 AS x");
    expect(await spark.sql("SELECT x FROM identifier").collect()).toEqual([{ x: 1 }]);
  });
});
