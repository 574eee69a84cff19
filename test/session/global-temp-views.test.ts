import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

/**
 * Spark's global temporary views: createGlobalTempView / CREATE GLOBAL TEMPORARY VIEW make a
 * view that every session of the process reads as `global_temp.name`, until dropped.
 */
const spark = Session.builder().getOrCreate();

describe("global temporary views", () => {
  test("DataFrame form: read as global_temp.name, from SQL and spark.table, in another session too; dropGlobalTempView", async () => {
    spark.createDataFrame([{ n: 1 }, { n: 2 }], "n INT").createGlobalTempView("gv_numbers");
    expect(await spark.sql("SELECT sum(n) AS s FROM global_temp.gv_numbers").collect()).toEqual([{ s: 2 + 1 }]);
    expect(await spark.table("global_temp.gv_numbers").count()).toBe(2);
    const other = spark.newSession();
    expect(await other.sql("SELECT n FROM global_temp.gv_numbers ORDER BY n").collect()).toEqual([{ n: 1 }, { n: 2 }]);
    // Not a session temp view: the bare name is unknown.
    expect(() => spark.sql("SELECT * FROM gv_numbers")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
    expect(() => spark.createDataFrame([{ n: 3 }], "n INT").createGlobalTempView("gv_numbers"))
      .toThrow(/^\[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS\] Cannot create the temporary view `global_temp`\.`gv_numbers` because it already exists\./);
    spark.createDataFrame([{ n: 3 }], "n INT").createOrReplaceGlobalTempView("gv_numbers");
    expect(await other.table("global_temp.gv_numbers").collect()).toEqual([{ n: 3 }]);
    expect(spark.catalog.dropGlobalTempView("gv_numbers")).toBe(true);
    expect(spark.catalog.dropGlobalTempView("gv_numbers")).toBe(false);
    expect(() => other.sql("SELECT * FROM global_temp.gv_numbers")).toThrow(/\[TABLE_OR_VIEW_NOT_FOUND\]/);
  });

  test("SQL form: CREATE [OR REPLACE] GLOBAL TEMPORARY VIEW … AS query; GLOBAL needs TEMPORARY", async () => {
    spark.sql("CREATE GLOBAL TEMPORARY VIEW gv_sql AS SELECT 1 AS one");
    expect(await spark.sql("SELECT one FROM global_temp.gv_sql").collect()).toEqual([{ one: 1 }]);
    spark.sql("CREATE GLOBAL TEMPORARY VIEW IF NOT EXISTS gv_sql AS SELECT 2 AS one");
    expect(await spark.sql("SELECT one FROM global_temp.gv_sql").collect()).toEqual([{ one: 1 }]);
    spark.sql("CREATE OR REPLACE GLOBAL TEMP VIEW gv_sql AS SELECT 2 AS two");
    expect(await spark.newSession().sql("SELECT two FROM global_temp.gv_sql").collect()).toEqual([{ two: 2 }]);
    expect(() => spark.sql("CREATE GLOBAL VIEW gv_bad AS SELECT 1")).toThrow(/\[PARSE_SYNTAX_ERROR\] Syntax error at or near 'GLOBAL'.*line 1, column 8/);
    expect(spark.catalog.dropGlobalTempView("global_temp.gv_sql")).toBe(true);
  });
});
