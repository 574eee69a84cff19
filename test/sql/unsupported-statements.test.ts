import { describe, expect, test } from "vitest";
import { ParseError, Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("statements rivulet does not run fail naming the statement, at its line and column", () => {
  test.each([
    ["ALTER TABLE t ADD COLUMNS (x INT)", "ALTER TABLE"],
    ["REPLACE TABLE t USING json AS SELECT 1", "REPLACE TABLE"],
    ["REFRESH '/tmp/x'", "REFRESH"],
    ["MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "MERGE INTO"],
    ["UPDATE t SET x = 1", "UPDATE"],
    ["DELETE FROM t WHERE x = 1", "DELETE FROM"],
    ["CREATE DATABASE sales", "CREATE DATABASE"],
    ["create or replace temporary function f as 'x'", "CREATE OR REPLACE TEMPORARY FUNCTION"],
    ["DROP SCHEMA s", "DROP SCHEMA"],
    ["SHOW CREATE TABLE t", "SHOW CREATE TABLE"],
    ["ANALYZE TABLE t COMPUTE STATISTICS", "ANALYZE TABLE"],
    ["INSERT OVERWRITE DIRECTORY '/tmp/x' SELECT 1", "INSERT OVERWRITE DIRECTORY"],
  ])("%s", (sql, statement) => {
    expect(() => spark.sql(sql)).toThrow(`[UNSUPPORTED_FEATURE.STATEMENT] The feature is not supported: the statement ${statement} `);
  });

  test("the position is the statement's, in a script of several", () => {
    try {
      spark.sql("SELECT 1;\n  REFRESH FUNCTION f");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).line).toBe(2);
      expect((e as ParseError).column).toBe(3);
    }
    // The same words as names are still names.
    expect(spark.sql("SELECT update, merge FROM (SELECT 1 AS update, 2 AS merge)").columns).toEqual(["update", "merge"]);
  });
});
