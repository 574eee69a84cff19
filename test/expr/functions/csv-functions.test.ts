import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session, col, from_csv, lit, schema_of_csv, struct, to_csv } from "../../../src/index.ts";
import { StructType, IntegerType, StringType } from "../../../src/types/data-types.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's from_csv, to_csv and schema_of_csv (CsvToStructs, StructsToCsv, SchemaOfCsv).
const spark = Session.builder().appName("csv-functions").getOrCreate();
scopedTmpdir("rivulet-csv-functions-", spark);
spark.conf.set("spark.sql.session.timeZone", "UTC");

const one = async (sql: string): Promise<unknown> => (await spark.sql(sql).collect())[0]!.r;

describe("from_csv", () => {
  test("SQL: Spark's examples, options, a schema from schema_of_csv", async () => {
    expect(await one("SELECT from_csv('1, 0.8', 'a INT, b DOUBLE') AS r")).toEqual({ a: 1, b: 0.8 });
    expect(await one("SELECT from_csv('26/08/2015', 'time Timestamp', map('timestampFormat', 'dd/MM/yyyy')) AS r")).toEqual({ time: new Date("2015-08-26T00:00:00Z") });
    expect(await one("SELECT from_csv('1,abc', schema_of_csv('1,abc')) AS r")).toEqual({ _c0: 1, _c1: "abc" });
    expect(await one(`SELECT from_csv('x;"a;b";NA', 'n STRING, s STRING, z INT', map('sep', ';', 'nullValue', 'NA')) AS r`)).toEqual({ n: "x", s: "a;b", z: null });
    expect(await one("SELECT from_csv(CAST(NULL AS STRING), 'a INT') AS r")).toBeNull();
  });

  test("PERMISSIVE keeps what converts; FAILFAST names the record; DROPMALFORMED and bad schemas are refused", async () => {
    expect(await one("SELECT from_csv('x,2', 'a INT, b INT') AS r")).toEqual({ a: null, b: 2 });
    expect(await one("SELECT from_csv('1', 'a INT, b INT') AS r")).toEqual({ a: 1, b: null });
    await expect(spark.sql("SELECT from_csv('x,2', 'a INT, b INT', map('mode', 'FAILFAST')) AS r").collect())
      .rejects.toThrow("[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: x,2. Parse Mode: FAILFAST.");
    expect(() => spark.sql("SELECT from_csv('1', 'a INT', map('mode', 'DROPMALFORMED')) AS r")).toThrow(/\[PARSE_MODE_UNSUPPORTED\] The function from_csv doesn't support the DROPMALFORMED mode/);
    expect(() => spark.sql("SELECT from_csv('1', 'a INT,,') AS r")).toThrow(/\[INVALID_SCHEMA.PARSE_ERROR\]/);
    expect(() => spark.sql("SELECT from_csv('1', concat('a ', 'INT')) AS r")).toThrow(/\[INVALID_SCHEMA.NON_STRING_LITERAL\]/);
    expect(() => spark.sql("SELECT from_csv('1', 'a INT', map('dateFormat', 'yyyy-MM-dd qqq')) AS r")).toThrow(/from_csv: option 'dateFormat' is not a valid datetime pattern/);
  });

  test("DataFrame: a column of lines, schema as DDL, StructType or schema_of_csv", async () => {
    const df = spark.createDataFrame([{ line: "1,ann" }, { line: "2,bob" }], "line STRING");
    const ddl = await df.select(from_csv(col("line"), "id INT, name STRING").as("r")).select("r.*").collect();
    expect(ddl).toEqual([{ id: 1, name: "ann" }, { id: 2, name: "bob" }]);
    const typed = new StructType([{ name: "id", dataType: IntegerType, nullable: true }, { name: "name", dataType: StringType, nullable: true }]);
    expect(await df.select(from_csv("line", typed, { mode: "FAILFAST" }).getField("name").as("n")).collect()).toEqual([{ n: "ann" }, { n: "bob" }]);
    expect(await df.select(from_csv(col("line"), schema_of_csv("1,ann")).as("r")).collect()).toEqual([{ r: { _c0: 1, _c1: "ann" } }, { r: { _c0: 2, _c1: "bob" } }]);
  });

  test("in a stream over text files", async () => {
    const dir = await mkdtemp(join(tmpdir(), "csv-lines-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.txt"), "ann|3\nbob|4\nann|5\n");
    const q = spark.readStream.text(join(dir, "in")).select(from_csv(col("value"), "user STRING, n INT", { sep: "|" }).as("r"))
      .groupBy("r.user").sum("r.n").writeStream.format("memory").outputMode("complete").queryName("from_csv_stream").trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await spark.sql("SELECT * FROM from_csv_stream ORDER BY user").collect()).toEqual([{ user: "ann", "sum(r.n)": 8 }, { user: "bob", "sum(r.n)": 4 }]);
  });
});

