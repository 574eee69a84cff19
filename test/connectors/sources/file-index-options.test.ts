import { mkdir, utimes, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { Session, type Row } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

/** Spark's file index options: recursiveFileLookup, pathGlobFilter, modifiedBefore / modifiedAfter. */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);
afterEach(() => {
  spark.conf.unset("spark.sql.session.timeZone");
});

/** Writes `files` (relative path → content, or [content, modification time]) under a new temp directory. */
async function tree(files: Record<string, string | [string, string]>): Promise<string> {
  const dir = await tempDir("rivulet-file-options-");
  for (const [rel, spec] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof spec === "string" ? spec : spec[0]);
    if (typeof spec !== "string") await utimes(path, new Date(spec[1]), new Date(spec[1]));
  }
  return dir;
}

const json = (...ns: number[]): string => ns.map((n) => `{"n":${n}}\n`).join("");
const sorted = (rows: Row[], key = "n"): unknown[] => rows.map((r) => r[key]).sort((a, b) => Number(a) - Number(b));

describe("recursiveFileLookup", () => {
  const nested = () => tree({ "a.json": json(1), "2024/01/b.json": json(2), "2024/02/deeper/c.json": json(3), "_skip/d.json": json(9) });

  test("without it a directory's own files are read (as Spark); with it, files at every depth", async () => {
    const dir = await nested();
    expect(sorted(await spark.read.json(dir).collect())).toEqual([1]);
    expect(sorted(await spark.read.option("recursiveFileLookup", true).json(dir).collect())).toEqual([1, 2, 3]);
    expect(sorted(await spark.read.option("recursivefilelookup", "TRUE").json(join(dir, "2024")).collect())).toEqual([2, 3]);
    // Nothing directly in the directory: the error says where the files are and how to read them.
    expect(() => spark.read.json(join(dir, "2024"))).toThrow(
      `(no input files at ${join(dir, "2024")} (2 file(s) lie in subdirectories, which are not read: set option recursiveFileLookup to true, or use a glob such as ${join(dir, "2024", "*")});`,
    );
  });

  test("it turns partition discovery off: k=v directories are plain directories", async () => {
    const dir = await tree({ "date=2024-01-01/a.json": json(1), "date=2024-01-02/x/b.json": json(2) });
    expect(spark.read.json(dir).schema.toDDL()).toBe("n BIGINT, date DATE");
    const df = spark.read.option("recursiveFileLookup", "true").json(dir);
    expect(df.schema.toDDL()).toBe("n BIGINT");
    expect(sorted(await df.collect())).toEqual([1, 2]);
  });

  test("csv, text and parquet, and the SQL table form", async () => {
    const dir = await tree({ "csv/x/a.csv": "1\n", "csv/y/z/b.csv": "2\n", "text/a/b/c.log": "line\n" });
    expect(sorted(await spark.read.option("recursiveFileLookup", true).csv(join(dir, "csv")).collect(), "_c0")).toEqual(["1", "2"]);
    expect((await spark.read.option("recursiveFileLookup", true).text(join(dir, "text")).collect())).toEqual([{ value: "line" }]);
    await spark.createDataFrame([{ n: 5 }], "n INT").write.parquet(join(dir, "pq/2024/01"));
    expect(sorted(await spark.read.option("recursiveFileLookup", true).parquet(join(dir, "pq")).collect())).toEqual([5]);
    const logs = await nested();
    spark.sql(`CREATE TABLE nested_logs USING json OPTIONS (path '${logs}', recursiveFileLookup 'true')`);
    try {
      expect(sorted(await spark.sql("SELECT n FROM nested_logs").collect())).toEqual([1, 2, 3]);
    } finally {
      spark.sql("DROP TABLE nested_logs");
    }
  });

  test("a value other than true or false is refused", async () => {
    const dir = await nested();
    expect(() => spark.read.option("recursiveFileLookup", "yes").json(dir)).toThrow("option 'recursiveFileLookup' must be true or false, not 'yes'");
  });
});

