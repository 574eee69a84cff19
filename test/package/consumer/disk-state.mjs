// Streaming state on disk in an installed rivulet: Spark's RocksDBStateStoreProvider class
// name selects the disk-backed store (rivulet's own log-structured engine: no native
// binary needed). Deduplicates users across a restart.
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "rivulet";

const [logsDir] = process.argv.slice(2);
const checkpoint = await mkdtemp(join(tmpdir(), "rivulet-consumer-state-"));
const spark = Session.builder().appName("disk-state")
  .config("spark.sql.streaming.stateStore.providerClass", "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
  .getOrCreate();
const users = [];
for (let run = 0; run < 2; run++) {
  const query = spark.readStream.schema("time TIMESTAMP, action STRING, user STRING").option("maxFilesPerTrigger", 1).json(logsDir)
    .dropDuplicates("user").writeStream.option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => { for (const r of await df.collect()) users.push(r.user); })
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
}
const stateFiles = await readdir(join(checkpoint, "state", "0", "0"));
await spark.stop();
console.log(JSON.stringify({ users: users.sort(), changelogs: stateFiles.filter((f) => f.endsWith(".changelog")).length }));
