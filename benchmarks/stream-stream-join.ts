/**
 * A stream–stream join of ROWS × ROWS rows with state eviction: impressions and clicks
 * (one click per impression, 5 s after it), left-outer-joined on the ad id within 20 s,
 * both sides watermarked 10 s, fed from MemoryStreams in batches of BATCH rows a side.
 * The state watermark the range condition gives keeps each side's state to the rows of
 * the last ~30 s of event time, whatever ROWS is: the run reports the state's peak.
 *
 * Baseline in the same run: a hand-written loop that does the same join (a Map per side,
 * same eviction rule) on the same rows, to show the engine's overhead over plain JS. The
 * two run interleaved (loop, engine, loop, engine, …; BENCH_ROUNDS rounds after one untimed
 * warm-up round of each at a tenth of the rows) and the medians are compared, so that a
 * shared machine's load falls on both alike.
 *
 * Each round's CPU seconds (process.cpuUsage: the commit's file writes and any worker thread
 * included) and the peak RSS sampled after each batch are reported alongside wall time.
 *
 * BENCH_PROVIDER picks the state store (rivulet.sql.streaming.stateStore.provider; default
 * file), BENCH_BUDGET its memory budget (rivulet.sql.streaming.stateStore.memoryBudget, e.g.
 * 16m), BENCH_RATE the impressions per event-time second (default 1000; the state holds ~145
 * seconds' worth of rows, so 10000 makes it ~1.45M rows).
 *
 * BENCH_LAG=k feeds each impression's click k batches after it (default 0: in the same
 * batch), as clicks that arrive later: a match then finds its impression buffered by an
 * earlier batch and marks it matched in the state.
 *
 * BENCH_ONLY=engine runs the engine alone (no loop in the process), for its peak RSS.
 * BENCH_TRACE=1 prints each batch of the timed engine rounds (CPU ms, run files, merging).
 *
 * Each engine round also prints its batches by quarter of the run: the CPU ms and wall ms a
 * batch (process.cpuUsage around processAllAvailable: input generation excluded) and the
 * state's rows at the quarter's end, to show whether a batch's cost follows the state's size
 * (it fills in the first ~55 s of event time, then stays: compare BENCH_RATE values too).
 *
 *   npx tsx benchmarks/stream-stream-join.ts
 *   BENCH_ROWS=200000 BENCH_BATCH=20000 BENCH_ROUNDS=5 npx tsx benchmarks/stream-stream-join.ts
 *   BENCH_PROVIDER=rocksdb BENCH_BUDGET=16m BENCH_RATE=10000 BENCH_ROWS=2000000 npx tsx benchmarks/stream-stream-join.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, expr } from "../src/index.ts";
import { MemoryStream } from "../src/testing/index.ts";
import { median } from "./bench-stats.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROVIDER = process.env.BENCH_PROVIDER ?? "file";
const BUDGET = process.env.BENCH_BUDGET;
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const ENGINE_ONLY = process.env.BENCH_ONLY === "engine";
const LAG = Number(process.env.BENCH_LAG ?? 0);
/** BENCH_TRACE=1 prints each timed engine batch's cost and disk metrics. */
const TRACE = process.env.BENCH_TRACE === "1";
/** The clicks batch `from` (its first impression) carries: those of the impressions LAG batches back. */
const clickRange = (from: number, n: number, rows: number): [number, number] => {
  const start = Math.max(0, from - LAG * BATCH);
  return [start, Math.max(start, Math.min(rows, from - LAG * BATCH + n))];
};
/** Event time in µs of impression i: RATE impressions per event-time second. */
const impressionMicros = (i: number): number => Math.floor((i * 1_000_000) / RATE);
const impression = (i: number) => ({ impressionAdId: i, impressionTime: new Date(impressionMicros(i) / 1000) });
const click = (i: number) => ({ clickAdId: i, clickTime: new Date(impressionMicros(i) / 1000 + 5000) });

