import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { AnalysisError, MemoryStream, Session, col, struct, to_json } from "../../../src/index.ts";
import { scopedTmpdir } from "../../testing/scoped-tmpdir.ts";

// Spark's JSON and CSV writers (and to_json) write timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`
// in the session time zone, unless the timeZone / timestampFormat / dateFormat options say otherwise.
const spark = Session.builder().appName("temporal-text").getOrCreate();
scopedTmpdir("rivulet-temporal-text-", spark);

const instant = new Date("2026-01-01T10:00:00.123Z");

async function inZone<T>(zone: string, body: () => Promise<T>): Promise<T> {
  const before = spark.conf.get("spark.sql.session.timeZone") ?? "UTC";
  spark.conf.set("spark.sql.session.timeZone", zone);
  try {
    return await body();
  } finally {
    spark.conf.set("spark.sql.session.timeZone", before);
  }
}

async function partText(dir: string, ext: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith("part-") && n.endsWith(ext)).sort();
  return (await Promise.all(names.map((n) => readFile(join(dir, n), "utf8")))).join("");
}

const outDir = (name: string): string => join(tmpdir(), `${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);

describe("timestamps written as text follow the session time zone", () => {
  test("to_json in SQL: the session's offset, Z in UTC", async () => {
    const sql = "SELECT to_json(named_struct('t', TIMESTAMP'2026-01-01 02:00:00.123', 'd', DATE'2026-01-01')) AS j";
    // The literal is a wall time of the session zone; the text shows the same wall time with its offset.
    expect(await inZone("America/Los_Angeles", async () => (await spark.sql(sql).collect())[0]!.j))
      .toBe('{"t":"2026-01-01T02:00:00.123-08:00","d":"2026-01-01"}');
    expect(await inZone("UTC", async () => (await spark.sql(sql).collect())[0]!.j))
      .toBe('{"t":"2026-01-01T02:00:00.123Z","d":"2026-01-01"}');
  });

  test("to_json with options, in the DataFrame API and in SQL", async () => {
    const df = spark.createDataFrame([{ t: instant }], "t TIMESTAMP");
    const rows = await inZone("Europe/Paris", () => df.select(
      to_json(struct(col("t"))).as("session"),
      to_json(struct(col("t")), { timestampFormat: "yyyy-MM-dd HH:mm", timeZone: "Asia/Tokyo" }).as("tokyo"),
    ).collect());
    expect(rows[0]).toEqual({ session: '{"t":"2026-01-01T11:00:00.123+01:00"}', tokyo: '{"t":"2026-01-01 19:00"}' });
    const sqlRows = await spark.sql("SELECT to_json(named_struct('d', DATE'2026-03-04'), map('dateFormat', 'dd/MM/yyyy')) AS j").collect();
    expect(sqlRows[0]!.j).toBe('{"d":"04/03/2026"}');
  });

  test("to_json refuses an option it does not know, a bad pattern and a bad time zone, at analysis", async () => {
    expect(() => spark.sql("SELECT to_json(named_struct('a', 1), map('prety', 'true'))"))
      .toThrow(/to_json: option 'prety' is not a JSON option Spark knows/);
    expect(() => spark.sql("SELECT to_json(named_struct('a', 1), map('timestampFormat', 'yyyy-MM-dd qqqqq'))")).toThrow(AnalysisError);
    expect(() => spark.sql("SELECT to_json(named_struct('a', 1), map('timeZone', 'Mars/Olympus'))"))
      .toThrow(/\[INVALID_TIMEZONE\].*Mars\/Olympus/);
  });

  test("a streaming JSON file sink writes the session's offset, and the files read back as the same instants", async () => {
    const input = new MemoryStream<{ id: number; t: Date }>(spark, "id BIGINT, t TIMESTAMP");
    const path = outDir("json-sink");
    await inZone("America/New_York", async () => {
      const q = input.toDF().writeStream.format("json").option("checkpointLocation", join(path, "_ckpt")).start(join(path, "out"));
      input.addData({ id: 1, t: instant });
      await q.processAllAvailable();
      await q.stop();
    });
    expect(await partText(join(path, "out"), ".json")).toBe('{"id":1,"t":"2026-01-01T05:00:00.123-05:00"}\n');
    const back = await spark.read.schema("id BIGINT, t TIMESTAMP").json(join(path, "out")).collect();
    expect(back).toEqual([{ id: 1, t: instant }]);
  });

  test("df.write.csv and df.write.json: session zone, then the writer's own options", async () => {
    const df = spark.createDataFrame([{ t: instant, n: "2026-01-01 10:00:00", d: "2026-02-03" }], "t TIMESTAMP, n STRING, d STRING")
      .selectExpr("t", "CAST(n AS TIMESTAMP_NTZ) AS n", "CAST(d AS DATE) AS d");
    const csv = outDir("csv");
    const json = outDir("json");
    await inZone("Asia/Kolkata", async () => {
      await df.write.csv(csv);
      await df.write.option("timestampFormat", "yyyy-MM-dd HH:mm:ss XXX").option("timeZone", "UTC").option("dateFormat", "yyyyMMdd").json(json);
    });
    // TIMESTAMP_NTZ is a wall time: no zone applies to it.
    expect(await partText(csv, ".csv")).toBe("2026-01-01T15:30:00.123+05:30,2026-01-01T10:00:00.000,2026-02-03\n");
    expect(await partText(json, ".json")).toBe('{"t":"2026-01-01 10:00:00 Z","n":"2026-01-01T10:00:00.000","d":"20260203"}\n');
  });

  test("a writer's bad timeZone option fails before anything is written", async () => {
    const df = spark.createDataFrame([{ t: instant }], "t TIMESTAMP");
    const path = outDir("bad-zone");
    await expect(df.write.option("timeZone", "Nowhere/Land").json(path)).rejects.toThrow(/\[INVALID_TIMEZONE\].*Nowhere\/Land/);
    await expect(readdir(path)).rejects.toThrow(/ENOENT/);
  });
});
