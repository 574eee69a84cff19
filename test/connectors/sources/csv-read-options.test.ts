import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's CSV reader options (CSVOptions), as a Spark user writes them.
const spark = Session.builder().appName("csv-read-options").getOrCreate();
scopedTmpdir("rivulet-csv-options-", spark);

async function csvDir(text: string | Buffer, name = "a.csv"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "csv-"));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe("csv read options", () => {
  test("comment skips comment lines; ignoreLeading/TrailingWhiteSpace trim unquoted values", async () => {
    const dir = await csvDir('# exported 2024-01-15\nid,name\n1,  a\n# another\n2,b  \n3," c "\n');
    const df = spark.read.option("header", "true").option("comment", "#").option("ignoreTrailingWhiteSpace", "true").csv(dir);
    expect(df.schema.simpleString()).toBe("struct<id:string,name:string>");
    expect(await df.collect()).toEqual([{ id: "1", name: "  a" }, { id: "2", name: "b" }, { id: "3", name: " c " }]);
    const both = spark.read.option("header", "true").option("comment", "#").option("ignoreLeadingWhiteSpace", "true").option("ignoreTrailingWhiteSpace", "true").csv(dir);
    expect((await both.collect()).map((r) => r.name)).toEqual(["a", "b", " c "]);
    // Without the option a '#' line is data, as in Spark.
    expect((await spark.read.csv(dir).collect())[0]).toEqual({ _c0: "# exported 2024-01-15" });
  });

  test("encoding (and its alias charset) decodes the file's charset", async () => {
    const dir = await csvDir(Buffer.from("id,name\n1,caf\xe9\n", "latin1"));
    expect(await spark.read.option("header", "true").option("encoding", "ISO-8859-1").csv(dir).collect()).toEqual([{ id: "1", name: "café" }]);
    const utf16 = await csvDir(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("id,name\n1,żółw\n", "utf16le")]));
    expect(await spark.read.option("header", "true").option("charset", "UTF-16LE").csv(utf16).collect()).toEqual([{ id: "1", name: "żółw" }]);
    expect(() => spark.read.option("encoding", "no-such-charset").csv(dir)).toThrow(/unsupported charset 'no-such-charset'/);
  });

  test("nullValue: an unquoted empty field reads as the nullValue (null), a quoted one as emptyValue", async () => {
    const dir = await csvDir('id,name\n1,NA\n2,""\n3,\n4,"NA"\n');
    const rows = await spark.read.option("header", "true").option("nullValue", "NA").schema("id INT, name STRING").csv(dir).collect();
    expect(rows).toEqual([{ id: 1, name: null }, { id: 2, name: "" }, { id: 3, name: null }, { id: 4, name: null }]);
    // Spark's defaults (nullValue "" and emptyValue ""): both empty forms are null.
    const defaults = await spark.read.option("header", "true").schema("id INT, name STRING").csv(dir).collect();
    expect(defaults.map((r) => r.name)).toEqual(["NA", null, null, "NA"]);
    const empty = await spark.read.option("header", "true").option("nullValue", "NA").option("emptyValue", "<empty>").schema("id INT, name STRING").csv(dir).collect();
    expect(empty.map((r) => r.name)).toEqual([null, "<empty>", null, null]);
  });

  test("dateFormat, timestampFormat and timestampNTZFormat parse with Spark's patterns", async () => {
    spark.conf.set("spark.sql.session.timeZone", "UTC");
    const dir = await csvDir("d,ts,ntz\n15/01/2024,15/01/2024 10:00,2024.01.15 11h\n");
    const rows = await spark.read.option("header", "true").option("dateFormat", "dd/MM/yyyy").option("timestampFormat", "dd/MM/yyyy HH:mm")
      .option("timestampNTZFormat", "yyyy.MM.dd HH'h'").schema("d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ").csv(dir).collect();
    expect(rows[0]!.d).toEqual(new Date("2024-01-15T00:00:00Z"));
    expect(rows[0]!.ts).toEqual(new Date("2024-01-15T10:00:00Z"));
    expect(rows[0]!.ntz).toEqual(new Date("2024-01-15T11:00:00Z"));
    // A value in another form does not parse: the record is malformed (FAILFAST names it).
    const other = await csvDir("d\n2024-01-15\n");
    await expect(spark.read.option("header", "true").option("dateFormat", "dd/MM/yyyy").option("mode", "FAILFAST").schema("d DATE").csv(other).collect())
      .rejects.toThrow(/cannot convert '2024-01-15' to date/);
    // inferSchema uses the formats too.
    const inferred = spark.read.option("header", "true").option("inferSchema", "true").option("timestampFormat", "dd/MM/yyyy HH:mm").csv(dir);
    expect(inferred.schema.simpleString()).toBe("struct<d:string,ts:timestamp,ntz:string>");
  });

  test("nanValue, positiveInf, negativeInf", async () => {
    const dir = await csvDir("x\nn/a\n+inf\n-inf\nNaN\nInf\n1.5\n");
    const rows = await spark.read.option("header", "true").option("nanValue", "n/a").option("positiveInf", "+inf").option("negativeInf", "-inf")
      .schema("x DOUBLE").csv(dir).collect();
    expect(rows.map((r) => r.x)).toEqual([NaN, Infinity, -Infinity, NaN, null, 1.5]);
  });

  test("lineSep, quote, escape and mode", async () => {
    const dir = await csvDir("a;'x|y'|b;'it\\'s'|");
    const rows = await spark.read.option("sep", ";").option("lineSep", "|").option("quote", "'").schema("k STRING, v STRING").csv(dir).collect();
    expect(rows).toEqual([{ k: "a", v: "x|y" }, { k: "b", v: "it's" }]);
    const bad = await csvDir("1\nx\n");
    expect(await spark.read.option("mode", "DROPMALFORMED").schema("a INT").csv(bad).collect()).toEqual([{ a: 1 }]);
    // Options Spark has and rivulet does not act on, and unknown ones, are accepted as Spark accepts them.
    expect(await spark.read.option("locale", "en-US").option("samplingRatio", "0.5").option("noSuchOption", "1").schema("a INT").csv(bad).collect()).toHaveLength(2);
  });

  test("inferSchema: an integer beyond the long range is decimal(20,0), read exactly; merged with int it stays decimal", async () => {
    const dir = await csvDir("big,l,d\n12345678901234567890,1,2024-01-15\n1,3000000000,2024-02-01\n");
    const df = spark.read.option("header", "true").option("inferSchema", "true").csv(dir);
    expect(df.schema.simpleString()).toBe("struct<big:decimal(20,0),l:bigint,d:date>");
    const rows = await df.collect();
    expect(rows.map((r) => String(r.big))).toEqual(["12345678901234567890", "1"]);
    const wide = await csvDir(`x\n${"9".repeat(39)}\n`);
    expect(spark.read.option("header", "true").option("inferSchema", "true").csv(wide).schema.simpleString()).toBe("struct<x:double>");
    const mixed = await csvDir(`x\n${"9".repeat(20)}\n1.5\n`);
    expect(spark.read.option("header", "true").option("inferSchema", "true").csv(mixed).schema.simpleString()).toBe("struct<x:double>");
  });

  test("a header with repeated names: every occurrence gets its position, case-insensitively; empty names are _c<i>", async () => {
    const dir = await csvDir("a,A,,b\n1,2,3,4\n");
    const df = spark.read.option("header", "true").csv(dir);
    expect(df.schema.simpleString()).toBe("struct<a0:string,A1:string,_c2:string,b:string>");
    expect(await df.select("a0", "b").collect()).toEqual([{ a0: "1", b: "4" }]);
  });

  test("the options apply to a streaming csv source", async () => {
    const dir = await mkdtemp(join(tmpdir(), "csv-stream-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "1.csv"), "# c\nid;when\n1;15/01/2024\n2;\n");
    const name = `csv_stream_${process.pid}`;
    const q = spark.readStream.option("header", "true").option("sep", ";").option("comment", "#").option("dateFormat", "dd/MM/yyyy")
      .schema("id INT, when DATE").csv(join(dir, "in")).writeStream.format("memory").queryName(name).trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await spark.sql(`SELECT * FROM ${name} ORDER BY id`).collect()).toEqual([{ id: 1, when: new Date("2024-01-15T00:00:00Z") }, { id: 2, when: null }]);
  });
});
