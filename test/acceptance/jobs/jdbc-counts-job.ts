/**
 * The headline job writing to MySQL through the JDBC sink, as a separate process so that
 * the crash test can SIGKILL it anywhere. Usage:
 *   node --import tsx jdbc-counts-job.ts <input dir> <checkpoint dir> <table> <url> <forever|availableNow> <update|append> [crash-after-sink]
 * With `crash-after-sink` the process SIGKILLs itself right after the sink's first
 * transaction of this run committed, before the executor writes commits/<batchId>.
 * Append mode counts with a 30-minute watermark.
 */
import { JdbcSink } from "../../../src/connectors/jdbc/jdbc-sink.ts";
import { Session, col, window } from "../../../src/index.ts";

const [input, checkpoint, table, url, mode, outputMode, crash] = process.argv.slice(2) as [string, string, string, string, string, string, string?];
if (crash === "crash-after-sink") {
  const addBatch = JdbcSink.prototype.addBatch;
  JdbcSink.prototype.addBatch = async function (this: JdbcSink, ...args: Parameters<JdbcSink["addBatch"]>) {
    await addBatch.apply(this, args);
    if (this.lastBatchRows > 0) process.kill(process.pid, "SIGKILL");
  };
}
const spark = Session.builder().getOrCreate();
const events = spark.readStream.schema("time TIMESTAMP, action STRING").option("maxFilesPerTrigger", 1).json(input);
const counts = (outputMode === "append" ? events.withWatermark("time", "30 minutes") : events)
  .groupBy(window(col("time"), "1 hour"), col("action")).count();
const query = counts.writeStream.outputMode(outputMode).format("jdbc")
  .option("dbtable", table).option("checkpointLocation", checkpoint)
  .trigger(mode === "availableNow" ? { availableNow: true } : { processingTime: "20 milliseconds" })
  .start(url);
await query.awaitTermination();
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
