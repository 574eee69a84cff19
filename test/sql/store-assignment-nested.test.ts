import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

const base = Session.builder().appName("store-assignment-nested").getOrCreate();
const tempDir = tempDirs(base);

async function session(): Promise<Session> {
  const spark = base.newSession();
  spark.conf.set("spark.sql.warehouse.dir", await tempDir("rivulet-store-nested-"));
  await spark.sqlScript("CREATE TABLE n (a ARRAY<INT>, m MAP<STRING, TINYINT>, s STRUCT<f: INT, g: DECIMAL(4,2)>) USING parquet");
  return spark;
}

const overflow = (from: string, to: string, column: string) =>
  `[CAST_OVERFLOW_IN_TABLE_INSERT] Fail to insert a value of "${from}" type into the "${to}" type column ${column} due to an overflow. Use \`try_cast\` on the input value to tolerate overflow and return NULL instead.`;

/** Spark's ANSI store assignment casts nested values element by element (TableOutputResolver), each range-checked. */
describe("INSERT of nested values into narrower nested fields", () => {
  test("SQL: an array element, a map value or a struct field that does not fit fails, naming its path; nothing is written", async () => {
    const spark = await session();
    await expect(spark.sqlScript("INSERT INTO n SELECT array(1L, 3000000000L), map('k', 1), named_struct('f', 1, 'g', 1.0)"))
      .rejects.toThrow(overflow("BIGINT", "INT", "`a`.`element`"));
    await expect(spark.sqlScript("INSERT INTO n SELECT array(1), map('k', 300), named_struct('f', 1, 'g', 1.0)"))
      .rejects.toThrow(overflow("INT", "TINYINT", "`m`.`value`"));
    await expect(spark.sqlScript("INSERT INTO n SELECT array(1), map('k', 1), named_struct('f', CAST('NaN' AS DOUBLE), 'g', 1.0)"))
      .rejects.toThrow(overflow("DOUBLE", "INT", "`s`.`f`"));
    await expect(spark.sqlScript("INSERT INTO n SELECT array(1), map('k', 1), named_struct('f', 1, 'g', 123.456)"))
      .rejects.toThrow("[NUMERIC_VALUE_OUT_OF_RANGE] 123.456 cannot be represented as Decimal(4, 2).");
    expect(await spark.sql("SELECT * FROM n").count()).toBe(0);
  });

  test("SQL: values that fit are cast and written", async () => {
    const spark = await session();
    await spark.sqlScript("INSERT INTO n SELECT array(1L, -2147483648L, NULL), map('k', 127L), named_struct('f', 2.9D, 'g', 12.345)");
    const [row] = await spark.sql("SELECT a, m['k'] AS k, s.f AS f, CAST(s.g AS STRING) AS g FROM n").collect();
    expect(row).toEqual({ a: [1, -2147483648, null], k: 127, f: 2, g: "12.35" });
  });

  test("DataFrame: insertInto and saveAsTable's append fail the same way", async () => {
    const spark = await session();
    const df = spark.sql("SELECT array(1) AS a, map('k', 1) AS m, named_struct('f', 5000000000L, 'g', 1.0) AS s");
    await expect(df.write.insertInto("n")).rejects.toThrow(overflow("BIGINT", "INT", "`s`.`f`"));
    await expect(df.write.mode("append").saveAsTable("n")).rejects.toThrow(overflow("BIGINT", "INT", "`s`.`f`"));
    const keys = spark.sql("SELECT array(1) AS a, map('k', 1) AS m, named_struct('f', 1, 'g', 1.0) AS s");
    await keys.write.insertInto("n");
    expect(await spark.sql("SELECT * FROM n").count()).toBe(1);
  });
});
