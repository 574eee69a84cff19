/**
 * A job reading a JetStream stream (at most 7 messages a batch), as a separate process so
 * that the crash tests can SIGKILL it anywhere. Usage:
 *   node --import tsx nats-bus-job.ts <servers> <stream> <checkpoint dir> <forever|availableNow> <json:<dir>|nats:<subject>>
 * `json:<dir>` writes subject, text and sequence as JSON files; `nats:<subject>` publishes
 * `<source sequence>:<text>` to another stream through the NATS sink.
 */
import { Session } from "../../../src/index.ts";

const [servers, stream, checkpoint, mode, target] = process.argv.slice(2) as [string, string, string, string, string];
const spark = Session.builder().getOrCreate();
const messages = spark.readStream.format("nats").option("servers", servers).option("stream", stream)
  .option("startingOffsets", "earliest").option("maxMessagesPerTrigger", 7).load();
const [kind, where] = [target.slice(0, target.indexOf(":")), target.slice(target.indexOf(":") + 1)];
const writer = kind === "json"
  ? messages.selectExpr("subject", "CAST(value AS STRING) AS text", "sequence").writeStream.format("json").option("path", where)
  : messages.selectExpr("concat(CAST(sequence AS STRING), ':', CAST(value AS STRING)) AS value").writeStream.format("nats")
    .option("servers", servers).option("subject", where);
const query = writer.option("checkpointLocation", checkpoint)
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: "20 milliseconds" })
  .start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
