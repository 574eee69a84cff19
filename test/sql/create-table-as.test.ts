import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("create-table-as").getOrCreate();
const tempDir = tempDirs(base);

async function session(warehouse: string): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", warehouse);
  return spark;
}

describe("CREATE [OR REPLACE] TABLE … AS SELECT (CTAS)", () => {
  test("USING parquet: the query's columns and rows as files; a second Session reads them back", async () => {
    const warehouse = await tempDir("rivulet-ctas-");
    const spark = await session(warehouse);
    await spark.sqlScript(`
      CREATE TEMPORARY VIEW src AS SELECT * FROM VALUES (1, 'ann', 2.5), (2, 'bob', NULL) AS src(id, name, score);
      CREATE TABLE people USING parquet AS SELECT id, upper(name) AS name, score FROM src WHERE id > 0;
    `);
    expect((await readdir(join(warehouse, "people"))).some((f) => f.endsWith(".parquet"))).toBe(true);
    expect(spark.sql("SELECT * FROM people").schema.simpleString()).toBe("struct<id:int,name:string,score:decimal(2,1)>");
    const other = await session(warehouse);
    expect(await other.read.parquet(join(warehouse, "people")).orderBy("id").collect()).toEqual(await spark.sql("SELECT * FROM people ORDER BY id").collect());
    expect((await other.read.parquet(join(warehouse, "people")).orderBy("id").collect()).map((r) => r.name)).toEqual(["ANN", "BOB"]);
    // The managed directory holds files: a second CTAS of the name fails as Spark's.
    await expect(other.sqlScript("CREATE TABLE people AS SELECT 1 AS id")).rejects.toThrow("[LOCATION_ALREADY_EXISTS]");
  });

  test("json and csv with LOCATION; without USING the table is spark.sql.sources.default (parquet)", async () => {
    const warehouse = await tempDir("rivulet-ctas-");
    const spark = await session(warehouse);
    const jsonDir = join(warehouse, "elsewhere-json");
    await spark.sqlScript(`
      CREATE TABLE j USING json LOCATION '${jsonDir}' AS SELECT 1 AS id, 'x' AS s;
      CREATE TABLE c USING csv OPTIONS (header 'true') AS SELECT 2 AS id, 'y' AS s;
      CREATE TABLE p AS SELECT 3 AS id;
    `);
    expect((await readdir(jsonDir)).some((f) => f.endsWith(".json"))).toBe(true);
    expect(await spark.sql("SELECT * FROM j").collect()).toEqual([{ id: 1, s: "x" }]);
    expect(await spark.sql("SELECT * FROM c").collect()).toEqual([{ id: 2, s: "y" }]);
    expect((await readdir(join(warehouse, "p"))).some((f) => f.endsWith(".parquet"))).toBe(true);
    expect(await spark.sql("SELECT * FROM p").collect()).toEqual([{ id: 3 }]);
  });

  test("OR REPLACE rewrites the table; IF NOT EXISTS keeps it; a column list or an existing name fails as in Spark", async () => {
    const spark = await session(await tempDir("rivulet-ctas-"));
    await spark.sqlScript("CREATE TABLE t AS SELECT 1 AS a");
    await spark.sqlScript("CREATE OR REPLACE TABLE t AS SELECT 'b' AS b, 2 AS c");
    expect(await spark.sql("SELECT * FROM t").collect()).toEqual([{ b: "b", c: 2 }]);
    await spark.sqlScript("CREATE TABLE IF NOT EXISTS t AS SELECT 9 AS z");
    expect(await spark.sql("SELECT * FROM t").collect()).toEqual([{ b: "b", c: 2 }]);
    await expect(spark.sqlScript("CREATE TABLE t AS SELECT 1")).rejects.toThrow("[TABLE_OR_VIEW_ALREADY_EXISTS]");
    await expect(spark.sqlScript("CREATE TABLE u (x INT) AS SELECT 1")).rejects.toThrow("Schema may not be specified in a Create Table As Select (CTAS) statement");
    // A failed query leaves no table behind.
    await expect(spark.sqlScript("CREATE TABLE v AS SELECT nope")).rejects.toThrow("[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION]");
    expect(spark.catalog.tableExists("v")).toBe(false);
    expect(() => spark.sql("CREATE TABLE w AS SELECT 1")).toThrow("run them with `await spark.sqlScript(text)`");
  });
});

describe("INSERT INTO t (columns) and BY NAME", () => {
  test("a column list places the query's columns by name; the columns left out are NULL", async () => {
    const spark = await session(await tempDir("rivulet-insert-"));
    await spark.sqlScript(`
      CREATE TABLE d (c1 INT, c2 STRING, c3 DOUBLE) USING parquet;
      INSERT INTO d (c2, c1) SELECT 'two', 2;
      INSERT INTO TABLE d (c3, c2, c1) VALUES (1.5, 'three', 3);
      INSERT INTO d BY NAME SELECT 4 AS C1, 'four' AS c2;
      INSERT INTO d (SELECT 5, 'five', 5.0);
    `);
    expect(await spark.sql("SELECT * FROM d ORDER BY c1").collect()).toEqual([
      { c1: 2, c2: "two", c3: null }, { c1: 3, c2: "three", c3: 1.5 }, { c1: 4, c2: "four", c3: null }, { c1: 5, c2: "five", c3: 5 },
    ]);
  });

  test("Spark's errors: arity against the list, an unknown or repeated column, an extra column BY NAME, an unsafe cast", async () => {
    const spark = await session(await tempDir("rivulet-insert-"));
    await spark.sqlScript("CREATE TABLE d (c1 INT, c2 STRING) USING parquet");
    await expect(spark.sqlScript("INSERT INTO d (c2, c1) SELECT 'x'")).rejects.toThrow("[INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS] Cannot write to `d`, the reason is not enough data columns:\nTable columns: `c2`, `c1`.\nData columns: `x`.");
    await expect(spark.sqlScript("INSERT INTO d (c2, c9) SELECT 'x', 1")).rejects.toThrow("[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name `c9` cannot be resolved. Did you mean one of the following? [`c1`, `c2`].");
    await expect(spark.sqlScript("INSERT INTO d (c2, C2) SELECT 'x', 'y'")).rejects.toThrow("[COLUMN_ALREADY_EXISTS] The column `c2` already exists.");
    await expect(spark.sqlScript("INSERT INTO d BY NAME SELECT 1 AS zz")).rejects.toThrow("[INCOMPATIBLE_DATA_FOR_TABLE.EXTRA_COLUMNS]");
    await expect(spark.sqlScript("INSERT INTO d (c2, c1) SELECT 'x', 'not a number'")).rejects.toThrow("[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST]");
  });
});
