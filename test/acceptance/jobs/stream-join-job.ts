/**
 * Spark's ad-monetization example as a job in its own process, so that a test can SIGKILL it:
 * impressions left-outer-joined with clicks within 20 minutes, from two JSON-file streams
 * (one file of each a batch), into a JSON file sink. Usage:
 *   node --import tsx stream-join-job.ts <impressions dir> <clicks dir> <checkpoint dir> <output dir> <forever|availableNow> [joinType] [provider] [memoryBudget]
 * (joinType: leftOuter by default; provider: rivulet.sql.streaming.stateStore.provider, memoryBudget its memory budget).
 */
import { Session, expr } from "../../../src/index.ts";

const [impressionsDir, clicksDir, checkpoint, output, mode, joinType = "leftOuter", provider, budget] =
  process.argv.slice(2) as [string, string, string, string, string, string?, string?, string?];
const spark = Session.builder().getOrCreate();
if (provider !== undefined) spark.conf.set("rivulet.sql.streaming.stateStore.provider", provider);
if (budget !== undefined) spark.conf.set("rivulet.sql.streaming.stateStore.memoryBudget", budget);
const impressions = spark.readStream.schema("impressionAdId INT, impressionTime TIMESTAMP").option("maxFilesPerTrigger", 1)
  .json(impressionsDir).withWatermark("impressionTime", "10 minutes");
const clicks = spark.readStream.schema("clickAdId INT, clickTime TIMESTAMP").option("maxFilesPerTrigger", 1)
  .json(clicksDir).withWatermark("clickTime", "10 minutes");
const joined = impressions.join(clicks,
  expr("clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 20 minutes"), joinType);
const query = joined.writeStream.format("json").option("path", output).option("checkpointLocation", checkpoint)
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: "30 milliseconds" })
  .start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
