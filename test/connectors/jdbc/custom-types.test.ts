import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { bothDatabases, MYSQL_URL, mysqlRows, PG_URL } from "./helpers.ts";

// Spark's JDBC options customSchema (read types) and createTableColumnTypes (created column types).
const spark = Session.builder().getOrCreate();
const db = bothDatabases(spark);
const data = () => spark.sql("SELECT id, CAST(id * 1.5 AS DECIMAL(10,2)) AS amt, concat('n', id) AS name FROM range(3)");

describe("customSchema and createTableColumnTypes", () => {
  test("PostgreSQL: the created table has the given column types; the read has the given types and values", async () => {
    const table = db.table("custom_pg");
    await data().write.format("jdbc").option("url", PG_URL).option("dbtable", table).option("createTableColumnTypes", "name VARCHAR(8), AMT decimal(12, 3)").save();
    const { rows } = await db.pgc.query(
      "SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", [table]);
    expect(rows.map((r) => `${r.column_name} ${r.data_type}${r.character_maximum_length ?? ""}${r.numeric_precision === null || r.column_name === "id" ? "" : `(${r.numeric_precision},${r.numeric_scale})`}`))
      .toEqual(["id bigint", "amt numeric(12,3)", "name character varying8"]);
    const read = spark.read.format("jdbc").option("url", PG_URL).option("dbtable", table).option("customSchema", "id STRING, amt DOUBLE").load();
    expect(read.schema.simpleString()).toBe("struct<id:string,amt:double,name:string>");
    expect(await read.orderBy("name").collect()).toEqual([{ id: "0", amt: 0, name: "n0" }, { id: "1", amt: 1.5, name: "n1" }, { id: "2", amt: 3, name: "n2" }]);
  });

  test("MariaDB: createTableColumnTypes naming a column the result lacks is refused as Spark refuses it; customSchema DECIMAL", async () => {
    const table = db.table("custom_my");
    await expect(data().write.format("jdbc").option("url", MYSQL_URL).option("dbtable", table).option("createTableColumnTypes", "nope INT").save())
      .rejects.toThrow(/createTableColumnTypes option column nope not found in schema/);
    await data().write.format("jdbc").option("url", MYSQL_URL).option("dbtable", table).option("createTableColumnTypes", "name CHAR(4)").save();
    const [column] = await mysqlRows(db.my, "SELECT COLUMN_TYPE t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'test' AND TABLE_NAME = ? AND COLUMN_NAME = 'name'", [table]);
    expect(column!.t).toBe("char(4)");
    const read = spark.read.jdbc(MYSQL_URL, table, { customSchema: "id DECIMAL(20, 0)" });
    expect(read.schema.simpleString()).toBe("struct<id:decimal(20,0),amt:decimal(10,2),name:string>");
    expect((await read.selectExpr("CAST(sum(id) AS STRING) AS s").collect())[0]!.s).toBe("3");
  });
});
