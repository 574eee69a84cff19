/**
 * The access-log URL count: the agent pushes lines from the spool directory; the job
 * counts each URL over a 5-minute window sliding every second and prints the counts.
 *
 *   npx tsx examples/flume-access-log/url-counts.ts        # the job (listens on 41414)
 *   npx tsx src/cli/agent.ts --conf-file examples/flume-access-log/agent.properties --name a1
 *   then move Apache access-log files into /tmp/rivulet-spool
 *
 * Delivery: the agent and the receiver give at-least-once (a batch in flight when the
 * agent dies is sent again); the job is exactly-once from its checkpoint on.
 */
import { Session, col, expr, window } from "../../src/index.ts";

const spark = Session.builder().appName("flume-url-counts").getOrCreate();

const urls = spark.readStream.format("flume")
  .option("host", "127.0.0.1").option("port", "41414")
  .load()
  .select(expr("parse_access_log(cast(body as string))").as("log"), col("timestamp"))
  .where(col("log").isNotNull())
  .select(col("log.url").as("url"), col("timestamp"));

const query = urls
  .groupBy(window(col("timestamp"), "5 minutes", "1 second"), col("url"))
  .count()
  .writeStream.format("console").outputMode("complete")
  .option("checkpointLocation", "/tmp/rivulet-url-counts-checkpoint")
  .option("truncate", "false")
  .trigger({ processingTime: "1 second" })
  .start();

await query.awaitTermination();
