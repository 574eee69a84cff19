import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, col, window } from "../index.ts";
import { generateSampleLogs } from "./sample-logs.ts";

/**
 * The headline job on generated web logs: counts of each action per hour, kept up to date
 * micro-batch by micro-batch as log files arrive, printed to the console.
 */
async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "rivulet-demo-"));
  const logs = join(dir, "logs");
  const files = Number(process.env.DEMO_FILES ?? 6);
  await generateSampleLogs(logs, { events: 12_000, hours: 6, files: 1, seed: 1 });
  process.stderr.write(`rivulet demo: sample web logs in ${logs}; a new file arrives every second\n`);

  const spark = Session.builder().appName("logs").getOrCreate();
  const events = spark.readStream.schema("time TIMESTAMP, action STRING").json(logs);
  const counts = events.groupBy(col("action"), window(col("time"), "1 hour")).count();
  // Newest hours first, so that each batch shows what just changed.
  const query = counts.orderBy(col("window").desc(), col("count").desc())
    .writeStream.outputMode("complete").format("console").option("truncate", false).option("numRows", 16)
    .trigger({ processingTime: "1 second" }).start();

  // New log files arrive while the query runs, as from a web server rotating its logs.
  for (let i = 1; i < files; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    await generateSampleLogs(join(dir, `incoming-${i}`), { events: 12_000, hours: 6, files: 1, seed: 1 + i, start: new Date(Date.UTC(2026, 0, 1, 6 * i)) });
    const { rename } = await import("node:fs/promises");
    await rename(join(dir, `incoming-${i}`, "access-0000.json"), join(logs, `access-${String(i).padStart(4, "0")}.json`));
  }
  await query.processAllAvailable();
  await query.stop();
  const p = query.lastProgress;
  process.stderr.write(`rivulet demo: ${p.batchId + 1} batches, state rows ${p.stateOperators[0]?.numRowsTotal}\n`);
  await rm(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
