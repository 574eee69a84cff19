/**
 * A selective filter — count the events whose action is "logout" (about 0.8% of them) —
 * over the headline job's JSON-lines web logs, run in one process on the same files by:
 *   1. the loop a user would write by hand (read each file, JSON.parse each line, test, count);
 *   2. rivulet as a streaming query (availableNow, maxFilesPerTrigger 10, complete mode),
 *      where the filter is pushed into the JSON reader, which drops a line as soon as its
 *      action is decoded and fails;
 *   3. rivulet as a batch query, with and without push_filter_into_scan, to show what the
 *      pushdown itself is worth.
 * Each of the four is warmed up alike (one untimed run over the first 10 files, the first
 * trigger's), then timed in BENCH_ROUNDS interleaved rounds (each round runs all four, in
 * order), so that a slow spell of a shared machine does not fall on one of them; the
 * median run of each counts. Prints events/s for each and the ratios.
 *
 *   npx tsx benchmarks/selective-filter.ts                       # 5M events (generated once, cached), 3 rounds
 *   BENCH_EVENTS=1000000 npx tsx benchmarks/selective-filter.ts  # smaller
 *   BENCH_ROUNDS=5 npx tsx benchmarks/selective-filter.ts
 */
import { join } from "node:path";
import { Session, col, count, lit } from "../src/index.ts";
import { forEachParsedLine, logDataDir, prepareLogData } from "./log-data.ts";
import { executeBatch } from "../src/execution/batch-execution.ts";
import { DEFAULT_RULES, optimize } from "../src/optimizer/optimizer.ts";
import { median } from "./bench-stats.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
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

let streamingRuns = 0;
async function rivuletStreaming(path: string): Promise<number> {
  const logs = spark.readStream.schema(DDL).option("maxFilesPerTrigger", 10).json(path);
  const counts = logs.filter(col("action").equalTo(ACTION)).agg(count(lit(1)).alias("n"));
  const name = `bench_selective_${streamingRuns++}`;
  const query = counts.writeStream.format("memory").queryName(name).outputMode("complete")
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = await spark.table(name).collect();
  return rows[0]!.n as number;
}

async function rivuletBatch(path: string, pushdown: boolean): Promise<number> {
  const df = spark.read.schema(DDL).json(path).filter(col("action").equalTo(ACTION)).agg(count(lit(1)).alias("n"));
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

interface Run { readonly count: number; readonly seconds: number; readonly cpu: number }

const files = await prepareLogData(EVENTS);
const first10 = join(dataDir, "access-000?.json"); // the first trigger's files, as benchmarks/engines/rivulet.ts warms up
const paths: readonly { name: string; run: (all: boolean) => Promise<number> }[] = [
  { name: "hand-written JSON.parse + test + count", run: (all) => handWritten(all ? files : files.slice(0, 10)) },
  { name: "rivulet streaming (filter pushed)", run: (all) => rivuletStreaming(all ? dataDir : first10) },
  { name: "rivulet batch (filter pushed)", run: (all) => rivuletBatch(all ? dataDir : first10, true) },
  { name: "rivulet batch (push_filter_into_scan off)", run: (all) => rivuletBatch(all ? dataDir : first10, false) },
];
for (const path of paths) await path.run(false); // warm-up, not measured
const runs: Run[][] = paths.map(() => []);
for (let round = 1; round <= ROUNDS; round++) {
  for (const [i, path] of paths.entries()) {
    const [count, seconds, cpu] = await time(() => path.run(true));
    runs[i]!.push({ count, seconds, cpu });
    process.stderr.write(`round ${round}/${ROUNDS}: ${path.name}: ${seconds.toFixed(2)} s (CPU ${cpu.toFixed(2)} s)\n`);
  }
}
const expected = runs[0]![0]!.count;
if (runs.some((r) => r.some((x) => x.count !== expected))) {
  throw new Error(`counts disagree: ${paths.map((p, i) => `${p.name}: ${runs[i]!.map((x) => x.count).join(", ")}`).join("; ")}`);
}
const [hand, streaming, pushed, unpushed] = runs.map((r) => ({ seconds: median(r.map((x) => x.seconds)), cpu: median(r.map((x) => x.cpu)), every: r.map((x) => x.seconds.toFixed(2)).join(", ") }));
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
console.log(`events: ${fmt(EVENTS)} in ${files.length} files; action = '${ACTION}' matches ${fmt(expected)} (${((100 * expected) / EVENTS).toFixed(2)}%); median of ${ROUNDS} interleaved rounds`);
for (const [i, m] of [hand, streaming, pushed, unpushed].entries()) {
  console.log(`${`${paths[i]!.name}:`.padEnd(44)} ${m!.seconds.toFixed(2)} s, ${fmt(EVENTS / m!.seconds)} events/s (CPU ${m!.cpu.toFixed(2)} s; every run ${m!.every} s)`);
}
console.log(`ratio rivulet streaming / hand-written:   ${(hand!.seconds / streaming!.seconds).toFixed(2)}x wall, ${(hand!.cpu / streaming!.cpu).toFixed(2)}x CPU`);
console.log(`ratio batch pushed / not pushed:          ${(unpushed!.seconds / pushed!.seconds).toFixed(2)}x wall, ${(unpushed!.cpu / pushed!.cpu).toFixed(2)}x CPU`);
