/**
 * Count, sum(bytes) and sum(ms) (a DOUBLE) per url per 1-hour window over JSON files, four
 * files a batch (or `files-per-trigger`), complete mode, with rivulet.sql.parallelism = <threads> (this thread folds
 * some files, a worker partially aggregates the others), as a separate process so that a
 * test can SIGKILL it. Usage:
 *   node --import tsx parallel-aggregation-job.ts <input dir> <checkpoint dir> <output dir> <threads> [crash-at-batch|none] [files-per-trigger] [probe-rows]
 * Each batch's rows go to <output>/batch-<id>.json (a re-run overwrites). With
 * `crash-at-batch` N the process SIGKILLs itself when the sink has taken batch N: its state
 * version is committed, its commit log entry is not. `probe-rows` sets
 * rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold (how many rows of a batch
 * two threads count before deciding whether partial aggregation reduces).
 */
import { writeFile } from "node:fs/promises";
import { Session, col, count, lit, sum, window } from "../../../src/index.ts";

const [input, checkpoint, output, threads, crashArg, filesPerTrigger = "4", probeRows] = process.argv.slice(2) as [string, string, string, string, string?, string?, string?];
const crash = crashArg === "none" ? undefined : crashArg;
const builder = Session.builder().config("rivulet.sql.parallelism", threads).config("rivulet.sql.shuffle.partitions", threads);
if (probeRows !== undefined) builder.config("rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold", probeRows);
const spark = builder.getOrCreate();
const query = spark.readStream.schema("time TIMESTAMP, url STRING, bytes BIGINT, ms DOUBLE").option("maxFilesPerTrigger", Number(filesPerTrigger)).json(input)
  .groupBy(col("url"), window(col("time"), "1 hour"))
  .agg(count(lit(1)).as("n"), sum(col("bytes")).as("bytes"), sum(col("ms")).as("ms"))
  .writeStream.outputMode("complete")
  .option("checkpointLocation", checkpoint)
  .foreachBatch(async (batch, batchId) => {
    const rows = (await batch.collect()).map((r) => ({ url: r.url, start: (r.window as { start: Date }).start.toISOString(), n: Number(r.n), bytes: Number(r.bytes), ms: r.ms }));
    rows.sort((a, b) => (a.url + a.start < b.url + b.start ? -1 : 1));
    await writeFile(`${output}/batch-${batchId}.json`, JSON.stringify({ plan: query.explainString(), rows }));
    if (crash !== undefined && batchId === Number(crash)) process.kill(process.pid, "SIGKILL");
  })
  .trigger({ availableNow: true })
  .start();
await query.awaitTermination();
