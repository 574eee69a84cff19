import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, type Row } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

/** Batch reads of Hadoop globs (Spark's checkAndGlobPathIfNecessary): every format, DataFrame and SQL forms. */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

/** Writes `files` (relative path → content) under a new temp directory. */
async function tree(files: Record<string, string>): Promise<string> {
  const dir = await tempDir("rivulet-globs-");
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, rel)), { recursive: true });
    await writeFile(join(dir, rel), text);
  }
  return dir;
}

const json = (...ns: number[]): string => ns.map((n) => `{"n":${n}}\n`).join("");
const sorted = (rows: Row[], key = "n"): unknown[] => rows.map((r) => r[key]).sort((a, b) => Number(a) - Number(b));

/** A log directory by month, with hidden and in-progress entries beside the data. */
async function logs(): Promise<string> {
  return tree({
    "2023-12/part-00.json": json(1),
    "2024-01/part-00.json": json(2),
    "2024-01/part-01.json": json(3),
    "2024-01/part-07.json": json(4),
    "2024-02/part-00.json": json(5),
    "2024-02/notes.txt": json(6),
    "2024-02/_SUCCESS": "",
    "_2024-tmp/part-00.json": json(99),
    ".2024-hidden/part-00.json": json(98),
  });
}

describe("glob patterns in batch reads", () => {
  test("a glob in the last segment matches directories, whose files are read", async () => {
    const dir = await logs();
    expect(sorted(await spark.read.json(join(dir, "2024-*")).collect())).toEqual([2, 3, 4, 5, 6]);
    // Hidden matches (_x, .x) are left out as Spark does.
    expect(sorted(await spark.read.json(join(dir, "*")).collect())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("globs in several segments: *, ?, [a-z], [^a], {a,b} and an escaped character", async () => {
    const dir = await logs();
    const read = async (pattern: string) => sorted(await spark.read.json(join(dir, pattern)).collect());
    expect(await read("*/*.json")).toEqual([1, 2, 3, 4, 5]);
    expect(await read("2024-0?/part-0[0-4].json")).toEqual([2, 3, 5]);
    expect(await read("2024-0[^1]/*")).toEqual([5, 6]);
    expect(await read("{2023-12,2024-02}/part-00.json")).toEqual([1, 5]);
    expect(await read("{2023-12/part-00.json,2024-01/part-0[17].json}")).toEqual([1, 3, 4]);
    const odd = await tree({ "a*b/x.json": json(7), "axb/x.json": json(8) });
    expect(sorted(await spark.read.json(join(odd, "a\\*b")).collect())).toEqual([7]);
  });

  test("several paths, load(), option('path') and a file: URI all accept globs", async () => {
    const dir = await logs();
    expect(sorted(await spark.read.json(join(dir, "2023-*"), join(dir, "2024-02")).collect())).toEqual([1, 5, 6]);
    expect(sorted(await spark.read.format("json").load(join(dir, "2024-01/part-0[01].json")).collect())).toEqual([2, 3]);
    expect(sorted(await spark.read.format("json").option("path", join(dir, "2023-*")).load().collect())).toEqual([1]);
    expect(sorted(await spark.read.json(`file://${dir}/2024-0[2]`).collect())).toEqual([5, 6]);
    // A file matched twice is read once.
    expect(sorted(await spark.read.json(join(dir, "2023-*"), join(dir, "*-12")).collect())).toEqual([1]);
  });

  test("csv, text and parquet read globs the same way", async () => {
    const dir = await tree({
      "csv/2024-01/a.csv": "n,s\n1,x\n",
      "csv/2024-02/b.csv": "n,s\n2,y\n",
      "csv/2023-01/c.csv": "n,s\n3,z\n",
      "text/2024-01.log": "one\ntwo\n",
      "text/2023-01.log": "old\n",
    });
    const csv = await spark.read.option("header", true).schema("n INT, s STRING").csv(join(dir, "csv/2024-*"));
    expect(sorted(await csv.collect())).toEqual([1, 2]);
    expect((await spark.read.text(join(dir, "text/2024-*.log")).collect()).map((r) => r.value)).toEqual(["one", "two"]);
    await spark.createDataFrame([{ n: 10 }, { n: 11 }], "n INT").write.parquet(join(dir, "pq/2024-01"));
    await spark.createDataFrame([{ n: 12 }], "n INT").write.parquet(join(dir, "pq/2023-01"));
    expect(sorted(await spark.read.parquet(join(dir, "pq/2024-*")).collect())).toEqual([10, 11]);
    expect(sorted(await spark.read.parquet(join(dir, "pq/*/*.parquet")).collect())).toEqual([10, 11, 12]);
  });

  test("SQL on files: SELECT … FROM format.`glob`", async () => {
    const dir = await logs();
    const rows = await spark.sql(`SELECT n FROM json.\`${dir}/2024-0[12]/part-00.json\` ORDER BY n`).collect();
    expect(rows).toEqual([{ n: 2 }, { n: 5 }]);
    const csvDir = await tree({ "a/x.csv": "1\n2\n", "b/y.csv": "3\n" });
    expect(sorted(await spark.sql(`SELECT _c0 FROM csv.\`${csvDir}/*\``).collect(), "_c0")).toEqual(["1", "2", "3"]);
    expect(() => spark.sql(`SELECT * FROM json.\`${dir}/2025-*\``)).toThrow(`[PATH_NOT_FOUND] Path does not exist: file:${dir}/2025-*.`);
  });

  test("CREATE TABLE … USING json OPTIONS (path 'glob', …) reads the glob's files", async () => {
    const dir = await logs();
    spark.sql(`CREATE TABLE glob_table USING json OPTIONS (path '${dir}/2024-*', pathGlobFilter 'part-0[0-1].json')`);
    try {
      expect(sorted(await spark.sql("SELECT n FROM glob_table").collect())).toEqual([2, 3, 5]);
    } finally {
      spark.sql("DROP TABLE glob_table");
    }
  });
});

describe("paths that match nothing", () => {
  test("a glob that matches nothing and a missing path fail with [PATH_NOT_FOUND] and the file: URI", async () => {
    const dir = await logs();
    expect(() => spark.read.json(join(dir, "2025-*"))).toThrow(`[PATH_NOT_FOUND] Path does not exist: file:${dir}/2025-*.`);
    expect(() => spark.read.json(join(dir, "nope"))).toThrow(`[PATH_NOT_FOUND] Path does not exist: file:${dir}/nope.`);
    // One path of several matching nothing is enough to fail, as in Spark.
    expect(() => spark.read.json(join(dir, "2024-*"), join(dir, "x*"))).toThrow(`Path does not exist: file:${dir}/x*.`);
    // Only hidden matches: nothing to read (Spark warns that all paths were ignored).
    expect(() => spark.read.json(join(dir, "_2024-*"))).toThrow(/UNABLE_TO_INFER_SCHEMA/);
  });

  test("a malformed glob is refused with Hadoop's words", async () => {
    const dir = await logs();
    expect(() => spark.read.json(join(dir, "2024-[01"))).toThrow(/Illegal file pattern: Unclosed character class/);
  });
});

describe("partition directories under globs", () => {
  /** Two tables, each partitioned by date, under one parent. */
  async function tables(): Promise<string> {
    return tree({
      "web/date=2024-01-01/a.json": json(1),
      "web/date=2024-01-02/a.json": json(2),
      "app/date=2024-01-01/a.json": json(3),
    });
  }

  test("a glob naming one table root discovers its partitions; several partitioned roots are refused as in Spark", async () => {
    const dir = await tables();
    const df = spark.read.json(join(dir, "w*"));
    expect(df.schema.toDDL()).toBe("n BIGINT, date DATE");
    const rows = await df.orderBy(col("n").asc()).collect();
    expect(rows.map((r) => [r.n, (r.date as Date).toISOString().slice(0, 10)])).toEqual([[1, "2024-01-01"], [2, "2024-01-02"]]);
    expect(() => spark.read.json(join(dir, "*"))).toThrow(
      `Conflicting directory structures detected. Suspicious paths:\n\tfile:${dir}/app\n\tfile:${dir}/web\n\n` +
        "If provided paths are partition directories, please set \"basePath\" in the options of the data source to specify the root " +
        "directory of the table. If there are multiple root directories, please load them separately and then union them.",
    );
    // With basePath the parent is the one root, and the tables' directories are a plain level above the partitions.
    expect(() => spark.read.option("basePath", dir).json(join(dir, "*"))).toThrow(/Conflicting directory structures detected/);
  });

  test("a glob into the partition directories gives no partition column unless basePath names the table root (as Spark)", async () => {
    const dir = await tables();
    expect(spark.read.json(join(dir, "web/date=*")).schema.toDDL()).toBe("n BIGINT");
    const withBase = spark.read.option("basePath", join(dir, "web")).json(join(dir, "web/date=2024-01-0[2-9]"));
    expect(withBase.schema.toDDL()).toBe("n BIGINT, date DATE");
    expect((await withBase.collect()).map((r) => [r.n, (r.date as Date).toISOString().slice(0, 10)])).toEqual([[2, "2024-01-02"]]);
    expect(() => spark.read.option("basePath", join(dir, "app")).json(join(dir, "web/date=*")))
      .toThrow(`Wrong basePath ${join(dir, "app")} for the root path: ${join(dir, "web/date=2024-01-01")}`);
    expect(() => spark.read.option("basePath", join(dir, "web/date=2024-01-01/a.json")).json(join(dir, "web/date=*")))
      .toThrow("Option 'basePath' must be a directory");
  });

  test("partition directories at different depths: Spark's 'Conflicting directory structures detected'", async () => {
    const dir = await tree({ "t/date=2024-01-01/a.json": json(1), "t/extra/date=2024-01-02/b.json": json(2) });
    expect(() => spark.read.json(join(dir, "t"))).toThrow(
      `Conflicting directory structures detected. Suspicious paths:\n\tfile:${dir}/t\n\tfile:${dir}/t/extra\n\n` +
        `If provided paths are partition directories, please set "basePath" in the options of the data source`,
    );
    // A plain directory beside the partitions (a renamed partition) conflicts too.
    const renamed = await tree({ "t/k=1/a.json": json(1), "t/undefined/b.json": json(2) });
    expect(() => spark.read.json(join(renamed, "t"))).toThrow(/Conflicting directory structures detected/);
    // recursiveFileLookup turns partition discovery off: every file is read, no partition column.
    const df = spark.read.option("recursiveFileLookup", "true").json(join(dir, "t"));
    expect(df.schema.toDDL()).toBe("n BIGINT");
    expect(sorted(await df.collect())).toEqual([1, 2]);
  });
});
