import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

// Spark's JacksonParser reads a non-string value into a STRING column by copying it through a
// Jackson generator (copyCurrentStructure): compact JSON, numbers as Jackson writes them.
const spark = Session.builder().appName("json-string-column-regenerates").getOrCreate();
const temp = tempDirs(spark);

const LINES = [
  `{"s":{"z": [1, 2]}}`,
  `{"s":12.50}`,
  `{"s":1E2}`,
  `{"s": [ true , null, -0, 12345678901234567890, 1.0e-5, 2.5E10 ] }`,
  `{"s":{ 'k' : "a\\u0041\\/\\n\\u0001" }}`,
  `{"s":"plain text"}`,
];
const EXPECTED = [`{"z":[1,2]}`, "12.5", "100.0", `[true,null,0,12345678901234567890,1.0E-5,2.5E10]`, `{"k":"aA/\\n\\u0001"}`, "plain text"];

describe("JSON file reader: a non-string value in a STRING column", () => {
  it("is written again as Jackson writes it (DataFrame and SQL)", async () => {
    const dir = await temp("json-regen-");
    await writeFile(join(dir, "a.json"), Array.from({ length: 20 }, () => LINES.join("\n")).join("\n") + "\n");
    const rows = await spark.read.schema("s STRING").json(dir).collect();
    expect(rows.slice(0, LINES.length).map((r) => (r as { s: string }).s)).toEqual(EXPECTED);
    expect(rows.slice(LINES.length * 19).map((r) => (r as { s: string }).s)).toEqual(EXPECTED);
    spark.sql(`CREATE TABLE json_regen (s STRING) USING json LOCATION '${dir}'`);
    expect((await spark.sql("SELECT s FROM json_regen LIMIT 6").collect()).map((r) => (r as { s: string }).s)).toEqual(EXPECTED);
  });
});
