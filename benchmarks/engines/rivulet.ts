/**
 * rivulet running a job as a user would: a streaming query over the log directory
 * (maxFilesPerTrigger 10, availableNow trigger) into a memory sink in complete mode.
 * `threads` sets rivulet.sql.parallelism (JSON files decoded in worker threads) and
 * rivulet.sql.shuffle.partitions (partitions of the aggregation's state).
 *
 *   npx tsx benchmarks/engines/rivulet.ts <headline|per-url> <events> [threads]
 *
 * BENCH_CONF="key=value,…" sets further session confs.
 */
import { join } from "node:path";
import { Session, col, count, lit, sum, window } from "../../src/index.ts";
import { logDataDir, prepareLogData } from "../log-data.ts";
import { DDL, checksumOf, engineArgs, timeAndReport, type Checksum } from "./engine-run.ts";

const args = engineArgs();
const spark = Session.builder().appName(`bench-${args.job}`).getOrCreate();
spark.conf.set("rivulet.sql.parallelism", args.threads);
spark.conf.set("rivulet.sql.shuffle.partitions", args.threads);
// BENCH_CONF="key=value,…": more session confs, for experiments (e.g. the partial-aggregation probe's thresholds).
for (const kv of (process.env.BENCH_CONF ?? "").split(",").filter((s) => s.length > 0)) {
  const eq = kv.indexOf("=");
  spark.conf.set(kv.slice(0, eq), kv.slice(eq + 1));
}

let runs = 0;
/** Runs the job over `path` (the log directory, or a glob in it) to completion; checksums the sink's table. */
async function run(path: string, resultHeld = (): void => {}): Promise<Checksum> {
  const logs = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 10).json(path);
  const result = args.job === "headline"
    ? logs.groupBy(col("action"), window(col("time"), "1 hour")).count()
    : logs.groupBy(col("url"), window(col("time"), "1 hour")).agg(count(lit(1)).as("count"), sum(col("bytes")).as("bytes"));
  const name = `bench_${runs++}`;
  const query = result.writeStream.format("memory").queryName(name).outputMode("complete")
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
  resultHeld();
  const rows = await spark.table(name).collect();
  return checksumOf(rows.map((r) => ({
    hour: (r.window as { start: Date }).start.getTime() / 3_600_000,
    count: Number(r.count),
    bytes: args.job === "headline" ? null : Number(r.bytes),
  })));
}

await prepareLogData(args.events);
const dir = logDataDir(args.events);
// Warm-up, not measured: the first trigger's 10 files (access-0000 … access-0009), as every
// engine (engine-run.ts). Not one file, because a batch of one file is decoded on the main
// thread: with threads > 1 it would neither start the worker pool nor warm the workers' JIT.
await run(join(dir, "access-000?.json"));
await timeAndReport("rivulet", args, (resultHeld) => run(dir, resultHeld));
