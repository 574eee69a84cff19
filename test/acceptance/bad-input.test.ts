import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ParseError, Session, StreamingQueryException, parseSchema, type DataFrame, type StreamingQuery } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * Malformed input through the JSON reader, batch and streaming, in each of Spark's parse
 * modes (PERMISSIVE, DROPMALFORMED, FAILFAST), plus errors in what the user wrote
 * (missing directory, unparsable schema string).
 */
const spark = Session.builder().appName("bad-input").getOrCreate();
const DDL = "time TIMESTAMP, action STRING, bytes LONG";
const DDL_CORRUPT = `${DDL}, _corrupt_record STRING`;
let counter = 0;

const tempDir = tempDirs();

const GOOD_LINES = [
  `{"time":"2026-01-01T10:00:00Z","action":"click","bytes":100}`,
  ``,
  `{"time":"2026-01-01T10:05:00Z","action":"view","bytes":200}`,
];
const TRUNCATED = `{"time":"2026-01-01T10:10:00Z","action":"click",`;
const NOT_JSON = `not json at all`;
const WRONG_TYPE = `{"time":"2026-01-01T11:00:00Z","action":"view","bytes":"lots"}`;
const BAD_LINES = [`{"time":"2026-01-01T10:15:00Z","action":"buy","bytes":5}`, TRUNCATED, NOT_JSON];

const t = (hm: string): Date => new Date(`2026-01-01T${hm}:00Z`);
const GOOD_ROWS = [
  { time: t("10:00"), action: "click", bytes: 100 },
  { time: t("10:05"), action: "view", bytes: 200 },
  { time: t("10:15"), action: "buy", bytes: 5 },
];

const canon = (rows: readonly unknown[]): string[] =>
  rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v))).sort();

/** A directory with a clean file and a file whose lines 2 and 3 are malformed. */
async function inputDir(extra: Record<string, string[]> = {}): Promise<{ dir: string; bad: string }> {
  const dir = await tempDir("rivulet-bad-input-");
  await writeFile(join(dir, "a-good.json"), GOOD_LINES.join("\n") + "\n");
  await writeFile(join(dir, "b-bad.json"), BAD_LINES.join("\n") + "\n");
  for (const [name, lines] of Object.entries(extra)) await writeFile(join(dir, name), lines.join("\n") + "\n");
  return { dir, bad: join(dir, "b-bad.json") };
}

function startStream(df: DataFrame): { q: StreamingQuery; name: string } {
  const name = `bad_input_${process.pid}_${counter++}`;
  const q = df.writeStream.format("memory").queryName(name).outputMode("append").trigger({ availableNow: true }).start();
  return { q, name };
}

async function streamRows(dir: string, ddl: string, mode?: string): Promise<{ rows: unknown[]; q: StreamingQuery }> {
  let reader = spark.readStream.schema(ddl);
  if (mode !== undefined) reader = reader.option("mode", mode);
  const { q, name } = startStream(reader.json(dir));
  await q.awaitTermination();
  return { rows: await spark.table(name).collect(), q };
}

async function batchRows(dir: string, ddl: string, mode?: string): Promise<unknown[]> {
  let reader = spark.read.schema(ddl);
  if (mode !== undefined) reader = reader.option("mode", mode);
  return reader.json(dir).collect();
}

const runners = [
  { kind: "batch", run: async (dir: string, ddl: string, mode?: string) => batchRows(dir, ddl, mode) },
  { kind: "streaming", run: async (dir: string, ddl: string, mode?: string) => (await streamRows(dir, ddl, mode)).rows },
];

describe.each(runners)("malformed JSON lines, $kind query", ({ run }) => {
  test("PERMISSIVE (the default) keeps the raw line in _corrupt_record when the schema has it", async () => {
    const { dir } = await inputDir();
    const expected = [
      ...GOOD_ROWS.map((r) => ({ ...r, _corrupt_record: null })),
      { time: null, action: null, bytes: null, _corrupt_record: TRUNCATED },
      { time: null, action: null, bytes: null, _corrupt_record: NOT_JSON },
    ];
    expect(canon(await run(dir, DDL_CORRUPT))).toEqual(canon(expected));
    expect(canon(await run(dir, DDL_CORRUPT, "PERMISSIVE"))).toEqual(canon(expected));
  });

  test("PERMISSIVE without a corrupt-record column gives rows of nulls", async () => {
    const { dir } = await inputDir();
    const nulls = { time: null, action: null, bytes: null };
    expect(canon(await run(dir, DDL, "permissive"))).toEqual(canon([...GOOD_ROWS, nulls, nulls]));
  });

  test("columnNameOfCorruptRecord names another column", async () => {
    const { dir } = await inputDir();
    const rows = await (async () => {
      const ddl = `${DDL}, raw STRING`;
      const batch = spark.read.schema(ddl).option("columnNameOfCorruptRecord", "raw").json(dir);
      return batch.filter(batch.col("raw").isNotNull()).select("raw").collect();
    })();
    expect(canon(rows)).toEqual(canon([{ raw: TRUNCATED }, { raw: NOT_JSON }]));
  });

  test("DROPMALFORMED drops malformed lines", async () => {
    const { dir } = await inputDir();
    expect(canon(await run(dir, DDL, "DROPMALFORMED"))).toEqual(canon(GOOD_ROWS));
    expect(canon(await run(dir, DDL_CORRUPT, "DROPMALFORMED"))).toEqual(canon(GOOD_ROWS.map((r) => ({ ...r, _corrupt_record: null }))));
  });

  test("a value of the wrong type: partial row plus raw line (PERMISSIVE), dropped (DROPMALFORMED)", async () => {
    const { dir } = await inputDir({ "c-types.json": [WRONG_TYPE] });
    const permissive = await run(dir, DDL_CORRUPT);
    expect(canon(permissive.filter((r) => (r as { _corrupt_record: unknown })._corrupt_record === WRONG_TYPE)))
      .toEqual(canon([{ time: t("11:00"), action: "view", bytes: null, _corrupt_record: WRONG_TYPE }]));
    const dropped = await run(dir, DDL, "DROPMALFORMED");
    expect(canon(dropped)).toEqual(canon(GOOD_ROWS));
  });
});

