/**
 * A windowed count per id in append mode (watermark 5 seconds, windows of 20 seconds) over
 * JSON files, one file a batch, with a chosen state store provider, as a separate process so
 * that a test can SIGKILL it. Usage:
 *   node --import tsx stored-aggregation-job.ts <input dir> <checkpoint dir> <output dir> <provider> [crash-at-batch]
 * Each batch's rows go to <output>/batch-<id>.json (a re-run overwrites). With
 * `crash-at-batch` N the process SIGKILLs itself when the sink has taken batch N: its state
 * version is committed, its commit log entry is not.
 */
import { writeFile } from "node:fs/promises";
import { Session, col, count, lit, sum, window } from "../../../src/index.ts";

const [input, checkpoint, output, provider, crash] = process.argv.slice(2) as [string, string, string, string, string?];
const spark = Session.builder().config("rivulet.sql.streaming.stateStore.provider", provider)
  .config("rivulet.sql.streaming.stateStore.memoryBudget", process.env.RIVULET_TEST_STATE_MEMORY_BUDGET ?? "256m")
  .getOrCreate();
const query = spark.readStream.schema("id STRING, n INT, time TIMESTAMP").option("maxFilesPerTrigger", 1).json(input)
  .withWatermark("time", "5 seconds")
  .groupBy(col("id"), window(col("time"), "20 seconds")).agg(count(lit(1)).as("count"), sum(col("n")).as("total"))
  .select(col("id"), col("window.start").as("start"), col("count"), col("total"))
  .writeStream.outputMode("append")
  .option("checkpointLocation", checkpoint)
  .foreachBatch(async (batch, batchId) => {
    const out = await batch.collect();
    await writeFile(`${output}/batch-${batchId}.json`, out.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? Number(v) : v))).join("\n"));
    if (crash !== undefined && batchId === Number(crash)) process.kill(process.pid, "SIGKILL");
  })
  .trigger({ availableNow: true })
  .start();
await query.awaitTermination();
