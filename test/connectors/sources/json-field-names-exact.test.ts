import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Session, col } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

// Spark's JacksonParser.convertObject: schema.getFieldIndex(name) is an exact match (whatever
// spark.sql.caseSensitive says) and row.update overwrites, so a repeated key's last value wins.
const spark = Session.builder().appName("json-field-names-exact").getOrCreate();
const temp = tempDirs(spark);

const LINES = [
  `{"id":1,"Name":"upper"}`,
  `{"id":2,"name":"lower"}`,
  `{"id":3,"name":"first","name":"second"}`,
  `{"id":4,"NAME":"caps","name":"plain"}`,
  `{"id":5,"name":"plain","NAME":"caps"}`,
  `{"id":6,"n\\u0061me":"escaped","Nam\\u0065":"escaped-upper"}`,
  `{"id":7,"name":"x","id":8}`,
];
const EXPECTED = [
  { id: 1, name: null }, { id: 2, name: "lower" }, { id: 3, name: "second" }, { id: 4, name: "plain" },
  { id: 5, name: "plain" }, { id: 6, name: "escaped" }, { id: 8, name: "x" },
];

async function jsonDir(lines: readonly string[]): Promise<string> {
  const dir = await temp("json-names-");
  // Many copies so the decoder learns line shapes and runs its compiled path too.
  await writeFile(join(dir, "a.json"), Array.from({ length: 50 }, () => lines.join("\n")).join("\n") + "\n");
  return dir;
}

describe("JSON file reader: field names", () => {
  it("match exactly and the last of a repeated key wins (DataFrame and SQL)", async () => {
    const dir = await jsonDir(LINES);
    const rows = await spark.read.schema("id INT, name STRING").json(dir).collect();
    expect(rows.slice(0, LINES.length)).toEqual(EXPECTED);
    expect(rows).toHaveLength(LINES.length * 50);
    spark.sql(`CREATE TABLE json_names (id INT, name STRING) USING json LOCATION '${dir}'`);
    expect((await spark.sql("SELECT id, name FROM json_names").collect()).slice(0, LINES.length)).toEqual(EXPECTED);
  });

  it("a pushed filter sees the last value of a repeated key", async () => {
    const dir = await jsonDir([`{"id":1,"name":"a","name":"b"}`, `{"id":2,"name":"b","name":"a"}`, `{"Name":"b","id":3}`]);
    const df = spark.read.schema("id INT, name STRING").json(dir).where(col("name").eqNullSafe("b")).select("id", "name");
    const rows = await df.collect();
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ id: 1, name: "b" })]));
    expect(rows).toHaveLength(50);
  });

  it("nested structs and multiLine files match exactly too", async () => {
    const dir = await temp("json-names-nested-");
    await writeFile(join(dir, "a.json"), `{"s":{"Name":"upper","x":1,"x":2}}\n{"s":{"name":"lower"}}\n`);
    expect(await spark.read.schema("s STRUCT<name: STRING, x: INT>").json(dir).collect())
      .toEqual([{ s: { name: null, x: 2 } }, { s: { name: "lower", x: null } }]);
    const multi = await temp("json-names-multi-");
    await writeFile(join(multi, "a.json"), `[{"id":1,"Name":"upper","id":2},\n {"id":3,"name":"lower"}]`);
    expect(await spark.read.option("multiLine", "true").schema("id INT, name STRING").json(multi).collect())
      .toEqual([{ id: 2, name: null }, { id: 3, name: "lower" }]);
  });
});
