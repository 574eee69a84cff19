import { describe, expect, test } from "vitest";
import { MemoryStream, Session, col } from "../../src/index.ts";

const spark = Session.builder().getOrCreate();
const staff = spark.createDataFrame([
  { name: "c", dept: "y", sal: 30 }, { name: "a", dept: "x", sal: 10 }, { name: "b", dept: "x", sal: null },
], "name STRING, dept STRING, sal INT");

describe("a Sort or Filter naming a column the select below dropped (Spark's ResolveMissingReferences)", () => {
  test("select('sal').orderBy('name') sorts by the dropped column and keeps only sal", async () => {
    const df = staff.select("sal").orderBy("name");
    expect(df.columns).toEqual(["sal"]);
    expect(await df.collect()).toEqual([{ sal: 10 }, { sal: null }, { sal: 30 }]);
    expect(await staff.select(col("sal").as("s")).orderBy(col("name").desc()).collect()).toEqual([{ s: 30 }, { s: null }, { s: 10 }]);
  });

  test("filter and where on a dropped column", async () => {
    expect(await staff.select("sal").filter(col("name").equalTo("a")).collect()).toEqual([{ sal: 10 }]);
    expect(await staff.select("name").where("dept = 'x' AND sal IS NULL").collect()).toEqual([{ name: "b" }]);
  });

  test("a name found nowhere is still an error", () => {
    expect(() => staff.select("sal").orderBy("nope")).toThrow("[UNRESOLVED_COLUMN.WITH_SUGGESTION]");
  });

  test("on a stream too", async () => {
    const input = new MemoryStream<{ user: string; bytes: number }>(spark, "user STRING, bytes INT");
    const name = `missing_refs_${process.pid}`;
    const query = input.toDF().select("bytes").filter(col("user").equalTo("ann"))
      .writeStream.format("memory").queryName(name).outputMode("append").start();
    input.addData([{ user: "ann", bytes: 1 }, { user: "bob", bytes: 2 }, { user: "ann", bytes: 3 }]);
    await query.processAllAvailable();
    await query.stop();
    expect(await spark.sql(`SELECT * FROM ${name} ORDER BY bytes`).collect()).toEqual([{ bytes: 1 }, { bytes: 3 }]);
  });
});