/** Custom metrics that are sizes at a commit (kept from the last progress of a batch), not counts since the last commit (summed). */
const SIZES = new Set(["rocksdbSstFileSize", "stateMemoryUsedBytes", "stateRunFiles", "stateRunRewriting"]);
const cpuSeconds = (since: NodeJS.CpuUsage): number => { const u = process.cpuUsage(since); return (u.user + u.system) / 1e6; };
let peakRss = 0;
const sampleRss = (): void => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); };

/**
 * One batch of an engine run: CPU and wall ms of processAllAvailable, and the state's rows after it; with the disk
 * provider, its run files' bytes after it and the absent keys its filter of the runs' keys let through.
 */
interface BatchCost { cpuMs: number; wallMs: number; stateRows: number; runBytes: number; keyFilterMaybe: number; metrics: Record<string, number> }
interface Run { ms: number; cpu: number; rows: number; peakState: number; peakRss: number; batches: BatchCost[] }

async function engine(ROWS: number): Promise<Run> {
  const spark = Session.builder().getOrCreate();
  spark.conf.set("rivulet.sql.streaming.stateStore.provider", PROVIDER);
  if (BUDGET !== undefined) spark.conf.set("rivulet.sql.streaming.stateStore.memoryBudget", BUDGET);
  const imps = new MemoryStream<ReturnType<typeof impression>>(spark, "impressionAdId INT, impressionTime TIMESTAMP");
  const clicks = new MemoryStream<ReturnType<typeof click>>(spark, "clickAdId INT, clickTime TIMESTAMP");
  const joined = imps.toDF().withWatermark("impressionTime", "10 seconds")
    .join(clicks.toDF().withWatermark("clickTime", "10 seconds"),
      expr("clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 20 seconds"), "leftOuter");
  const dir = await mkdtemp(join(tmpdir(), "rivulet-bench-ssj-"));
  let rows = 0;
  let peakState = 0;
  const batches: BatchCost[] = [];
  let lastBatchId = -1;
  const query = joined.writeStream.option("checkpointLocation", dir)
    .foreachBatch(async (df) => { rows += (await df.collect()).length; }).start();
  const started = performance.now();
  const cpu = process.cpuUsage();
  peakRss = 0;
  for (let from = 0; from < ROWS; from += BATCH) {
    const n = Math.min(BATCH, ROWS - from);
    imps.addData(Array.from({ length: n }, (_, k) => impression(from + k)));
    const [c0, c1] = clickRange(from, n, ROWS);
    clicks.addData(Array.from({ length: c1 - c0 }, (_, k) => click(c0 + k)));
    const batchCpu = process.cpuUsage(), batchStarted = performance.now();
    await query.processAllAvailable();
    const batchWall = performance.now() - batchStarted, batchCpuMs = cpuSeconds(batchCpu) * 1000;
    const stateRows = query.lastProgress?.stateOperators[0]?.numRowsTotal ?? 0;
    // A data batch is often followed by a no-data one (the watermark moved): the metrics are summed over both, but
    // the run files' bytes and the run count are the last one's (sizes, not counts).
    const progresses = query.recentProgress.filter((p) => p.batchId > lastBatchId);
    lastBatchId = query.lastProgress?.batchId ?? lastBatchId;
    const metrics: Record<string, number> = {};
    for (const p of progresses) {
      peakState = Math.max(peakState, p.stateOperators[0]?.numRowsTotal ?? 0);
      for (const [k, v] of Object.entries(p.stateOperators[0]?.customMetrics ?? {})) metrics[k] = SIZES.has(k) ? v : (metrics[k] ?? 0) + v;
    }
    batches.push({ cpuMs: batchCpuMs, wallMs: batchWall, stateRows, runBytes: metrics.rocksdbSstFileSize ?? 0, keyFilterMaybe: metrics.stateKeyFilterMaybe ?? 0, metrics });
    sampleRss();
    if (TRACE) {
      const m = (name: string): number => metrics[name] ?? 0;
      console.log(`batch ${batches.length}: ${batchCpuMs.toFixed(0)} CPU ms, runs ${(m("rocksdbSstFileSize") / 1e6).toFixed(0)} MB in ${m("stateRunFiles")}, ` +
        `rewriting ${m("stateRunRewriting")}, merges wrote ${(m("rocksdbTotalBytesWrittenByCompaction") / 1e6).toFixed(1)} MB, read ${(m("rocksdbTotalBytesReadByCompaction") / 1e6).toFixed(1)} MB, ` +
        `commit compact ms ${m("rocksdbCommitCompactLatency")}, background ms ${(m("stateWorkWhileSyncingMs") + m("stateWorkBetweenCommitsMs")).toFixed(0)}, "maybe" ${m("stateKeyFilterMaybe")}`);
    }
  }
  const ms = performance.now() - started;
  const cpuUsed = cpuSeconds(cpu);
  await query.stop();
  await rm(dir, { recursive: true, force: true });
  return { ms, cpu: cpuUsed, rows, peakState, peakRss, batches };
}