describe("FAILFAST", () => {
  test("batch: the action fails with an error naming the file and line", async () => {
    const { dir, bad } = await inputDir();
    const error = await batchRows(dir, DDL, "FAILFAST").then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/FAILFAST/);
    expect(error!.message).toContain(`${bad}:2`);
  });

  test("streaming: the query fails; q.exception and awaitTermination() carry the file and line", async () => {
    const { dir, bad } = await inputDir();
    const df = spark.readStream.schema(DDL).option("mode", "FAILFAST").json(dir);
    const { q, name } = startStream(df);
    await expect(q.awaitTermination()).rejects.toThrow(/FAILFAST/);
    expect(q.isActive).toBe(false);
    expect(q.exception).toBeInstanceOf(StreamingQueryException);
    expect(q.exception!.message).toContain(`${bad}:2`);
    // The failed batch was not committed to the sink.
    expect(await spark.table(name).collect()).toEqual([]);
  });

  test("streaming: a wrong type fails the query too, naming its line", async () => {
    const dir = await tempDir("rivulet-bad-input-");
    await writeFile(join(dir, "types.json"), [GOOD_LINES[0], WRONG_TYPE].join("\n") + "\n");
    const { q } = startStream(spark.readStream.schema(DDL).option("mode", "FAILFAST").json(dir));
    await expect(q.awaitTermination()).rejects.toThrow(StreamingQueryException);
    expect(q.exception!.message).toContain(`${join(dir, "types.json")}:2`);
  });

  test("an unknown mode is refused", async () => {
    const { dir } = await inputDir();
    const attempt = async (): Promise<unknown> => spark.read.schema(DDL).option("mode", "LENIENT").json(dir).collect();
    await expect(attempt()).rejects.toThrow(/PERMISSIVE|DROPMALFORMED|FAILFAST/);
  });
});

describe("malformed-record metrics", () => {
  test("lastProgress.sources[0].metrics.numMalformedRecords counts the malformed lines of the batch", async () => {
    const { dir } = await inputDir();
    const { q, rows } = await streamRows(dir, DDL, "DROPMALFORMED");
    expect(rows).toHaveLength(3);
    const progress = q.recentProgress.filter((p) => p.numInputRows > 0);
    expect(progress).toHaveLength(1);
    expect(progress[0]!.numInputRows).toBe(3);
    expect(progress[0]!.sources[0]!.metrics.numMalformedRecords).toBe("2");
  });

  test("PERMISSIVE rows count as input rows and as malformed records", async () => {
    const { dir } = await inputDir();
    const { q } = await streamRows(dir, DDL_CORRUPT);
    expect(q.lastProgress.numInputRows).toBe(5);
    expect(q.lastProgress.sources[0]!.metrics.numMalformedRecords).toBe("2");
  });
});

describe("errors in what the user wrote", () => {
  test("a missing directory fails at load(), naming the path (batch and streaming)", async () => {
    const parent = await tempDir("rivulet-bad-input-");
    const missing = join(parent, "does-not-exist");
    expect(() => spark.read.schema(DDL).json(missing)).toThrow(/Path does not exist/);
    expect(() => spark.read.schema(DDL).json(missing)).toThrow(missing);
    expect(() => spark.readStream.schema(DDL).json(missing)).toThrow(missing);
    expect(() => spark.read.schema(DDL).format("json").load(missing)).toThrow(missing);
  });

  test("a schema string that does not parse is a ParseError with line and column", () => {
    const attempt = (ddl: string): ParseError => {
      try {
        spark.read.schema(ddl);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        return e as ParseError;
      }
      throw new Error(`schema ${JSON.stringify(ddl)} was accepted`);
    };
    const e1 = attempt("time TIMESTAMP,, action STRING");
    expect([e1.line, e1.column]).toEqual([1, 16]);
    expect(e1.message).toMatch(/line 1, column 16/);
    const e2 = attempt("time TIMESTAMP,\naction STRING STRING");
    expect([e2.line, e2.column]).toEqual([2, 15]);
    const e3 = attempt("time TIMESTAMP, action");
    expect(e3.line).toBe(1);
    expect(() => parseSchema("bytes LONG,")).toThrow(ParseError);
    expect(() => spark.readStream.schema("a INT b")).toThrow(ParseError);
  });

  test("an unknown type name in a schema string is refused with the name", () => {
    expect(() => spark.read.schema("time TIMESTAMP, action STRNG")).toThrow(/STRNG/i);
  });
});
