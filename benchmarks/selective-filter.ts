/**
 * A selective filter — count the events whose action is "logout" (about 0.8% of them) —
 * over the headline job's JSON-lines web logs, run in one process on the same files by:
 *   1. the loop a user would write by hand (read each file, JSON.parse each line, test, count);
 *   2. rivulet as a streaming query (availableNow, maxFilesPerTrigger 10, complete mode),
 *      where the filter is pushed into the JSON reader, which drops a line as soon as its
 *      action is decoded and fails;
 *   3. rivulet as a batch query, with and without push_filter_into_scan, to show what the
 *      pushdown itself is worth.
 * Prints events/s for each and the ratios.
 *
 *   npx tsx benchmarks/selective-filter.ts                       # 5M events (generated once, cached)
 *   BENCH_EVENTS=1000000 npx tsx benchmarks/selective-filter.ts  # smaller
 */
import { Session, col, count, lit } from "../src/index.ts";
import { forEachParsedLine, logDataDir, prepareLogData } from "./log-data.ts";
import { executeBatch } from "../src/execution/batch-execution.ts";
import { DEFAULT_RULES, optimize } from "../src/optimizer/optimizer.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const ACTION = "logout";
const DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT";
// The same files as benchmarks/streaming-jobs.ts (same parameters, same cache directory).
const dataDir = logDataDir(EVENTS);


/** What a user writes without an engine: JSON.parse per line, test, count. */
async function handWritten(files: string[]): Promise<number> {
  let n = 0;
  await forEachParsedLine<{ action: string }>(files, (event) => { if (event.action === ACTION) n++; });
  return n;
}

const spark = Session.builder().appName("bench-selective").getOrCreate();

async function rivuletStreaming(): Promise<number> {
  const logs = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 10).json(dataDir);
  const counts = logs.filter(col("action").equalTo(ACTION)).agg(count(lit(1)).alias("n"));
  const query = counts.writeStream.format("memory").queryName("bench_selective").outputMode("complete")
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = await spark.table("bench_selective").collect();
  return rows[0]!.n as number;
}

async function rivuletBatch(pushdown: boolean): Promise<number> {
  const df = spark.read.schema(DDL).json(dataDir).filter(col("action").equalTo(ACTION)).agg(count(lit(1)).alias("n"));
  const rules = pushdown ? DEFAULT_RULES : DEFAULT_RULES.filter((r) => r.name !== "push_filter_into_scan");
  const result = await executeBatch(optimize(df.plan, rules).plan, spark.conf);
  return result.columns[0]!.kind === "num" ? result.columns[0]!.values[0]! : NaN;
}

/** The result, wall-clock seconds and CPU seconds (user + system, all threads: steadier than wall time on a busy machine). */
async function time<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await f();
  const c = process.cpuUsage(c0);
  return [result, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

const files = await prepareLogData(EVENTS);
// Warm the hand-written loop once on a single file so that JIT compilation is not measured.
await handWritten(files.slice(0, 1));
const [expected, handSeconds, handCpu] = await time(() => handWritten(files));
const [streamed, streamSeconds, streamCpu] = await time(rivuletStreaming);
const [pushed, pushedSeconds, pushedCpu] = await time(() => rivuletBatch(true));
const [unpushed, unpushedSeconds, unpushedCpu] = await time(() => rivuletBatch(false));
if (streamed !== expected || pushed !== expected || unpushed !== expected) {
  throw new Error(`counts disagree: hand-written ${expected}, streaming ${streamed}, batch ${pushed} / ${unpushed} without pushdown`);
}
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const line = (what: string, s: number, cpu: number): string =>
  `${what.padEnd(42)} ${s.toFixed(2)} s, ${fmt(EVENTS / s)} events/s (CPU ${cpu.toFixed(2)} s)`;
console.log(`events: ${fmt(EVENTS)} in ${files.length} files; action = '${ACTION}' matches ${fmt(expected)} (${((100 * expected) / EVENTS).toFixed(2)}%)`);
console.log(line("hand-written JSON.parse + test + count:", handSeconds, handCpu));
console.log(line("rivulet streaming (filter pushed):", streamSeconds, streamCpu));
console.log(line("rivulet batch (filter pushed):", pushedSeconds, pushedCpu));
console.log(line("rivulet batch (push_filter_into_scan off):", unpushedSeconds, unpushedCpu));
console.log(`ratio rivulet streaming / hand-written:   ${(handSeconds / streamSeconds).toFixed(2)}x wall, ${(handCpu / streamCpu).toFixed(2)}x CPU`);
console.log(`ratio batch pushed / not pushed:          ${(unpushedSeconds / pushedSeconds).toFixed(2)}x wall, ${(unpushedCpu / pushedCpu).toFixed(2)}x CPU`);
