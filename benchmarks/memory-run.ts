/**
 * Resident memory of a long watermarked run of the headline job: 50 million events (by
 * default) streamed file by file through `groupBy(action, window(time, "1 hour")).count()`
 * with a 10-minute watermark in update mode, state checkpointed. State is bounded by the
 * live windows (the watermark evicts closed ones) and each batch's input is released once
 * it is aggregated, so resident memory should stay flat after warm-up. Prints RSS and heap
 * after the batches that cross 10%, 50% and 100% of the input (and every 10% on the way);
 * with `--expose-gc` a full collection runs first, so that "heap used" is what is live
 * rather than garbage not yet collected.
 *
 *   npx tsx benchmarks/memory-run.ts                      # 50M events (generated once, ~5 GB)
 *   npx tsc -p tsconfig.bench.json && node --expose-gc .bench-build/benchmarks/memory-run.js
 *   BENCH_EVENTS=5000000 npx tsx benchmarks/memory-run.ts
 *   BENCH_THREADS=2 npx tsx benchmarks/memory-run.ts      # map side in two worker threads
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, col, window } from "../src/index.ts";
import { logDataDir, prepareLogData } from "./log-data.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000_000);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);

const files = await prepareLogData(EVENTS);
const spark = Session.builder().appName("memory-run").getOrCreate();
spark.conf.set("rivulet.sql.parallelism", THREADS);
const checkpoint = await mkdtemp(join(tmpdir(), "rivulet-memory-run-"));
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const counts = spark.readStream
  .schema("time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT")
  .option("maxFilesPerTrigger", 2)
  .json(logDataDir(EVENTS))
  .withWatermark("time", "10 minutes")
  .groupBy(col("action"), window(col("time"), "1 hour"))
  .count();

let read = 0;
let nextMark = 0.1;
const rows: string[] = [];
const started = performance.now();
const query = counts.writeStream.format("memory").queryName("memory_run").outputMode("update")
  .option("checkpointLocation", checkpoint).trigger({ availableNow: true }).start();
spark.streams.addListener({
  onQueryProgress(event) {
    read += event.progress.numInputRows;
    while (read >= nextMark * EVENTS - 1 && nextMark <= 1.0001) {
      (globalThis as { gc?: () => void }).gc?.(); // live memory only (node --expose-gc)
      const m = process.memoryUsage();
      const state = event.progress.stateOperators[0];
      rows.push(`| ${Math.round(nextMark * 100)}% | ${read.toLocaleString("en-US")} | ${mib(m.rss)} | ${mib(m.heapUsed)} | ${mib(m.external + m.arrayBuffers)} | ${state?.numRowsTotal ?? 0} | ${((performance.now() - started) / 1000).toFixed(0)} s |`);
      nextMark = Math.round((nextMark + 0.1) * 10) / 10;
    }
  },
});
await query.awaitTermination();
console.log(`${EVENTS.toLocaleString("en-US")} events in ${files.length} files, ${THREADS} thread(s), Node ${process.version}`);
console.log("| input read | events | RSS | heap used | external + array buffers | groups in state | elapsed |\n|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
await rm(checkpoint, { recursive: true, force: true });
