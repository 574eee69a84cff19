import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, type DataFrame, type Row, type StreamingQuery } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";

/**
 * Streaming file sources over globs (Spark's FileStreamSource re-globs its path at each
 * trigger): files added between triggers are read when they match, left when they do not.
 */
const spark = Session.builder().getOrCreate();
const tempDir = tempDirs(spark);

async function put(dir: string, rel: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, rel)), { recursive: true });
  await writeFile(join(dir, rel), text);
}

const json = (...ns: number[]): string => ns.map((n) => `{"n":${n}}\n`).join("");
const sorted = (rows: Row[], key = "n"): unknown[] => rows.map((r) => r[key]).sort((a, b) => Number(a) - Number(b));

let queries = 0;
/** Runs `df` into a memory table; `rows()` is what it holds after the next processAllAvailable. */
function toMemory(df: DataFrame, checkpoint?: string): { query: StreamingQuery; rows: () => Promise<Row[]> } {
  const name = `glob_stream_${++queries}`;
  let writer = df.writeStream.format("memory").queryName(name);
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  return { query, rows: async () => { await query.processAllAvailable(); return spark.table(name).collect(); } };
}

describe("streaming file sources over globs", () => {
  test("files and directories added between triggers are read when they match the glob, never when they do not", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    await put(input, "2024-01/a.json", json(1));
    await put(input, "2023-12/a.json", json(100));
    const { query, rows } = toMemory(spark.readStream.schema("n BIGINT").json(join(input, "2024-*")));
    expect(sorted(await rows())).toEqual([1]);
    await put(input, "2024-01/b.json", json(2)); // a new file in a matching directory
    await put(input, "2024-02/a.json", json(3)); // a new matching directory
    await put(input, "2023-12/b.json", json(101)); // not matching
    await put(input, "x2024-03/a.json", json(102)); // not matching
    await put(input, "2024-03/_tmp/a.json", json(103)); // hidden, beside nothing readable yet
    expect(sorted(await rows())).toEqual([1, 2, 3]);
    await put(input, "2024-03/a.json", json(4));
    expect(sorted(await rows())).toEqual([1, 2, 3, 4]);
    await query.stop();
  });

  test("a glob over files in several directories, in csv and text", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    await put(input, "a/part-0.csv", "1\n");
    const csv = toMemory(spark.readStream.schema("v INT").csv(join(input, "*/part-[0-9].csv")));
    expect(sorted(await csv.rows(), "v")).toEqual([1]);
    await put(input, "b/part-1.csv", "2\n");
    await put(input, "b/part-10.csv", "99\n");
    await put(input, "b/other.csv", "98\n");
    expect(sorted(await csv.rows(), "v")).toEqual([1, 2]);
    await csv.query.stop();

    await put(input, "logs/app-1.log", "one\n");
    const text = toMemory(spark.readStream.text(join(input, "logs/app-?.log")));
    expect((await text.rows()).map((r) => r.value)).toEqual(["one"]);
    await put(input, "logs/app-2.log", "two\n");
    await put(input, "logs/web-1.log", "web\n");
    expect((await text.rows()).map((r) => r.value).sort()).toEqual(["one", "two"]);
    await text.query.stop();
  });

  test("a stream may start before anything matches its glob; a missing plain path is refused at load", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    const { query, rows } = toMemory(spark.readStream.schema("n BIGINT").json(join(input, "day=*")));
    expect(await rows()).toEqual([]);
    await put(input, "day=1/a.json", json(7));
    expect(sorted(await rows())).toEqual([7]);
    await query.stop();
    expect(() => spark.readStream.schema("n BIGINT").json(join(input, "missing"))).toThrow(`[PATH_NOT_FOUND] Path does not exist: file:${input}/missing.`);
  });

  test("pathGlobFilter and recursiveFileLookup apply to every trigger's new files", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    await put(input, "a.json", json(1));
    const stream = spark.readStream.schema("n BIGINT").option("pathGlobFilter", "*.json").option("recursiveFileLookup", true).json(input);
    const { query, rows } = toMemory(stream);
    expect(sorted(await rows())).toEqual([1]);
    await put(input, "2024/01/b.json", json(2));
    await put(input, "2024/01/b.json.done", json(200));
    await put(input, "c.txt", json(201));
    expect(sorted(await rows())).toEqual([1, 2]);
    await query.stop();
  });

  test("partition columns of a partitioned table matched by a glob, for partitions added later", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    await put(input, "events/date=2024-01-01/a.json", json(1));
    await put(input, "other/date=2024-01-01/a.json", json(100));
    const { query, rows } = toMemory(spark.readStream.schema("n BIGINT, date DATE").json(join(input, "ev*")));
    const days = (rs: Row[]) => rs.map((r) => [r.n, (r.date as Date).toISOString().slice(0, 10)]).sort();
    expect(days(await rows())).toEqual([[1, "2024-01-01"]]);
    await put(input, "events/date=2024-01-02/b.json", json(2));
    await put(input, "other/date=2024-01-02/b.json", json(101));
    expect(days(await rows())).toEqual([[1, "2024-01-01"], [2, "2024-01-02"]]);
    await query.stop();
  });

  test("SQL: STREAM(t) over a table whose path is a glob; a restart reads only new matching files", async () => {
    const input = await tempDir("rivulet-glob-stream-");
    const checkpoint = join(await tempDir("rivulet-glob-stream-ck-"), "ck");
    await put(input, "2024-01/a.json", json(1));
    spark.sql(`CREATE TABLE glob_events (n BIGINT) USING json OPTIONS (path '${input}/2024-*')`);
    try {
      const first = toMemory(spark.sql("SELECT n FROM STREAM(glob_events)"), checkpoint);
      expect(sorted(await first.rows())).toEqual([1]);
      await put(input, "2024-02/a.json", json(2));
      expect(sorted(await first.rows())).toEqual([1, 2]);
      await first.query.stop();
      await put(input, "2024-03/a.json", json(3));
      await put(input, "2023-03/a.json", json(300));
      const again = toMemory(spark.sql("SELECT n FROM STREAM(glob_events)"), checkpoint);
      expect(sorted(await again.rows())).toEqual([3]);
      await again.query.stop();
    } finally {
      spark.sql("DROP TABLE glob_events");
    }
  });
});