describe("to_csv", () => {
  test("SQL: Spark's examples, quoting, nulls, options", async () => {
    expect(await one("SELECT to_csv(named_struct('a', 1, 'b', 2)) AS r")).toBe("1,2");
    expect(await one("SELECT to_csv(named_struct('time', to_timestamp('2015-08-26', 'yyyy-MM-dd')), map('timestampFormat', 'dd/MM/yyyy')) AS r")).toBe("26/08/2015");
    expect(await one(`SELECT to_csv(named_struct('a', 'x,y', 'b', CAST(NULL AS INT), 'c', '', 'd', 'q"r')) AS r`)).toBe('"x,y",,"","q\\"r"');
    expect(await one("SELECT to_csv(named_struct('a', 1, 'b', CAST(NULL AS STRING)), map('sep', '\t', 'nullValue', 'NULL')) AS r")).toBe("1\tNULL");
    expect(await one("SELECT to_csv(named_struct('t', TIMESTAMP'2024-01-15 10:00:00', 'd', DATE'2024-01-15', 'x', 1.5D)) AS r")).toBe("2024-01-15T10:00:00.000Z,2024-01-15,1.5");
    expect(() => spark.sql("SELECT to_csv(named_struct('a', array(1))) AS r")).toThrow(/\[DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE\].*"ARRAY<INT>"/);
    expect(() => spark.sql("SELECT to_csv(1) AS r")).toThrow(/DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE/);
  });

  test("DataFrame: to_csv of struct(...) round-trips through from_csv", async () => {
    const df = spark.createDataFrame([{ id: 1, name: "a,b" }, { id: 2, name: null }], "id INT, name STRING");
    const lines = await df.select(to_csv(struct(col("id"), col("name"))).as("l")).collect();
    expect(lines).toEqual([{ l: '1,"a,b"' }, { l: "2," }]);
    const back = await df.select(from_csv(to_csv(struct(col("id"), col("name")), { sep: ";" }), "id INT, name STRING", { sep: ";" }).as("r")).collect();
    expect(back.map((r) => r.r)).toEqual([{ id: 1, name: "a,b" }, { id: 2, name: null }]);
    expect(await df.limit(1).select(to_csv(struct(lit("x"), col("id")), { quoteAll: "true" }).as("l")).collect()).toEqual([{ l: '"x","1"' }]);
  });
});

describe("schema_of_csv", () => {
  test("SQL and DataFrame: inferred types, options; the input must be a literal", async () => {
    expect(await one("SELECT schema_of_csv('1,abc') AS r")).toBe("STRUCT<_c0: INT, _c1: STRING>");
    expect(await one("SELECT schema_of_csv('1|2.5|2024-01-01|true|x|99999999999', map('sep', '|')) AS r"))
      .toBe("STRUCT<_c0: INT, _c1: DOUBLE, _c2: DATE, _c3: BOOLEAN, _c4: STRING, _c5: BIGINT>");
    expect(await spark.range(1).select(schema_of_csv("a;1", { sep: ";" }).as("s")).collect()).toEqual([{ s: "STRUCT<_c0: STRING, _c1: INT>" }]);
    expect(() => spark.sql("SELECT schema_of_csv(concat('1', ',2')) AS r")).toThrow(/\[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT\]/);
  });
});