/** The same join by hand: a Map of buffered rows per side, matched on arrival, evicted by the same state watermarks. */
function baseline(ROWS: number): Run {
  const started = performance.now();
  const cpu = process.cpuUsage();
  peakRss = 0;
  const left = new Map<number, { t: number; matched: boolean }>();
  const right = new Map<number, number>();
  let rows = 0;
  let peakState = 0;
  let maxLeft = -Infinity, maxRight = -Infinity, watermark = -Infinity;
  for (let from = 0; from < ROWS; from += BATCH) {
    const n = Math.min(BATCH, ROWS - from);
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const t = impressionMicros(i);
      if (t <= watermark) continue;
      const c = right.get(i);
      const matched = c !== undefined && c >= t && c <= t + 20_000_000;
      if (matched) rows++;
      left.set(i, { t, matched });
      maxLeft = Math.max(maxLeft, t);
    }
    const [c0, c1] = clickRange(from, n, ROWS);
    for (let i = c0; i < c1; i++) {
      const c = impressionMicros(i) + 5_000_000;
      if (c <= watermark) continue;
      const l = left.get(i);
      if (l !== undefined && c >= l.t && c <= l.t + 20_000_000) { rows++; l.matched = true; }
      right.set(i, c);
      maxRight = Math.max(maxRight, c);
    }
    watermark = Math.min(maxLeft, maxRight) - 10_000_000;
    for (const [k, l] of left) if (l.t <= watermark - 20_000_000) { if (!l.matched) rows++; left.delete(k); }
    for (const [k, c] of right) if (c <= watermark) right.delete(k);
    peakState = Math.max(peakState, left.size + right.size);
    sampleRss();
  }
  return { ms: performance.now() - started, cpu: cpuSeconds(cpu), rows, peakState, peakRss, batches: [] };
}


