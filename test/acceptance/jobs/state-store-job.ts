/**
 * A dedup or a count per key over JSON files, one file a batch, with a chosen state store
 * provider, as a separate process so that a test can SIGKILL it. Usage:
 *   node --import tsx state-store-job.ts <dedup|count> <input dir> <checkpoint dir> <output dir> <provider> [crash-at-batch]
 * Each batch's rows go to <output>/batch-<id>.json (a re-run overwrites). With
 * `crash-at-batch` N the process SIGKILLs itself when the sink has taken batch N: its state
 * version is committed, its commit log entry is not.
 */
import { writeFile } from "node:fs/promises";
import { Session, col } from "../../../src/index.ts";

const [kind, input, checkpoint, output, provider, crash] = process.argv.slice(2) as [string, string, string, string, string, string?];
const spark = Session.builder().config("rivulet.sql.streaming.stateStore.provider", provider)
  .config("rivulet.sql.streaming.stateStore.memoryBudget", process.env.RIVULET_TEST_STATE_MEMORY_BUDGET ?? "256m")
  .getOrCreate();
const rows = spark.readStream.schema("id STRING, n INT").option("maxFilesPerTrigger", 1).json(input);
const df = kind === "dedup" ? rows.dropDuplicates("id") : rows.groupBy(col("id")).count();
const query = df.writeStream.outputMode(kind === "dedup" ? "append" : "update")
  .option("checkpointLocation", checkpoint)
  .foreachBatch(async (batch, batchId) => {
    const out = await batch.collect();
    await writeFile(`${output}/batch-${batchId}.json`, out.map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? Number(v) : v))).join("\n"));
    if (crash !== undefined && batchId === Number(crash)) process.kill(process.pid, "SIGKILL");
  })
  .trigger({ availableNow: true })
  .start();
await query.awaitTermination();
