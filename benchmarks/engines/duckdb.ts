/**
 * DuckDB running a job over the same files: read_json with a declared schema (no sampling
 * for inference), GROUP BY on time_bucket, `threads` worker threads. No warm-up: its code
 * is native, there is no JIT to warm.
 *
 *   npx tsx benchmarks/engines/duckdb.ts <headline|per-url> <events> [threads]
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { logDataDir, prepareLogData } from "../log-data.ts";
import { checksumOf, engineArgs, timeAndReport } from "./engine-run.ts";

const args = engineArgs();
await prepareLogData(args.events);
const instance = await DuckDBInstance.create(":memory:");
const duck = await instance.connect();
await duck.run(`SET threads = ${args.threads}`);

const logs = `read_json('${join(logDataDir(args.events), "*.json")}', format = 'newline_delimited',
  columns = {time: 'TIMESTAMP', action: 'VARCHAR', url: 'VARCHAR', userId: 'VARCHAR', bytes: 'BIGINT'})`;
const [key, aggregates] = args.job === "headline" ? ["action", "count(*) AS count"] : ["url", "count(*) AS count, sum(bytes) AS bytes"];
const sql = `SELECT ${key}, epoch(time_bucket(INTERVAL 1 HOUR, time)) / 3600 AS hour, ${aggregates}
  FROM ${logs} GROUP BY ${key}, time_bucket(INTERVAL 1 HOUR, time)`;

await timeAndReport("duckdb", args, async () => {
  const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS();
  return checksumOf(rows.map((r) => ({ hour: Number(r.hour), count: Number(r.count), bytes: r.bytes === undefined ? null : Number(r.bytes) })));
});
duck.closeSync();
instance.closeSync();
