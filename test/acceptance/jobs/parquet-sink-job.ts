/**
 * A job writing JSON-file input into a Parquet file sink, in its own process so that a test
 * can SIGKILL it mid-batch. Usage:
 *   node --import tsx parquet-sink-job.ts <input dir> <checkpoint dir> <output dir> <forever|availableNow>
 * One input file a batch (maxFilesPerTrigger 1).
 */
import { Session } from "../../../src/index.ts";

const [input, checkpoint, output, mode] = process.argv.slice(2) as [string, string, string, string];
const spark = Session.builder().getOrCreate();
const query = spark.readStream.schema("id BIGINT, tag STRING").option("maxFilesPerTrigger", 1).json(input)
  .writeStream.format("parquet").option("path", output).option("checkpointLocation", checkpoint)
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: 0 })
  .start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
