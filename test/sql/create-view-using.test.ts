import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/** Spark's createTempViewUsing: CREATE [OR REPLACE] TEMPORARY VIEW name [(columns)] USING format OPTIONS (…). */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

async function files(): Promise<string> {
  const dir = await tempDir("rivulet-view-using-");
  await mkdir(join(dir, "logs"));
  await writeFile(join(dir, "logs", "a.json"), '{"n":1,"s":"x"}\n{"n":2,"s":"y"}\n');
  await writeFile(join(dir, "c.csv"), "a,b\n1,x\n2,y\n");
  return dir;
}

describe("CREATE TEMPORARY VIEW … USING", () => {
  test("a view over a JSON directory: schema inferred now, read as a batch, listed as temporary", async () => {
    const dir = await files();
    spark.sql(`CREATE TEMPORARY VIEW logs_v USING json OPTIONS (path '${join(dir, "logs")}')`);
    expect(spark.table("logs_v").schema.toDDL()).toBe("n BIGINT, s STRING");
    expect(await spark.sql("SELECT s FROM logs_v WHERE n > 1").collect()).toEqual([{ s: "y" }]);
    expect(spark.catalog.listTables().find((t) => t.name === "logs_v")?.isTemporary).toBe(true);
    // Its file metadata can be named, as over any file scan.
    expect(await spark.sql("SELECT DISTINCT _metadata.file_name AS f FROM logs_v").collect()).toEqual([{ f: "a.json" }]);
    spark.catalog.dropTempView("logs_v");
  });

  test("TEMP, a column list, csv options written as names, quoted strings and booleans", async () => {
    const dir = await files();
    spark.sql(`CREATE TEMP VIEW csv_v USING csv OPTIONS (path '${join(dir, "c.csv")}', header 'true', inferSchema true)`);
    expect(spark.table("csv_v").schema.toDDL()).toBe("a INT, b STRING");
    expect(await spark.sql("SELECT * FROM csv_v ORDER BY a").collect()).toEqual([{ a: 1, b: "x" }, { a: 2, b: "y" }]);
    spark.sql(`CREATE OR REPLACE TEMPORARY VIEW csv_v (a STRING, b STRING) USING csv OPTIONS ('path' = '${join(dir, "c.csv")}', "header" = 'true')`);
    expect(await spark.sql("SELECT a FROM csv_v ORDER BY a").collect()).toEqual([{ a: "1" }, { a: "2" }]);
    spark.catalog.dropTempView("csv_v");
  });

  test("Spark's errors: an existing view, a missing path, an unknown format, and VIEW without TEMPORARY", async () => {
    const dir = await files();
    const create = `CREATE TEMPORARY VIEW dup_v USING json OPTIONS (path '${join(dir, "logs")}')`;
    spark.sql(create);
    expect(() => spark.sql(create)).toThrow(/^\[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS\] Cannot create the temporary view `dup_v` because it already exists\./);
    expect(() => spark.sql(`CREATE TEMPORARY VIEW gone_v USING json OPTIONS (path '${join(dir, "nope")}')`)).toThrow(/\[PATH_NOT_FOUND\] Path does not exist: file:.*nope/);
    expect(() => spark.sql(`CREATE TEMPORARY VIEW fmt_v USING orcish OPTIONS (path '${dir}')`)).toThrow(/\[DATA_SOURCE_NOT_FOUND\] Failed to find the data source: orcish/);
    expect(() => spark.sql(`CREATE VIEW plain_v USING json OPTIONS (path '${dir}')`)).toThrow(/\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'USING'.*line 1, column 21/);
    spark.catalog.dropTempView("dup_v");
  });
});
