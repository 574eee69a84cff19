import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { MemoryStream, Session, type DataFrame, type Row } from "../../src/index.ts";
import { optimize } from "../../src/optimizer/optimizer.ts";
import { planString } from "../../src/plan/plan-string.ts";
import { tempDirs } from "../temp-dirs.ts";
import { LOG_DDL, LOG_ROWS, QUERY_PAIRS, USER_DDL, USER_ROWS } from "./query-pairs.ts";

const spark = Session.builder().appName("sql-plan-equality").getOrCreate();
const tempDir = tempDirs(spark);

const optimized = (df: DataFrame): string => planString(optimize(df.plan).plan);
const canon = (rows: readonly Row[], ordered = false): string[] => {
  const out = rows.map((r) => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v)));
  return ordered ? out : out.sort();
};

async function jsonDir(rows: readonly Record<string, unknown>[]): Promise<string> {
  const dir = await tempDir("rivulet-sql-");
  const line = (r: Record<string, unknown>): string => JSON.stringify(r, (_, v) => (v instanceof Date ? v.toISOString() : v));
  await writeFile(join(dir, "part-0.json"), rows.slice(0, 3).map(line).join("\n") + "\n");
  await writeFile(join(dir, "part-1.json"), rows.slice(3).map(line).join("\n") + "\n");
  return dir;
}

const sources = [
  { name: "createDataFrame", logs: async () => spark.createDataFrame(LOG_ROWS, LOG_DDL) },
  { name: "JSON files", logs: async () => spark.read.schema(LOG_DDL).json(await jsonDir(LOG_ROWS)) },
];

describe.each(sources)("SQL and DataFrame forms agree, batch over $name", ({ logs: makeLogs }) => {
  test.each(QUERY_PAIRS)("$name", async (pair) => {
    const logs = await makeLogs();
    const users = spark.createDataFrame(USER_ROWS, USER_DDL);
    logs.createOrReplaceTempView("logs");
    users.createOrReplaceTempView("users");
    const viaSql = spark.sql(pair.sql);
    const viaDf = pair.df(logs, users);
    expect(optimized(viaSql)).toBe(optimized(viaDf));
    expect(viaSql.columns).toEqual(viaDf.columns);
    const [a, b] = [await viaSql.collect(), await viaDf.collect()];
    expect(canon(a, pair.ordered)).toEqual(canon(b, pair.ordered));
    expect(a.length).toBeGreaterThan(0);
  });
});

let counter = 0;

describe("SQL and DataFrame forms agree, streaming over a MemoryStream", () => {
  test.each(QUERY_PAIRS.filter((p) => p.streaming !== undefined))("$name", async (pair) => {
    const stream = new MemoryStream(spark, LOG_DDL);
    const logs = stream.toDF();
    const users = spark.createDataFrame(USER_ROWS, USER_DDL);
    logs.createOrReplaceTempView("logs");
    users.createOrReplaceTempView("users");
    const viaSql = spark.sql(pair.sql);
    const viaDf = pair.df(logs, users);
    expect(viaSql.isStreaming).toBe(true);
    expect(optimized(viaSql)).toBe(optimized(viaDf));

    const names = [`sql_stream_${counter}`, `df_stream_${counter++}`];
    const queries = [viaSql, viaDf].map((df, i) => df.writeStream.format("memory").queryName(names[i]!).outputMode(pair.streaming!).start());
    try {
      stream.addData(LOG_ROWS.slice(0, 3));
      for (const q of queries) await q.processAllAvailable();
      stream.addData(LOG_ROWS.slice(3));
      for (const q of queries) await q.processAllAvailable();
      const [a, b] = [await spark.table(names[0]!).collect(), await spark.table(names[1]!).collect()];
      expect(canon(a, pair.ordered)).toEqual(canon(b, pair.ordered));
      expect(a.length).toBeGreaterThan(0);
    } finally {
      for (const q of queries) await q.stop();
    }
  });
});
