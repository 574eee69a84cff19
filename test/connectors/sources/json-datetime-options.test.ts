import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's JSON dateFormat, timestampFormat, timestampNTZFormat and timeZone when reading.
const spark = Session.builder().appName("json-datetime-options").getOrCreate();
scopedTmpdir("rivulet-json-datetime-", spark);

async function jsonDir(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "json-"));
  writeFileSync(join(dir, "a.json"), text);
  return dir;
}

const LINES = '{"d": "15/01/2024", "ts": "15/01/2024 10:00", "ntz": "2024.01.15 11h", "n": 1}\n{"d": null, "ts": "16/01/2024 23:30", "ntz": null, "n": 2}\n';

describe("json datetime pattern options", () => {
  test("dateFormat, timestampFormat and timestampNTZFormat parse with Spark's patterns; timeZone places zone-less times", async () => {
    const dir = await jsonDir(LINES);
    const read = () => spark.read.option("dateFormat", "dd/MM/yyyy").option("timestampFormat", "dd/MM/yyyy HH:mm").option("timestampNTZFormat", "yyyy.MM.dd HH'h'")
      .schema("d DATE, ts TIMESTAMP, ntz TIMESTAMP_NTZ, n INT");
    const rows = await read().option("timeZone", "UTC").json(dir).collect();
    expect(rows).toEqual([
      { d: new Date("2024-01-15T00:00:00Z"), ts: new Date("2024-01-15T10:00:00Z"), ntz: new Date("2024-01-15T11:00:00Z"), n: 1 },
      { d: null, ts: new Date("2024-01-16T23:30:00Z"), ntz: null, n: 2 },
    ]);
    const tokyo = await read().option("timeZone", "Asia/Tokyo").json(dir).select("ts").collect();
    expect(tokyo[0]!.ts).toEqual(new Date("2024-01-15T01:00:00Z"));
    // A filter on a parsed column, a projection, and SQL over a table with the options.
    const filtered = await read().option("timeZone", "UTC").json(dir).where("ts > timestamp'2024-01-16 00:00:00'").select("n").collect();
    expect(filtered).toEqual([{ n: 2 }]);
    await spark.sqlScript(`CREATE OR REPLACE TABLE jd (d DATE, n INT) USING json OPTIONS (path '${dir}', dateFormat 'dd/MM/yyyy')`);
    expect(await spark.sql("SELECT n FROM jd WHERE d = DATE'2024-01-15'").collect()).toEqual([{ n: 1 }]);
  });

  test("a value the pattern does not match is a malformed record: null in PERMISSIVE, dropped, or FAILFAST naming it", async () => {
    const dir = await jsonDir('{"d": "15/01/2024", "n": 1}\n{"d": "2024-01-16", "n": 2}\n');
    const base = () => spark.read.option("dateFormat", "dd/MM/yyyy").schema("d DATE, n INT");
    expect(await base().json(dir).collect()).toEqual([{ d: new Date("2024-01-15T00:00:00Z"), n: 1 }, { d: null, n: 2 }]);
    expect(await base().option("mode", "DROPMALFORMED").json(dir).collect()).toEqual([{ d: new Date("2024-01-15T00:00:00Z"), n: 1 }]);
    await expect(base().option("mode", "FAILFAST").json(dir).collect())
      .rejects.toThrow(/\[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION\].*a\.json: field 'd': cannot parse '2024-01-16' as date with the pattern 'dd\/MM\/yyyy'/);
    expect(() => spark.read.option("timestampFormat", "yyyy-MM-dd HH:mm:ss qqq").schema("ts TIMESTAMP").json(dir)).toThrow(/json source: option 'timestampFormat'/);
  });

  test("with multiLine, and in a stream", async () => {
    const dir = await mkdtemp(join(tmpdir(), "json-stream-"));
    mkdirSync(join(dir, "in"));
    writeFileSync(join(dir, "in", "a.json"), '[\n {"ts": "15/01/2024 10:00",\n  "n": 1},\n {"ts": "15/01/2024 10:05", "n": 2}\n]\n');
    const q = spark.readStream.option("multiLine", true).option("timestampFormat", "dd/MM/yyyy HH:mm").option("timeZone", "UTC").schema("ts TIMESTAMP, n INT")
      .json(join(dir, "in")).groupBy().agg({ ts: "max" }).writeStream.format("memory").outputMode("complete").queryName("json_dt_stream")
      .trigger({ availableNow: true }).start();
    await q.awaitTermination();
    expect(await spark.sql("SELECT * FROM json_dt_stream").collect()).toEqual([{ "max(ts)": new Date("2024-01-15T10:05:00Z") }]);
  });
});