describe("pathGlobFilter", () => {
  test("a glob on file names only: directories are still descended, partition columns kept", async () => {
    const dir = await tree({
      "k=1/a.json": json(1),
      "k=1/a.json.bak": json(91),
      "k=2/b.json": json(2),
      "k=2/notes.txt": "not json",
    });
    const df = spark.read.option("pathGlobFilter", "*.json").json(dir);
    expect(df.schema.toDDL()).toBe("n BIGINT, k INT");
    expect((await df.collect()).map((r) => [r.n, r.k]).sort()).toEqual([[1, 1], [2, 2]]);
    // With a glob path and recursiveFileLookup too, every format.
    const csv = await tree({ "a/part-00.csv": "1\n", "a/part-01.csv": "2\n", "b/sub/part-02.csv": "3\n", "b/sub/part-10.csv": "4\n" });
    const rows = await spark.read.option("pathGlobFilter", "part-0[0-2].csv").option("recursiveFileLookup", true).csv(join(csv, "*")).collect();
    expect(sorted(rows, "_c0")).toEqual(["1", "2", "3"]);
    expect(await spark.read.option("pathGlobFilter", "*.{log,txt}").text(dir).collect()).toEqual([{ value: "not json", k: 2 }]);
  });

  test("in SQL table options", async () => {
    const dir = await tree({ "a.json": json(1), "b.jsonl": json(2) });
    spark.sql(`CREATE TABLE filtered_files USING json OPTIONS (path '${dir}', pathGlobFilter '*.jsonl')`);
    try {
      expect(await spark.sql("SELECT n FROM filtered_files").collect()).toEqual([{ n: 2 }]);
    } finally {
      spark.sql("DROP TABLE filtered_files");
    }
  });
});

describe("modifiedBefore and modifiedAfter", () => {
  const dated = () => tree({
    "a.json": [json(1), "2020-06-01T10:00:00Z"],
    "b.json": [json(2), "2020-06-01T12:00:00Z"],
    "c.json": [json(3), "2020-06-02T00:00:00Z"],
  });

  test("keep files modified strictly before / after a timestamp, read in the session time zone", async () => {
    const dir = await dated();
    const read = async (options: Record<string, string>) => sorted(await spark.read.options(options).schema("n BIGINT").json(dir).collect());
    expect(await read({ modifiedAfter: "2020-06-01T11:00:00" })).toEqual([2, 3]);
    expect(await read({ modifiedBefore: "2020-06-01T12:00:00" })).toEqual([1]);
    expect(await read({ modifiedAfter: "2020-06-01T10:00:00", modifiedBefore: "2020-06-02T00:00:00" })).toEqual([2]);
    spark.conf.set("spark.sql.session.timeZone", "America/New_York"); // UTC-4 in June
    expect(await read({ modifiedAfter: "2020-06-01T07:30:00" })).toEqual([2, 3]);
    expect(await read({ modifiedAfter: "2020-06-01T05:30:00" })).toEqual([1, 2, 3]);
    // The timeZone option wins over the session's.
    expect(await read({ modifiedAfter: "2020-06-01T11:30:00", timeZone: "UTC" })).toEqual([2, 3]);
  });

  test("every format, and SQL table options", async () => {
    const dir = await tree({ "old.txt": ["old\n", "2020-01-01T00:00:00Z"], "new.txt": ["new\n", "2021-01-01T00:00:00Z"] });
    expect(await spark.read.option("modifiedAfter", "2020-06-01T00:00:00").text(dir).collect()).toEqual([{ value: "new" }]);
    expect(await spark.read.option("modifiedBefore", "2020-06-01T00:00:00").csv(dir).collect()).toEqual([{ _c0: "old" }]);
    spark.sql(`CREATE TABLE recent_files USING text OPTIONS (path '${dir}', modifiedAfter '2020-06-01T00:00:00')`);
    try {
      expect(await spark.sql("SELECT value FROM recent_files").collect()).toEqual([{ value: "new" }]);
    } finally {
      spark.sql("DROP TABLE recent_files");
    }
  });

  test("an invalid timestamp is refused with Spark's words; a stream refuses the options", async () => {
    const dir = await dated();
    expect(() => spark.read.option("modifiedBefore", "June 1st").json(dir)).toThrow(
      "The timestamp provided for the 'modifiedbefore' option is invalid. The expected format is 'YYYY-MM-DDTHH:mm:ss', but the provided timestamp was: June 1st",
    );
    expect(() => spark.readStream.schema("n BIGINT").option("modifiedBefore", "2020-06-01T00:00:00").json(dir))
      .toThrow("option 'modifiedBefore' is not allowed in file stream sources");
    expect(() => spark.readStream.schema("n BIGINT").option("modifiedafter", "2020-06-01T00:00:00").json(dir))
      .toThrow("option 'modifiedAfter' is not allowed in file stream sources");
  });
});
