import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, count, input_file_block_length, input_file_block_start, input_file_name, lit, type Row } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

/**
 * Spark's hidden file-metadata column `_metadata` and input_file_name(): filled per file by
 * the scan, only when a query names them, in batch and streaming reads, SQL and DataFrame.
 */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

async function put(dir: string, rel: string, text: string): Promise<string> {
  const path = join(dir, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

async function twoFiles(): Promise<{ dir: string; a: string; b: string }> {
  const dir = await tempDir("rivulet-metadata-");
  const a = await put(dir, "a.json", '{"n":1}\n{"n":2}\n');
  const b = await put(dir, "b.json", '{"n":3}\n');
  return { dir, a, b };
}

const byN = (rows: Row[]): Row[] => [...rows].sort((x, y) => Number(x.n) - Number(y.n));

describe("_metadata and input_file_name() on file sources", () => {
  test("_metadata holds Spark's six fields per file; it stays out of the schema and of *", async () => {
    const { dir, a, b } = await twoFiles();
    const df = spark.read.json(dir);
    expect(df.columns).toEqual(["n"]);
    expect(spark.sql(`SELECT * FROM json.\`${dir}\``).columns).toEqual(["n"]);
    const withMetadata = df.select("n", "_metadata");
    expect(withMetadata.schema.toDDL()).toBe(
      "n BIGINT, _metadata STRUCT<file_path: STRING, file_name: STRING, file_size: BIGINT, " +
      "file_block_start: BIGINT, file_block_length: BIGINT, file_modification_time: TIMESTAMP> NOT NULL",
    );
    const statA = await stat(a), statB = await stat(b);
    expect((withMetadata.schema.fields[1]!.dataType as unknown as { fields: { nullable: boolean }[] }).fields.every((f) => !f.nullable)).toBe(true);
    const rows = byN(await withMetadata.collect());
    const meta = (path: string, name: string, s: { size: number; mtimeMs: number }) => ({
      file_path: `file:${path}`, file_name: name, file_size: s.size, file_block_start: 0, file_block_length: s.size,
      file_modification_time: new Date(Math.floor(s.mtimeMs)),
    });
    expect(rows).toEqual([
      { n: 1, _metadata: meta(a, "a.json", statA) },
      { n: 2, _metadata: meta(a, "a.json", statA) },
      { n: 3, _metadata: meta(b, "b.json", statB) },
    ]);
  });

  test("input_file_name() in DataFrame and SQL form: the file's URI", async () => {
    const { dir, a, b } = await twoFiles();
    const viaDf = byN(await spark.read.json(dir).select(col("n"), input_file_name().alias("f")).collect());
    expect(viaDf).toEqual([{ n: 1, f: `file://${a}` }, { n: 2, f: `file://${a}` }, { n: 3, f: `file://${b}` }]);
    const viaSql = byN(await spark.sql(`SELECT n, input_file_name() AS f, input_file_block_start() AS s, input_file_block_length() AS l FROM json.\`${dir}\``).collect());
    expect(viaSql).toEqual([
      { n: 1, f: `file://${a}`, s: 0, l: 16 }, { n: 2, f: `file://${a}`, s: 0, l: 16 }, { n: 3, f: `file://${b}`, s: 0, l: 8 },
    ]);
    expect(spark.read.json(dir).select(input_file_name(), input_file_block_start(), input_file_block_length()).columns)
      .toEqual(["input_file_name()", "input_file_block_start()", "input_file_block_length()"]);
  });

  test("filters, grouping and ordering by _metadata fields, in SQL and DataFrame form", async () => {
    const { dir } = await twoFiles();
    const sql = await spark.sql(
      `SELECT _metadata.file_name AS name, count(*) AS c FROM json.\`${dir}\` t WHERE _metadata.file_size > 0 GROUP BY _metadata.file_name ORDER BY name`,
    ).collect();
    expect(sql).toEqual([{ name: "a.json", c: 2 }, { name: "b.json", c: 1 }]);
    const filtered = spark.read.json(dir).filter(col("_metadata.file_name").equalTo(lit("b.json")));
    expect(filtered.columns).toEqual(["n"]);
    expect(await filtered.collect()).toEqual([{ n: 3 }]);
    // Named again after the filter that read it, and after a projection that left it out.
    expect(await filtered.select("n", "_metadata.file_name").collect()).toEqual([{ n: 3, file_name: "b.json" }]);
    expect(await spark.read.json(dir).select("n").where(col("_metadata.file_name").equalTo(lit("b.json"))).collect()).toEqual([{ n: 3 }]);
    const grouped = await spark.read.json(dir).groupBy(col("_metadata.file_name")).agg(count(lit(1)).alias("c")).orderBy("file_name").collect();
    expect(grouped).toEqual([{ file_name: "a.json", c: 2 }, { file_name: "b.json", c: 1 }]);
  });

  test("csv and text sources; only _metadata read (no data column); a percent-encoded name", async () => {
    const dir = await tempDir("rivulet-metadata-");
    await put(dir, "csv/c.csv", "a,b\n1,x\n2,y\n");
    const spaced = await put(dir, "txt/my file.txt", "hello\n");
    expect(await spark.read.option("header", true).csv(join(dir, "csv")).select("_metadata.file_name").collect())
      .toEqual([{ file_name: "c.csv" }, { file_name: "c.csv" }]);
    expect(await spark.read.text(join(dir, "txt")).select("value", "_metadata.file_name", "_metadata.file_path", input_file_name().alias("f")).collect())
      .toEqual([{ value: "hello", file_name: "my%20file.txt", file_path: `file:${spaced.replace(" ", "%20")}`, f: `file://${spaced.replace(" ", "%20")}` }]);
  });

  test("over a source that is not files: input_file_name() is '' and the block functions -1; _metadata is unresolved", async () => {
    expect(await spark.sql("SELECT input_file_name() AS f, input_file_block_start() AS s, input_file_block_length() AS l FROM range(1)").collect())
      .toEqual([{ f: "", s: -1, l: -1 }]);
    expect(() => spark.sql("SELECT _metadata FROM range(1)")).toThrow(/\[UNRESOLVED_COLUMN\.WITH_SUGGESTION\].*`_metadata`/);
    expect(() => spark.sql("SELECT input_file_name(1)")).toThrow(/\[WRONG_NUM_ARGS\.WITHOUT_SUGGESTION\] The `input_file_name` requires 0 parameters but the actual number is 1/);
  });

  test("a data column named _metadata wins over the hidden one, as in Spark", async () => {
    const dir = await tempDir("rivulet-metadata-");
    await put(dir, "m.json", '{"n":1,"_metadata":"mine"}\n');
    expect(await spark.read.json(dir).select("_metadata").collect()).toEqual([{ _metadata: "mine" }]);
  });

  test("streaming: each micro-batch's rows carry their own file's metadata", async () => {
    const dir = await tempDir("rivulet-metadata-stream-");
    const input = join(dir, "in");
    const first = await put(input, "1.json", '{"n":1}\n');
    const df = spark.readStream.schema("n BIGINT").json(input).select(col("n"), col("_metadata.file_name").alias("name"), input_file_name().alias("f"));
    const query = df.writeStream.format("memory").queryName("metadata_stream").start();
    try {
      await query.processAllAvailable();
      const second = await put(input, "2.json", '{"n":2}\n{"n":3}\n');
      await query.processAllAvailable();
      expect(byN(await spark.table("metadata_stream").collect())).toEqual([
        { n: 1, name: "1.json", f: `file://${first}` }, { n: 2, name: "2.json", f: `file://${second}` }, { n: 3, name: "2.json", f: `file://${second}` },
      ]);
    } finally {
      await query.stop();
    }
    const viaSql = spark.sql(`SELECT n, _metadata.file_name AS name FROM STREAM json.\`${input}\``);
    expect(viaSql.isStreaming).toBe(true);
  });
});
