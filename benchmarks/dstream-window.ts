/**
 * Cost per batch of `reduceByKeyAndWindow` with an inverse function, for a 60 s and a
 * 3600 s window at the same input rate. With the inverse function a slide adds the
 * entering batch and subtracts the leaving one, so the per-batch time must not grow with
 * the window length: the ratio printed should be close to 1. For contrast, the same
 * reduction without the inverse function (recomputing the window) for 60 s and 300 s.
 *
 * Each run: 1 s batches on the manual clock, a checkpoint in a temp directory (the state
 * store, write-ahead log and commit files are written as in production), RATE records per
 * batch over KEYS keys. The window is filled first; then MEASURED batches are timed, each
 * from advancing the clock to its output having run.
 *
 * The checkpoint's fsyncs make single batches stall when the disk is busy, so each run
 * reports the mean and the median (p50) per batch, and the summary takes the median over
 * rounds. BENCH_DIR puts the checkpoints elsewhere (e.g. /dev/shm, to time the engine
 * without the disk).
 *
 *   npx tsx benchmarks/dstream-window.ts
 *   BENCH_DIR=/dev/shm npx tsx benchmarks/dstream-window.ts
 *   BENCH_RATE=5000 BENCH_MEASURED=500 BENCH_ROUNDS=5 npx tsx benchmarks/dstream-window.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, StreamingContext } from "../src/index.ts";
import { median } from "./bench-stats.ts";

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const MEASURED = Number(process.env.BENCH_MEASURED ?? 300);
const BASE_DIR = process.env.BENCH_DIR ?? tmpdir();

function batchOf(n: number): string[] {
  // Deterministic: record i of batch n has key (n * 7919 + i * 104729) mod KEYS.
  return Array.from({ length: RATE }, (_, i) => `key-${(n * 7919 + i * 104729) % KEYS}`);
}

interface Result {
  readonly windowSeconds: number;
  readonly inverse: boolean;
  readonly msPerBatch: number;
  readonly p50: number;
  readonly p95: number;
  readonly keysInWindow: number;
}

async function run(windowSeconds: number, inverse: boolean): Promise<Result> {
  const dir = await mkdtemp(join(BASE_DIR, "rivulet-bench-dstream-"));
  const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
  ssc.checkpoint(dir);
  const queue: string[][] = [];
  const pairs = ssc.queueStream(queue).map((w) => [w, 1] as [string, number]);
  const windowed = inverse
    ? pairs.reduceByKeyAndWindow((a, b) => a + b, (a, b) => a - b, windowSeconds, 1, { filterFunc: ([, n]) => n !== 0 })
    : pairs.reduceByKeyAndWindow((a, b) => a + b, windowSeconds, 1);
  let keysInWindow = 0;
  windowed.foreachRDD((rdd) => { keysInWindow = rdd.count(); });
  ssc.start();
  let n = 0;
  // Fill the window (and a little more), so that every measured batch also has one leaving.
  const warmup = windowSeconds + 20;
  for (; n < warmup; n++) {
    queue.push(batchOf(n));
    await ssc.advanceClock(1000);
  }
  const times: number[] = [];
  for (let i = 0; i < MEASURED; i++, n++) {
    queue.push(batchOf(n));
    const t0 = performance.now();
    await ssc.advanceClock(1000);
    times.push(performance.now() - t0);
  }
  await ssc.stop();
  await rm(dir, { recursive: true, force: true });
  const sorted = [...times].sort((a, b) => a - b);
  return {
    windowSeconds, inverse,
    msPerBatch: times.reduce((a, b) => a + b, 0) / times.length,
    p50: sorted[Math.floor(sorted.length * 0.5)]!,
    p95: sorted[Math.floor(sorted.length * 0.95)]!,
    keysInWindow,
  };
}

function line(r: Result): string {
  return `${r.inverse ? "with inverse   " : "without inverse"} window ${String(r.windowSeconds).padStart(4)} s: ` +
    `${r.msPerBatch.toFixed(3)} ms/batch (p50 ${r.p50.toFixed(3)}, p95 ${r.p95.toFixed(3)}), ${r.keysInWindow} keys in the window`;
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

process.stdout.write(`reduceByKeyAndWindow, ${RATE} records/batch over ${KEYS} keys, 1 s batches, ${MEASURED} measured batches after the window is full, ${ROUNDS} rounds\n`);
// One untimed run first: JIT warm-up, so that the first timed configuration is not penalised.
await run(60, true);
// The two window lengths alternate, so that disk (fsync) noise from other work on the machine hits both alike.
const shortRuns: Result[] = [];
const longRuns: Result[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const short = await run(60, true);
  process.stdout.write(`round ${round}: ${line(short)}\n`);
  const long = await run(3600, true);
  process.stdout.write(`round ${round}: ${line(long)}\n`);
  shortRuns.push(short);
  longRuns.push(long);
}
for (const stat of ["msPerBatch", "p50"] as const) {
  const short = median(shortRuns.map((r) => r[stat]));
  const long = median(longRuns.map((r) => r[stat]));
  const what = stat === "msPerBatch" ? "mean" : "median (p50)";
  process.stdout.write(`with inverse, ${what} per batch over rounds: 60 s window ${short.toFixed(3)} ms, 3600 s window ${long.toFixed(3)} ms, ratio 3600 s / 60 s ${(long / short).toFixed(2)}x\n`);
}
const recompute60 = await run(60, false);
process.stdout.write(`${line(recompute60)}\n`);
const recompute300 = await run(300, false);
process.stdout.write(`${line(recompute300)}\n`);
process.stdout.write(`ratio 300 s / 60 s (without inverse, for contrast): mean ${(recompute300.msPerBatch / recompute60.msPerBatch).toFixed(2)}x, p50 ${(recompute300.p50 / recompute60.p50).toFixed(2)}x\n`);
