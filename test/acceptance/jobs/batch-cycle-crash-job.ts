/**
 * dropDuplicates("id") over JSON files, one file a batch (availableNow), into a foreachBatch
 * or a JSON file sink, in its own process so that a test can kill it at a chosen point of
 * the batch cycle. Usage:
 *   node --import tsx batch-cycle-crash-job.ts <foreachBatch|file> <input> <checkpoint> <output> [point…]
 * A point is `<before|after>:<link|rename>:<path end>` — the process SIGKILLs itself just
 * before (or just after) a file whose path ends so is linked or renamed into place: the
 * checkpoint's logs are linked (offsets/N, commits/N), the file source's log and the file
 * sink's are renamed (sources/0/N, _spark_metadata/N) — or `hold:<link|rename>:<path end>:<ms>`,
 * which delays that step (another step of the cycle then surely goes first), or
 * `sink:<batch id>` / `sink-before:<batch id>`: killed in foreachBatch once the batch's rows
 * are written / 300 ms into the call, before they are (a slow sink: anything the executor
 * would wrongly do meanwhile is done by then). foreachBatch writes batch <id>'s rows to
 * <output>/batch-<id>.json (a re-run overwrites), and checks that when a sink gets batch N,
 * offsets/N, the file source's entry N (one file a batch) and commits/N-1 are on disk (exit 3 otherwise), and when the query has ended, the
 * last batch's commit (exit 4 otherwise).
 */
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

const [sink, input, checkpoint, output, ...points] = process.argv.slice(2) as [string, string, string, string, ...string[]];

type Step = "link" | "rename";
const originals = { link: fsp.link, rename: fsp.rename };
for (const step of ["link", "rename"] as const) {
  const mine = points.map((p) => p.split(":")).filter((p) => p[1] === step);
  if (mine.length === 0) continue;
  const original = originals[step];
  const patched = async (from: string, to: string): Promise<void> => {
    const point = (when: string) => mine.find((p) => p[0] === when && to.endsWith(p[2]!));
    const hold = point("hold");
    if (hold !== undefined) await new Promise((resolve) => setTimeout(resolve, Number(hold[3])));
    if (point("before") !== undefined) process.kill(process.pid, "SIGKILL");
    await original(from, to);
    if (point("after") !== undefined) process.kill(process.pid, "SIGKILL");
  };
  (fsp as Record<Step, unknown>)[step] = patched;
}
// Modules importing node:fs/promises (the checkpoint's logs) see the patched functions.
syncBuiltinESMExports();

const crashInSink = (when: string, batchId: number): void => {
  if (points.includes(`${when}:${batchId}`)) process.kill(process.pid, "SIGKILL");
};
const { Session } = await import("../../../src/index.ts");
const spark = Session.builder().getOrCreate();
const rows = spark.readStream.schema("id STRING, n INT").option("maxFilesPerTrigger", 1).json(input).dropDuplicates("id");
const writer = rows.writeStream.outputMode("append").option("checkpointLocation", checkpoint).trigger({ availableNow: true });
const query = sink === "file"
  ? writer.format("json").option("path", output).start()
  : writer.foreachBatch(async (batch, batchId) => {
    const entry = join(checkpoint, "sources", "0", String(batchId));
    for (const logged of [join(checkpoint, "offsets", String(batchId)), entry, ...(batchId > 0 ? [join(checkpoint, "commits", String(batchId - 1))] : [])]) {
      if (existsSync(logged) || (logged === entry && existsSync(`${entry}.compact`))) continue;
      process.stderr.write(`the sink got batch ${batchId} before ${logged} was written\n`);
      process.exit(3);
    }
    if (points.includes(`sink-before:${batchId}`)) await new Promise((resolve) => setTimeout(resolve, 300));
    crashInSink("sink-before", batchId);
    const out = await batch.collect();
    await writeFile(`${output}/batch-${batchId}.json`, out.map((r) => JSON.stringify(r)).join("\n"));
    crashInSink("sink", batchId);
  }).start();
await query.awaitTermination().catch(() => {});
if (query.exception) {
  process.stderr.write(`${query.exception.message}\n`);
  process.exit(1);
}
// The query ended: its last batch's commit is on disk already, not still being written.
const batches = (await fsp.readdir(join(checkpoint, "offsets"))).filter((n) => /^\d+$/.test(n)).map(Number);
if (batches.length > 0 && !existsSync(join(checkpoint, "commits", String(Math.max(...batches))))) {
  process.stderr.write(`the query ended before commits/${Math.max(...batches)} was written\n`);
  process.exit(4);
}
