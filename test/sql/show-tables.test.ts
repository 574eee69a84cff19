import { describe, expect, test } from "vitest";
import { MemoryStream, Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("show-tables").getOrCreate();
const tempDir = tempDirs(base);

/** SHOW TABLES as Spark's: namespace `default` for catalog tables, "" and isTemporary for temporary views and memory-sink tables. */
describe("SHOW TABLES", () => {
  test("a parquet table, a temporary view and a memory sink's table", async () => {
    const spark = base.newSession();
    spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-show-tables-"));
    await spark.sqlScript("CREATE TABLE pq (i INT) USING parquet; CREATE TEMPORARY VIEW tv AS SELECT 1 AS one");
    const input = new MemoryStream(spark, "k STRING");
    const query = input.toDF().writeStream.format("memory").queryName("sink_rows").start();
    input.addData([{ k: "a" }]);
    await query.processAllAvailable();
    try {
      expect(await spark.sql("SHOW TABLES").collect()).toEqual([
        { namespace: "default", tableName: "pq", isTemporary: false },
        { namespace: "", tableName: "sink_rows", isTemporary: true },
        { namespace: "", tableName: "tv", isTemporary: true },
      ]);
      // The DataFrame form (spark.catalog.listTables) agrees.
      expect(spark.catalog.listTables().map((t) => [t.name, t.namespace.join("."), t.isTemporary])).toEqual([["pq", "default", false], ["sink_rows", "", true], ["tv", "", true]]);
    } finally {
      await query.stop();
    }
  });
});
