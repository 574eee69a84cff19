/**
 * The guide's late-data example over JSON files, keeping late rows, as a separate process
 * so that a test can SIGKILL it. Usage:
 *   node --import tsx late-rows-job.ts <input dir> <checkpoint dir> <late dir> <output dir> [crash-after-sink]
 * With `crash-after-sink` the process SIGKILLs itself right after the sink took the first
 * batch that dropped late rows, before the executor writes commits/<batchId>.
 */
import { Session, col, window } from "../../../src/index.ts";

const [input, checkpoint, late, output, crash] = process.argv.slice(2) as [string, string, string, string, string?];
const spark = Session.builder().getOrCreate();
const words = spark.readStream.schema("word STRING, timestamp TIMESTAMP").option("maxFilesPerTrigger", 1).json(input);
const counts = words.withWatermark("timestamp", "10 minutes")
  .groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")).count();
const query = counts.writeStream.outputMode("update")
  .option("checkpointLocation", checkpoint).option("lateRows.path", late)
  .foreachBatch(async (df, batchId) => {
    const { writeFile } = await import("node:fs/promises");
    const rows = await df.collect();
    await writeFile(`${output}/batch-${batchId}.json`, rows.map((r) => JSON.stringify(r)).join("\n"));
    const { readdir } = await import("node:fs/promises");
    if (crash === "crash-after-sink" && (await readdir(late)).includes(`batch-${batchId}.json`)) process.kill(process.pid, "SIGKILL");
  })
  .trigger({ availableNow: true })
  .start();
await query.awaitTermination();
