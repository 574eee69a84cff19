/**
 * The access-log URL count with DStreams (the same job as url-counts.ts): the agent pushes
 * lines from the spool directory; the job counts each URL over a 5-minute window sliding
 * every second and prints the counts.
 *
 *   npx tsx examples/flume-access-log/url-counts-dstream.ts   # the job (listens on 41414)
 *   npx tsx src/cli/agent.ts --conf-file examples/flume-access-log/agent.properties --name a1
 *   then move Apache access-log files into /tmp/rivulet-spool
 *
 * `reduceByKeyAndWindow` with an inverse function adds the entering second and subtracts
 * the leaving one, so each slide costs one batch, not five minutes; it needs a checkpoint
 * directory. Delivery: at-least-once from the agent to the receiver (a batch in flight when
 * the agent dies is sent again).
 */
import { FlumeUtils, Session, StreamingContext, parseAccessLog } from "../../src/index.ts";

const session = Session.builder().appName("flume-url-counts-dstream").getOrCreate();
const ssc = new StreamingContext(session, 1);
ssc.checkpoint(process.env.CHECKPOINT_DIR ?? "/tmp/rivulet-url-counts-dstream-checkpoint");

const events = FlumeUtils.createStream(ssc, "127.0.0.1", 41414);

const counts = events
  .flatMap((event) => {
    const url = parseAccessLog(event.body.toString("utf8"))?.url;
    return url === null || url === undefined ? [] : [[url, 1] as [string, number]];
  })
  .reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, 300, 1, { filterFunc: ([, n]) => n > 0 });

counts.print();

const stop = (): void => {
  ssc.stop({ stopGracefully: true }).then(() => process.exit(0), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

ssc.start();
await ssc.awaitTermination();
