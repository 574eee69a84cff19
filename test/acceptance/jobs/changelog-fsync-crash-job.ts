/**
 * dropDuplicates("id") over JSON files, one file a batch (availableNow), with the disk state
 * provider (a manifest every 2 versions) into foreachBatch, in its own process so that a test
 * can kill it while a state changelog's fsync is in flight. Usage:
 *   node --import tsx changelog-fsync-crash-job.ts <input> <checkpoint> <output> [point…]
 * Points, on the changelog of state version V (`<V>.changelog`, written by batch V-1):
 *   `hold-sync:<V>:<ms>`  its fsync is delayed (the executor goes on meanwhile);
 *   `kill-in-sync:<V>`     the process SIGKILLs itself in its fsync (the bytes written, not synced);
 *   `fail-sync:<V>`        its fsync fails with EIO;
 * and `sink:<batch id>`: SIGKILLed in foreachBatch once the batch's rows are written.
 * foreachBatch writes batch <id>'s rows to <output>/batch-<id>.json (a re-run overwrites) and,
 * when `hold-sync:<id+1>` is given, exits 5 if that fsync had ended before the sink got the
 * batch (the sink should run while it is in flight). A failed query exits 1 with its message
 * in <output>/error.txt.
 */
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

const [input, checkpoint, output, ...points] = process.argv.slice(2) as [string, string, string, ...string[]];
const pointsOf = (kind: string): string[][] => points.map((p) => p.split(":")).filter((p) => p[0] === kind);
const versionOf = (path: string): number | null => {
  const m = /[\\/](\d+)\.changelog$/.exec(path);
  return m === null ? null : Number(m[1]);
};
/** Versions whose changelog fsync has returned. */
const synced = new Set<number>();

const originalOpen = fsp.open;
const patchedOpen = async (...args: Parameters<typeof fsp.open>): Promise<fsp.FileHandle> => {
  const handle = await originalOpen(...args);
  const version = versionOf(String(args[0]));
  if (version === null) return handle;
  const sync = handle.sync.bind(handle);
  const at = (kind: string) => pointsOf(kind).find((p) => Number(p[1]) === version);
  handle.sync = async () => {
    const hold = at("hold-sync");
    if (hold !== undefined) await new Promise((resolve) => setTimeout(resolve, Number(hold[2])));
    if (at("kill-in-sync") !== undefined) process.kill(process.pid, "SIGKILL");
    if (at("fail-sync") !== undefined) throw Object.assign(new Error(`EIO: i/o error, fsync (changelog ${version})`), { code: "EIO" });
    await sync();
    synced.add(version);
  };
  return handle;
};
(fsp as { open: unknown }).open = patchedOpen;
// Modules importing node:fs/promises (durable-write.ts) see the patched function.
syncBuiltinESMExports();

const { Session } = await import("../../../src/index.ts");
const spark = Session.builder()
  .config("rivulet.sql.streaming.stateStore.provider", "rocksdb")
  .config("spark.sql.streaming.stateStore.minDeltasForSnapshot", "2")
  .getOrCreate();
const rows = spark.readStream.schema("id STRING, n INT").option("maxFilesPerTrigger", 1).json(input).dropDuplicates("id");
const query = rows.writeStream.outputMode("append").option("checkpointLocation", checkpoint).trigger({ availableNow: true })
  .foreachBatch(async (batch, batchId) => {
    const held = pointsOf("hold-sync").some((p) => Number(p[1]) === batchId + 1);
    if (held && synced.has(batchId + 1)) {
      process.stderr.write(`the sink got batch ${batchId} only after ${batchId + 1}.changelog was fsynced\n`);
      process.exit(5);
    }
    const out = await batch.collect();
    await writeFile(join(output, `batch-${batchId}.json`), out.map((r) => JSON.stringify(r)).join("\n"));
    if (points.includes(`sink:${batchId}`)) process.kill(process.pid, "SIGKILL");
  }).start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  await writeFile(join(output, "error.txt"), query.exception.message);
  process.exit(1);
}