// Warm-up: both once at a tenth of the rows, untimed.
if (!ENGINE_ONLY) baseline(Math.max(BATCH, ROWS / 10));
await engine(Math.max(BATCH, ROWS / 10));
/** The batches' mean CPU and wall ms by quarter of the run, with the state's rows at each quarter's end. */
function byQuarter(batches: readonly BatchCost[]): string {
  const parts: string[] = [];
  for (let q = 0; q < 4; q++) {
    const some = batches.slice(Math.floor((q * batches.length) / 4), Math.floor(((q + 1) * batches.length) / 4));
    if (some.length === 0) continue;
    const mean = (f: (b: BatchCost) => number): string => (some.reduce((s, b) => s + f(b), 0) / some.length).toFixed(0);
    const metric = (name: string) => (b: BatchCost): number => b.metrics[name] ?? 0;
    const disk = PROVIDER === "disk"
      ? `, runs ${(some.at(-1)!.runBytes / 1e6).toFixed(0)} MB in ${some.at(-1)!.metrics.stateRunFiles ?? "?"} files, filter "maybe" ${mean((b) => b.keyFilterMaybe)}, ` +
        `compaction MB written ${(Number(mean(metric("rocksdbTotalBytesWrittenByCompaction"))) / 1e6).toFixed(1)}, commit compact ms ${mean(metric("rocksdbCommitCompactLatency"))}, ` +
        `background ms ${mean((b) => metric("stateWorkWhileSyncingMs")(b) + metric("stateWorkBetweenCommitsMs")(b))}`
      : "";
    parts.push(`q${q + 1} ${mean((b) => b.cpuMs)} CPU ms / ${mean((b) => b.wallMs)} ms (state ${some.at(-1)!.stateRows}${disk})`);
  }
  return `a batch, by quarter: ${parts.join(", ")}`;
}
/** The disk stores' flushing and merging over the run (their commits' metrics summed). */
function diskWork(batches: readonly BatchCost[]): string {
  const total = (name: string): number => batches.reduce((n, b) => n + (b.metrics[name] ?? 0), 0);
  const mb = (name: string): string => (total(name) / 1e6).toFixed(0);
  return `disk work: merges wrote ${mb("rocksdbTotalBytesWrittenByCompaction")} MB, read ${mb("rocksdbTotalBytesReadByCompaction")} MB; ` +
    `commit ms: flush ${total("rocksdbCommitFlushLatency")}, compact ${total("rocksdbCommitCompactLatency")}; background ms: while syncing ` +
    `${total("stateWorkWhileSyncingMs").toFixed(0)}, between commits ${total("stateWorkBetweenCommitsMs").toFixed(0)}; rewrites ${total("stateRunRewrites")}`;
}
const engineRuns: Run[] = [];
const loopRuns: Run[] = [];
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
for (let round = 0; round < ROUNDS; round++) {
  const e0 = await (ENGINE_ONLY ? engine(ROWS) : null);
  const b = ENGINE_ONLY ? { ...e0!, cpu: NaN, ms: NaN } : baseline(ROWS);
  loopRuns.push(b);
  const e = e0 ?? await engine(ROWS);
  engineRuns.push(e);
  if (e.rows !== b.rows) throw new Error(`rivulet gave ${e.rows} rows, the loop ${b.rows}`);
  console.log(`round ${round + 1}: rivulet ${e.ms.toFixed(0)} ms / ${e.cpu.toFixed(2)} CPU s / peak RSS ${mib(e.peakRss)}, loop ${b.ms.toFixed(0)} ms / ${b.cpu.toFixed(2)} CPU s`);
  console.log(`  ${byQuarter(e.batches)}`);
  if (PROVIDER === "disk") console.log(`  ${diskWork(e.batches)}`);
}
const stat = (runs: Run[], f: (r: Run) => number): number => median(runs.map(f));
const em = stat(engineRuns, (r) => r.ms), lm = stat(loopRuns, (r) => r.ms);
const ec = stat(engineRuns, (r) => r.cpu), lc = stat(loopRuns, (r) => r.cpu);
const e = engineRuns.at(-1)!, b = loopRuns.at(-1)!;
console.log(`rows a side: ${ROWS}, batch: ${BATCH} a side${LAG > 0 ? `, clicks ${LAG} batch(es) behind` : ""}, ${RATE} rows/event-second, provider ${PROVIDER}${BUDGET ? `, memory budget ${BUDGET}` : ""}, ${ROUNDS} rounds interleaved (medians)`);
console.log(`rivulet stream-stream join: ${em.toFixed(0)} ms, ${ec.toFixed(2)} CPU s (${((2 * ROWS) / ec).toFixed(0)} input rows/CPU s), ${e.rows} output rows, peak state ${e.peakState} rows, peak RSS ${mib(Math.max(...engineRuns.map((r) => r.peakRss)))}`);
console.log(`hand-written loop:          ${lm.toFixed(0)} ms, ${lc.toFixed(2)} CPU s (${((2 * ROWS) / lc).toFixed(0)} input rows/CPU s), ${b.rows} output rows, peak state ${b.peakState} rows`);
console.log(`rivulet / loop: ${(em / lm).toFixed(1)}x wall, ${(ec / lc).toFixed(1)}x CPU`);
process.exit(0);
