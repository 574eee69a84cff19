/**
 * DuckDB running a job over the same files: read_json with a declared schema (no sampling
 * for inference), GROUP BY on time_bucket, `threads` worker threads. Warmed up as every
 * engine is (engine-run.ts): its code is native, but the first query also pays for
 * loading the JSON extension and planning, which the others' warm-ups pay too.
 *
 *   npx tsx benchmarks/engines/duckdb.ts <headline|per-url> <events> [threads]
 */
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { logDataDir, prepareLogData } from "../log-data.ts";
import { checksumOf, engineArgs, timeAndReport, type Checksum } from "./engine-run.ts";

const args = engineArgs();
await prepareLogData(args.events);
const instance = await DuckDBInstance.create(":memory:");
const duck = await instance.connect();
await duck.run(`SET threads = ${args.threads}`);

/** The job's SQL over the files `glob` matches. */
function jobSql(glob: string): string {
  const logs = `read_json('${join(logDataDir(args.events), glob)}', format = 'newline_delimited',
    columns = {time: 'TIMESTAMP', action: 'VARCHAR', url: 'VARCHAR', userId: 'VARCHAR', bytes: 'BIGINT'})`;
  const [key, aggregates] = args.job === "headline" ? ["action", "count(*) AS count"] : ["url", "count(*) AS count, sum(bytes) AS bytes"];
  return `SELECT ${key}, epoch(time_bucket(INTERVAL 1 HOUR, time)) / 3600 AS hour, ${aggregates}
    FROM ${logs} GROUP BY ${key}, time_bucket(INTERVAL 1 HOUR, time)`;
}

async function run(glob: string, resultHeld = (): void => {}): Promise<Checksum> {
  const reader = await duck.runAndReadAll(jobSql(glob));
  resultHeld();
  const rows = reader.getRowObjectsJS();
  return checksumOf(rows.map((r) => ({ hour: Number(r.hour), count: Number(r.count), bytes: r.bytes === undefined ? null : Number(r.bytes) })));
}

await run("access-000?.json"); // warm-up, not measured: the first 10 files, as every engine (engine-run.ts)
await timeAndReport("duckdb", args, (resultHeld) => run("*.json", resultHeld));
duck.closeSync();
instance.closeSync();
