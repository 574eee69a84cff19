/**
 * A job copying a Redis stream to another through the Redis sink (at most 7 entries a
 * batch), as a separate process so that the crash test can SIGKILL it anywhere. Usage:
 *   node --import tsx redis-bus-job.ts <url> <input key> <checkpoint dir> <forever|availableNow> <output key>
 */
import { Session } from "../../../src/index.ts";

const [url, input, checkpoint, mode, output] = process.argv.slice(2) as [string, string, string, string, string];
const spark = Session.builder().getOrCreate();
const query = spark.readStream.format("redis").option("url", url).option("stream", input)
  .option("startingOffsets", "earliest").option("maxEntriesPerTrigger", 7).load()
  .selectExpr("id AS source_id", "element_at(fields, 'n') AS n")
  .writeStream.format("redis").option("url", url).option("stream", output).option("checkpointLocation", checkpoint)
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: "20 milliseconds" })
  .start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
