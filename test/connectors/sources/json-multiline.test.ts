import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's multiLine JSON option (MultiLineJsonDataSource), and arrays of objects in JSON lines.
const spark = Session.builder().appName("json-multiline").getOrCreate();
scopedTmpdir("rivulet-json-multiline-", spark);

async function jsonDir(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "json-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ARRAY_FILE = `[
  {"id": 1,
   "name": "a"},
  {"id": 2, "name": "b",
   "tags": ["x",
            "y"]}
]
`;
const OBJECT_FILE = `{
  "id": 3,
  "name": "c"
}
`;

describe("json multiLine", () => {
  test("a file holding an array of objects gives a row per element; a file holding one object, one row", async () => {
    const dir = await jsonDir({ "a.json": ARRAY_FILE, "b.json": OBJECT_FILE });
    const df = spark.read.option("multiLine", true).json(dir);
    expect(df.schema.simpleString()).toBe("struct<id:bigint,name:string,tags:array<string>>");
    expect(await df.orderBy("id").collect()).toEqual([
      { id: 1, name: "a", tags: null }, { id: 2, name: "b", tags: ["x", "y"] }, { id: 3, name: "c", tags: null },
    ]);
    // With a schema, and by the option's other spelling, in SQL too.
    const given = await spark.read.schema("name STRING, id INT").option("multiline", "true").json(join(dir, "b.json")).collect();
    expect(given).toEqual([{ name: "c", id: 3 }]);
    await spark.sqlScript(`CREATE OR REPLACE TABLE ml (id BIGINT, name STRING) USING json OPTIONS (path '${dir}', multiLine = true)`);
    expect((await spark.sql("SELECT sum(id) AS s FROM ml").collect())[0]).toEqual({ s: 6 });
  });

  test("without the option such a file is corrupt lines, as in Spark", async () => {
    const dir = await jsonDir({ "b.json": OBJECT_FILE });
    const rows = await spark.read.json(dir).collect();
    expect(Object.keys(rows[0]!)).toEqual(["_corrupt_record"]);
    expect(rows).toHaveLength(4);
  });

  test("a malformed file is one bad record: the whole file in _corrupt_record, or FAILFAST naming file and line", async () => {
    const bad = '[\n  {"id": 1},\n  {"id": 2,,}\n]\n';
    const dir = await jsonDir({ "a.json": ARRAY_FILE, "bad.json": bad });
    const df = spark.read.option("multiLine", true).json(dir);
    expect(df.schema.simpleString()).toBe("struct<id:bigint,name:string,tags:array<string>,_corrupt_record:string>");
    const rows = await df.orderBy("id").collect();
    expect(rows.map((r) => r.id)).toEqual([null, 1, 2]);
    expect(rows[0]).toEqual({ id: null, name: null, tags: null, _corrupt_record: bad });
    const dropped = await spark.read.option("multiLine", true).option("mode", "DROPMALFORMED").schema("id BIGINT").json(dir).collect();
    expect(dropped.map((r) => r.id).sort()).toEqual([1, 2]);
    await expect(spark.read.option("multiLine", true).option("mode", "FAILFAST").schema("id BIGINT").json(dir).collect())
      .rejects.toThrow(/\[MALFORMED_RECORD_IN_PARSING\.WITHOUT_SUGGESTION\] .*bad\.json:3: invalid JSON: expected a field name at line 3 column 12, found ','.*Parse Mode: FAILFAST/);
    // A value that does not fit its column is malformed at the line its record starts on.
    const typed = await jsonDir({ "t.json": '[{"id": 1},\n {"id":\n  "x"}]' });
    await expect(spark.read.option("multiLine", true).option("mode", "FAILFAST").schema("id INT").json(typed).collect()).rejects.toThrow(/t\.json:2/);
    const kept = await spark.read.option("multiLine", true).schema("id INT, _corrupt_record STRING").json(typed).collect();
    expect(kept).toEqual([{ id: 1, _corrupt_record: null }, { id: null, _corrupt_record: '{"id":   "x"}' }]);
  });

  test("empty files and empty arrays give no rows; text after the value, or a non-object element, is malformed", async () => {
    const dir = await jsonDir({ "e.json": "", "f.json": "[ ]\n", "g.json": '{"id": 1}\n{"id": 2}\n', "h.json": "[1, 2]" });
    const rows = await spark.read.option("multiLine", true).schema("id INT, _corrupt_record STRING").json(dir).collect();
    expect(rows).toEqual([{ id: null, _corrupt_record: '{"id": 1}\n{"id": 2}\n' }, { id: null, _corrupt_record: "[1, 2]" }]);
  });

  test("compressed files, and streaming reads (batch by batch, and in worker threads)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "json-stream-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.json.gz"), gzipSync(ARRAY_FILE));
    writeFileSync(join(dir, "in", "b.json"), OBJECT_FILE);
    for (const threads of ["1", "2"]) {
      spark.conf.set("rivulet.sql.parallelism", threads);
      try {
        const name = `ml_stream_${threads}`;
        const q = spark.readStream.schema("id INT, name STRING").option("multiLine", true).option("maxFilesPerTrigger", 1).json(join(dir, "in"))
          .groupBy().count().writeStream.format("memory").outputMode("complete").queryName(name).trigger({ availableNow: true }).start();
        await q.awaitTermination();
        expect((await spark.sql(`SELECT * FROM ${name}`).collect())).toEqual([{ count: 3 }]);
        const direct = spark.readStream.schema("id INT, name STRING").option("multiLine", true).json(join(dir, "in")).writeStream.format("memory")
          .queryName(`${name}_rows`).trigger({ availableNow: true }).start();
        await direct.awaitTermination();
        expect((await spark.sql(`SELECT name FROM ${name}_rows ORDER BY id`).collect()).map((r) => r.name)).toEqual(["a", "b", "c"]);
      } finally {
        spark.conf.unset("rivulet.sql.parallelism");
      }
    }
  });
});

describe("json lines holding arrays of objects", () => {
  test("each element is a row, schema inference included; an array of non-objects is malformed", async () => {
    const dir = await jsonDir({ "a.json": '[{"a": 1}, {"a": 2, "b": "q"}]\n{"a": 3}\n[]\n[1, 2]\n' });
    const df = spark.read.json(dir);
    expect(df.schema.simpleString()).toBe("struct<a:bigint,b:string,_corrupt_record:string>");
    expect(await df.collect()).toEqual([
      { a: 1, b: null, _corrupt_record: null }, { a: 2, b: "q", _corrupt_record: null }, { a: 3, b: null, _corrupt_record: null },
      { a: null, b: null, _corrupt_record: "[1, 2]" },
    ]);
    await expect(spark.read.schema("a INT").option("mode", "FAILFAST").json(dir).collect()).rejects.toThrow(/a\.json:4/);
    const bad = await jsonDir({ "b.json": '[{"a": "x"}]\n' });
    await expect(spark.read.schema("a INT").option("mode", "FAILFAST").json(bad).collect()).rejects.toThrow(/b\.json:1/);
  });
});
