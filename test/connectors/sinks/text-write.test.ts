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

/** writeStream.format("text"): the streaming file sink in the text format, exactly once through _spark_metadata. */
describe('writeStream.format("text")', () => {
  test("each batch's lines, read back by spark.read.text and as a stream; a restart writes nothing twice", async () => {
    const base = await tempDir("rivulet-text-sink-");
    const input = join(base, "in");
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(input);
    await writeFile(join(input, "1.txt"), "GET /a\nGET /b\n");
    const run = async (): Promise<void> => {
      const q = spark.readStream.text(input).writeStream.format("text").option("checkpointLocation", join(base, "ck"))
        .trigger({ availableNow: true }).start(join(base, "out"));
      await q.awaitTermination();
    };
    await run();
    await writeFile(join(input, "2.txt"), "POST /c\n");
    await run();
    await run();
    expect((await spark.read.text(join(base, "out")).collect()).map((r) => r.value).sort()).toEqual(["GET /a", "GET /b", "POST /c"]);
    const seen: unknown[] = [];
    const q = spark.readStream.text(join(base, "out")).writeStream.foreachBatch(async (df) => { seen.push(...(await df.collect()).map((r) => r.value)); })
      .trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(seen.sort()).toEqual(["GET /a", "GET /b", "POST /c"]);
  });

  test("a stream of two columns is refused at start() as Spark's text source refuses it", async () => {
    const base = await tempDir("rivulet-text-sink-");
    const rate = spark.readStream.format("rate").load();
    expect(() => rate.writeStream.format("text").option("checkpointLocation", join(base, "ck")).start(join(base, "out")))
      .toThrow("Text data source supports only a single column, and you have 2 columns.");
  });
});
