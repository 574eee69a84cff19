// The README's first example, as a user runs it: plain node, rivulet imported by its name.
// Counts per action and hour into a memory table (availableNow: the files there, then stop),
// with the aggregation's map side in worker threads (they must load the built .js files),
// and the web UI on a free port (its assets must be found next to the built files).
import { Session, col, window } from "rivulet";

const [logsDir] = process.argv.slice(2);
const spark = Session.builder().appName("logs").config("rivulet.ui.port", 0).getOrCreate();
spark.conf.set("rivulet.sql.parallelism", 2);

const logs = spark.readStream.schema("time TIMESTAMP, action STRING").json(logsDir);
const counts = logs.groupBy(col("action"), window(col("time"), "1 hour")).count();
const query = counts.writeStream.outputMode("complete").format("memory").queryName("counts")
  .trigger({ availableNow: true }).start();
await query.awaitTermination();

const rows = await spark.sql("SELECT action, window.start AS hour, count FROM counts ORDER BY hour, action").collect();
const ui = await spark.ui.ready;
const page = await fetch(ui);
const script = await fetch(new URL("/assets/app.js", ui));
await spark.stop();
console.log(JSON.stringify({ rows, ui: { page: page.status, script: script.status, type: script.headers.get("content-type") } }));
