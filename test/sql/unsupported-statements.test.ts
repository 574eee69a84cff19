import { describe, expect, test } from "vitest";
import { ParseError, Session } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();

describe("statements rivulet does not run fail naming the statement, at its line and column", () => {
  test.each([
    ["ALTER TABLE t ALTER COLUMN x TYPE BIGINT", "ALTER TABLE … ALTER COLUMN"],
    ["ALTER TABLE t PARTITION (p = 1) SET LOCATION '/tmp/x'", "ALTER TABLE … PARTITION"],
    ["ALTER VIEW v WITH SCHEMA BINDING", "ALTER VIEW … WITH SCHEMA"],
    ["REPLACE TABLE t USING json AS SELECT 1", "REPLACE TABLE"],
    ["REFRESH '/tmp/x'", "REFRESH"],
    ["MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE", "MERGE INTO"],
    ["UPDATE t SET x = 1", "UPDATE"],
    ["DELETE FROM t WHERE x = 1", "DELETE FROM"],
    ["CREATE DATABASE sales", "CREATE DATABASE"],
    ["create or replace temporary function f as 'x'", "CREATE OR REPLACE TEMPORARY FUNCTION"],
    ["DROP SCHEMA s", "DROP SCHEMA"],
    ["SHOW TABLE EXTENDED LIKE 't*'", "SHOW TABLE EXTENDED"],
    ["ANALYZE TABLES COMPUTE STATISTICS", "ANALYZE TABLES"],
    ["INSERT OVERWRITE DIRECTORY '/tmp/x' SELECT 1", "INSERT OVERWRITE DIRECTORY … (Hive format)"],
    ["INSERT OVERWRITE LOCAL DIRECTORY '/tmp/x' STORED AS parquet SELECT 1", "INSERT OVERWRITE DIRECTORY … (Hive format)"],
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
