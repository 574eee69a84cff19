import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("store-assignment-overflow").getOrCreate();
const tempDir = tempDirs(base);

async function session(): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-store-assign-"));
  await spark.sqlScript("CREATE TABLE t (i INT, d DECIMAL(4,2), b TINYINT) USING parquet");
  return spark;
}

const INT_OVERFLOW = "[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of \"BIGINT\" type into the \"INT\" type column `i` due to an overflow. Use `try_cast` on the input value to tolerate overflow and return NULL instead.";

describe("INSERT under spark.sql.storeAssignmentPolicy (ANSI by default)", () => {
  test("SQL: a value the column cannot hold fails the INSERT, as Spark's CheckOverflowInTableInsert; nothing is written", async () => {
    const spark = await session();
    await expect(spark.sqlScript("INSERT INTO t SELECT 3000000000L, 1.0, 1")).rejects.toThrow(INT_OVERFLOW);
    await expect(spark.sqlScript("INSERT INTO t SELECT 1, 1.0, 300")).rejects.toThrow("[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of \"INT\" type into the \"TINYINT\" type column `b` due to an overflow.");
    await expect(spark.sqlScript("INSERT INTO t SELECT CAST('1e10' AS DOUBLE), 1.0, 1")).rejects.toThrow("[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of \"DOUBLE\" type into the \"INT\" type column `i`");
    await expect(spark.sqlScript("INSERT INTO t SELECT CAST('NaN' AS DOUBLE), 1.0, 1")).rejects.toThrow("[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of \"DOUBLE\" type into the \"INT\" type column `i`");
    await expect(spark.sqlScript("INSERT INTO t SELECT 1, 99.999, 1")).rejects.toThrow("[NUMERIC_VALUE_OUT_OF_RANGE] 99.999 cannot be represented as Decimal(4, 2).");
    expect(await spark.sql("SELECT * FROM t").count()).toBe(0);
  });

  test("SQL: values that fit are cast (doubles truncated, decimals rounded half up), a failing row among good ones fails the whole INSERT", async () => {
    const spark = await session();
    await spark.sqlScript("INSERT INTO t VALUES (1, 1.555, 1); INSERT INTO t SELECT 2147483647L, -99.994, -128; INSERT INTO t SELECT -3.9D, 0, 127");
    expect((await spark.sql("SELECT * FROM t ORDER BY i").collect()).map((r) => [r.i, String(r.d), r.b])).toEqual([[-3, "0.00", 127], [1, "1.56", 1], [2147483647, "-99.99", -128]]);
    await expect(spark.sqlScript("INSERT INTO t SELECT * FROM VALUES (5L, 1.0, 1), (2147483648L, 1.0, 1) AS v(a, b, c)")).rejects.toThrow("[CAST_OVERFLOW_IN_TABLE_INSERT]");
    expect(await spark.sql("SELECT * FROM t").count()).toBe(3);
  });

  test("DataFrame: insertInto and saveAsTable's append fail the same way", async () => {
    const spark = await session();
    const df = spark.sql("SELECT 3000000000L AS i, 1.0 AS d, 1 AS b");
    await expect(df.write.insertInto("t")).rejects.toThrow(INT_OVERFLOW);
    await expect(df.write.mode("append").saveAsTable("t")).rejects.toThrow(INT_OVERFLOW);
    await expect(spark.sql("SELECT 1 AS i, 1.0 AS d, 300 AS b").write.insertInto("t")).rejects.toThrow("column `b` due to an overflow");
    expect(await spark.sql("SELECT * FROM t").count()).toBe(0);
  });

  test("LEGACY wraps and nulls as before; STRICT refuses a possibly lossy cast before running", async () => {
    const spark = await session();
    spark.conf.set("spark.sql.storeAssignmentPolicy", "LEGACY");
    await spark.sqlScript("INSERT INTO t SELECT 3000000000L, 99.999, 300");
    expect((await spark.sql("SELECT * FROM t").collect()).map((r) => [r.i, r.d, r.b])).toEqual([[-1294967296, null, 44]]);
    spark.conf.set("spark.sql.storeAssignmentPolicy", "STRICT");
    await expect(spark.sqlScript("INSERT INTO t SELECT 1L, 1.0, 1")).rejects.toThrow("[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST] Cannot write incompatible data for the table `t`: Cannot safely cast `i` \"BIGINT\" to \"INT\".");
    await spark.sqlScript("INSERT INTO t SELECT CAST(7 AS SMALLINT), CAST(1.5 AS DECIMAL(3,1)), CAST(2 AS TINYINT)");
    expect(await spark.sql("SELECT * FROM t").count()).toBe(2);
    spark.conf.set("spark.sql.storeAssignmentPolicy", "ansi");
    await expect(spark.sqlScript("INSERT INTO t SELECT 3000000000L, 1.0, 1")).rejects.toThrow(INT_OVERFLOW);
  });
});

describe("Dataset.to(schema) casts with ANSI on", () => {
  test("an overflow fails with [CAST_OVERFLOW]; values that fit are cast", async () => {
    const spark = base.newSession();
    const target = "i INT, b TINYINT";
    await expect(spark.sql("SELECT 3000000000L AS i, 1 AS b").to(target).collect()).rejects.toThrow("[CAST_OVERFLOW] The value 3000000000L of the type \"BIGINT\" cannot be cast to \"INT\" due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead.");
    await expect(spark.sql("SELECT 1 AS i, CAST('NaN' AS DOUBLE) AS b").to(target).collect()).rejects.toThrow("[CAST_OVERFLOW] The value NaN of the type \"DOUBLE\" cannot be cast to \"TINYINT\"");
    await expect(spark.sql("SELECT 1 AS i, 1 AS b, 123.45 AS d").to("d DECIMAL(4,2)").collect()).rejects.toThrow("[NUMERIC_VALUE_OUT_OF_RANGE] 123.45 cannot be represented as Decimal(4, 2).");
    expect((await spark.sql("SELECT 7L AS i, 12.7D AS b").to(target).collect()).map((r) => [r.i, r.b])).toEqual([[7, 12]]);
  });
});
