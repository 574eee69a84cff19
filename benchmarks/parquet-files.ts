// End-to-end Parquet through rivulet: df.write.parquet of 1M rows (BIGINT, DOUBLE, STRING, DECIMAL(38,10),
// TIMESTAMP) and spark.read.parquet + groupBy, with DuckDB reading the same files between, 3 rounds.
// Run: npx tsx benchmarks/parquet-files.ts
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Session } from "../src/index.ts";
const spark = Session.builder().getOrCreate();
const duck = await (await DuckDBInstance.create(":memory:")).connect();
const root = mkdtempSync(join(tmpdir(), "pq-e2e-"));
const N = 1_000_000;
const df = spark.sql(`SELECT id, id * 0.5D AS d, concat('/page/', CAST(id % 2000 AS STRING)) AS url, CAST(id AS DECIMAL(38,10)) AS dec, timestamp_micros(1767225600000000 + id * 1000003) AS ts FROM range(${N})`);
const t = (s: number) => (performance.now() - s).toFixed(0);
for (let r = 0; r < 3; r++) {
  const dir = join(root, `r${r}`);
  let s = performance.now(); await df.write.parquet(dir); const w = t(s);
  s = performance.now(); const rows = await spark.read.parquet(dir).groupBy("url").count().count(); const rd = t(s);
  s = performance.now(); await duck.runAndReadAll(`SELECT url, count(*) FROM read_parquet('${dir}/*.parquet') GROUP BY url`); const dk = t(s);
  console.log(`round ${r}: rivulet write ${w} ms, rivulet read+groupBy ${rd} ms (${rows} groups), duckdb read+groupBy ${dk} ms`);
}
rmSync(root, { recursive: true, force: true });
