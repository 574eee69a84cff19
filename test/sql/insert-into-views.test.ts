import { afterAll, describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

/** INSERT INTO names a table; a view or a memory sink's table is refused with Spark's error, not "cannot be found". */
const spark = Session.builder().appName("insert-into-views").getOrCreate();
afterAll(async () => { await spark.stop(); });

const RDD_BASED = "[UNSUPPORTED_INSERT.RDD_BASED] Can't insert into the target. An RDD-based table is not allowed.";

describe("INSERT INTO a view", () => {
  test("a temporary view over VALUES: SQL and insertInto, and nothing is written", async () => {
    await spark.sqlScript("CREATE OR REPLACE TEMP VIEW letters AS SELECT * FROM VALUES (1, 'a') AS t(id, k)");
    await expect(spark.sqlScript("INSERT INTO letters VALUES (2, 'b')")).rejects.toThrow(RDD_BASED);
    await expect(spark.createDataFrame([{ id: 2, k: "b" }], "id INT, k STRING").write.insertInto("letters")).rejects.toThrow(RDD_BASED);
    expect(await spark.sql("SELECT * FROM letters").collect()).toEqual([{ id: 1, k: "a" }]);
  });

  test("a global temporary view, and a persistent view by its qualified and its own name", async () => {
    await spark.sqlScript("CREATE GLOBAL TEMP VIEW shared_ids AS SELECT 1 AS id");
    await expect(spark.sqlScript("INSERT INTO global_temp.shared_ids VALUES (2)")).rejects.toThrow(RDD_BASED);
    await spark.sqlScript("CREATE VIEW saved_ids AS SELECT 1 AS id");
    await expect(spark.sqlScript("INSERT INTO default.saved_ids VALUES (2)"))
      .rejects.toThrow("[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'INSERT' expects a table. `default.saved_ids` is a view.");
    await expect(spark.sqlScript("INSERT INTO saved_ids VALUES (2)"))
      .rejects.toThrow("[EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE] 'INSERT' expects a table. `saved_ids` is a view.");
    // A temporary view of the same name as a dropped persistent one is a plan again.
    await spark.sqlScript("DROP VIEW saved_ids");
    await spark.sqlScript("CREATE TEMP VIEW saved_ids AS SELECT 1 AS id");
    await expect(spark.sqlScript("INSERT INTO saved_ids VALUES (2)")).rejects.toThrow(RDD_BASED);
  });

  test("a name nothing has is still not found, and a table still takes rows", async () => {
    await expect(spark.sqlScript("INSERT INTO no_such_table VALUES (1)")).rejects.toThrow(/^\[TABLE_OR_VIEW_NOT_FOUND\] The table or view `no_such_table` cannot be found/);
    await spark.sqlScript("CREATE TABLE kept (id INT) USING memory");
    await spark.sqlScript("INSERT INTO kept VALUES (7)");
    expect(await spark.sql("SELECT * FROM kept").collect()).toEqual([{ id: 7 }]);
  });
});
