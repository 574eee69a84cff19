import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's lineSep read option of the text and JSON sources: any non-empty string ends a record.
const spark = Session.builder().appName("line-separator").getOrCreate();
scopedTmpdir("rivulet-linesep-", spark);

const dirWith = async (files: Record<string, string | Buffer>): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), "ls-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
};

describe("lineSep on read", () => {
  test("text: records end at the separator; a line break inside one is kept; a final separator ends the last record", async () => {
    const dir = await dirWith({ "a.txt": "r1;r2\nstill r2;;r4;" });
    expect(await spark.read.option("lineSep", ";").text(dir).collect()).toEqual([
      { value: "r1" }, { value: "r2\nstill r2" }, { value: "" }, { value: "r4" },
    ]);
    // Without lineSep, the default breaks still apply.
    expect(await spark.read.text(dir).collect()).toEqual([{ value: "r1;r2" }, { value: "still r2;;r4;" }]);
    // A separator of several characters, and a compressed file.
    const multi = await dirWith({ "m.txt.gz": gzipSync("a<>b<>c") });
    expect(await spark.read.option("lineSep", "<>").text(multi).collect()).toEqual([{ value: "a" }, { value: "b" }, { value: "c" }]);
    expect(await spark.read.format("text").option("lineSep", "<>").load(multi).count()).toBe(3);
  });

  test("json: with a schema and inferred; a record spread over lines; a malformed record is reported by its number", async () => {
    const dir = await dirWith({ "j.json": '{"a":1}|{"a":2,\n "b":"x"}|{"a":3}' });
    expect(await spark.read.option("lineSep", "|").schema("a INT").json(dir).collect()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    const inferred = spark.read.option("lineSep", "|").json(dir);
    expect(inferred.schema.simpleString()).toBe("struct<a:bigint,b:string>");
    expect(await inferred.collect()).toEqual([{ a: 1, b: null }, { a: 2, b: "x" }, { a: 3, b: null }]);
    const bad = await dirWith({ "bad.json": '{"a":1}|{"a":|{"a":3}' });
    const failing = spark.read.option("lineSep", "|").option("mode", "FAILFAST").schema("a INT").json(bad).collect();
    await expect(failing).rejects.toThrow(/bad.json:2: invalid JSON/);
  });

  test("readStream: text and json files are cut at lineSep, also with worker threads", async () => {
    const dir = await dirWith({});
    mkdirSync(join(dir, "t")); mkdirSync(join(dir, "j"));
    writeFileSync(join(dir, "t", "1.txt"), "x;y");
    writeFileSync(join(dir, "j", "1.json"), '{"v":1}#{"v":2}#');
    spark.conf.set("rivulet.sql.parallelism", "2");
    try {
      const text = spark.readStream.option("lineSep", ";").text(join(dir, "t")).writeStream.format("memory").queryName("linesep_text").start();
      const json = spark.readStream.option("lineSep", "#").schema("v INT").json(join(dir, "j")).writeStream.format("memory").queryName("linesep_json").start();
      await text.processAllAvailable();
      await json.processAllAvailable();
      expect(await spark.table("linesep_text").collect()).toEqual([{ value: "x" }, { value: "y" }]);
      expect(await spark.table("linesep_json").collect()).toEqual([{ v: 1 }, { v: 2 }]);
      await text.stop();
      await json.stop();
    } finally {
      spark.conf.unset("rivulet.sql.parallelism");
    }
  });

  test("an empty lineSep is refused, as Spark's require", async () => {
    const dir = await dirWith({ "a.txt": "x" });
    expect(() => spark.read.option("lineSep", "").text(dir)).toThrow("requirement failed: 'lineSep' cannot be an empty string.");
    expect(() => spark.read.option("lineSep", "").schema("a INT").json(dir)).toThrow("'lineSep' cannot be an empty string.");
  });
});
