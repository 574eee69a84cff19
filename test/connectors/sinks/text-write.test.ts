import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

const spark = Session.builder().appName("text-write").getOrCreate();
const tempDir = tempDirs(spark);

/** df.write.text(path): Spark's text data source writes one string column, a line per row. */
describe("df.write.text", () => {
  test("one line per row (a null row is an empty line); spark.read.text reads them back", async () => {
    const dir = join(await tempDir("rivulet-text-write-"), "out");
    await spark.sql("SELECT * FROM VALUES ('a,b'), (CAST(NULL AS STRING)), ('c') AS t(s)").coalesce(1).write.text(dir);
    const parts = (await readdir(dir)).filter((f) => f.startsWith("part-"));
    expect(parts.length).toBe(1);
    expect(parts[0]!.endsWith(".txt")).toBe(true);
    expect(await readFile(join(dir, parts[0]!), "utf8")).toBe("a,b\n\nc\n");
    expect((await spark.read.text(dir).collect()).map((r) => r.value)).toEqual(["a,b", "", "c"]);
  });

  test("more than one column, or a column that is not a string, fails as Spark's", async () => {
    const dir = await tempDir("rivulet-text-write-");
    await expect(spark.sql("SELECT 'a' AS s, 'b' AS t").write.text(join(dir, "two"))).rejects.toThrow("Text data source supports only a single column, and you have 2 columns.");
    await expect(spark.sql("SELECT 1 AS n").write.text(join(dir, "int"))).rejects.toThrow("[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column `n` of the type \"INT\".");
  });
});
