import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../src/index.ts";

const spark = Session.builder().appName("decimal-grouping-text").getOrCreate();

// Spark's CSV and JSON readers parse a DECIMAL field's text with grouping commas dropped
// (the default locale's ExprUtils.getDecimalParser): "1,000.50" is 1000.50, not malformed.
describe("DECIMAL text with grouping commas", () => {
  const amounts = async (df: ReturnType<typeof spark.read.csv>): Promise<unknown[]> =>
    (await df.orderBy("id").collect()).map((r) => String(r.amount));

  test("CSV and JSON files read it as the number, in every mode", async () => {
    const dir = await mkdtemp(join(tmpdir(), "rivulet-decimal-grouping-"));
    await writeFile(join(dir, "a.csv"), 'id,amount\n1,"1,000.50"\n2,"12,345,678.9"\n3,7.25\n');
    await writeFile(join(dir, "a.json"), '{"id":1,"amount":"1,000.50"}\n{"id":2,"amount":"12,345,678.9"}\n{"id":3,"amount":"7.25"}\n');
    const schema = "id INT, amount DECIMAL(12,2)";
    const expected = ["1000.50", "12345678.90", "7.25"];
    expect(await amounts(spark.read.schema(schema).option("header", true).csv(join(dir, "a.csv")))).toEqual(expected);
    expect(await amounts(spark.read.schema(schema).json(join(dir, "a.json")))).toEqual(expected);
    expect(await spark.read.schema(schema).option("header", true).option("mode", "DROPMALFORMED").csv(join(dir, "a.csv")).count()).toBe(3);
    expect(await spark.read.schema(schema).option("mode", "FAILFAST").json(join(dir, "a.json")).count()).toBe(3);
  });

  test("from_json and from_csv agree with the readers", async () => {
    const [row] = await spark.sql(`SELECT from_json('{"a":"1,000.5"}', 'a DECIMAL(10,2)').a AS j, from_csv('"2,500.25"', 'a DECIMAL(10,2)').a AS c`).collect();
    expect([String(row!.j), String(row!.c)]).toEqual(["1000.50", "2500.25"]);
  });

  test("text that is no number once the commas are gone is still malformed", async () => {
    const [row] = await spark.sql(`SELECT from_json('{"a":"1,0x"}', 'a DECIMAL(10,2)').a AS j`).collect();
    expect(row!.j).toBeNull();
  });
});
