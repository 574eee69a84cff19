/**
 * A word count over JSON files with a checkpoint, as a separate process so that a test can
 * run two at once or SIGKILL one. Usage:
 *   node --import tsx word-count-job.ts <input dir> <checkpoint dir> <output dir> <forever|availableNow>
 * Each batch's complete answer goes to <output dir>/batch-<id>.json (written whole, then
 * renamed). Prints `started <pid>` once the query is started; SIGTERM stops it cleanly;
 * if the query fails, its message goes to stderr and the exit code is 2.
 */
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Session } from "../../../src/index.ts";

const [input, checkpoint, output, mode] = process.argv.slice(2) as [string, string, string, string];
const spark = Session.builder().getOrCreate();
const query = spark.readStream.schema("word STRING").option("maxFilesPerTrigger", 1).json(input)
  .groupBy("word").count()
  .writeStream.outputMode("complete").option("checkpointLocation", checkpoint)
  .foreachBatch(async (df, batchId) => {
    const counts = Object.fromEntries((await df.collect()).map((r) => [r.word, Number(r.count)]));
    const file = join(output, `batch-${batchId}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(counts));
    await rename(`${file}.tmp`, file);
  })
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: 0 })
  .start();
process.stdout.write(`started ${process.pid}\n`);
process.on("SIGTERM", () => {
  void query.stop().then(() => process.exit(0));
});
try {
  await query.awaitTermination();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
