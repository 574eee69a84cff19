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
 *   npx tsx benchmarks/stream-stream-join.ts
 *   BENCH_ROWS=200000 BENCH_BATCH=20000 BENCH_ROUNDS=5 npx tsx benchmarks/stream-stream-join.ts
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
/** Event time: impression i at i ms (1000 impressions per event-time second). */
const impression = (i: number) => ({ impressionAdId: i, impressionTime: new Date(i) });
const click = (i: number) => ({ clickAdId: i, clickTime: new Date(i + 5000) });

async function engine(ROWS: number): Promise<{ ms: number; rows: number; peakState: number }> {
  const spark = Session.builder().getOrCreate();
  const imps = new MemoryStream<ReturnType<typeof impression>>(spark, "impressionAdId INT, impressionTime TIMESTAMP");
  const clicks = new MemoryStream<ReturnType<typeof click>>(spark, "clickAdId INT, clickTime TIMESTAMP");
  const joined = imps.toDF().withWatermark("impressionTime", "10 seconds")
    .join(clicks.toDF().withWatermark("clickTime", "10 seconds"),
      expr("clickAdId = impressionAdId AND clickTime >= impressionTime AND clickTime <= impressionTime + interval 20 seconds"), "leftOuter");
  const dir = await mkdtemp(join(tmpdir(), "rivulet-bench-ssj-"));
  let rows = 0;
  let peakState = 0;
  const query = joined.writeStream.option("checkpointLocation", dir)
    .foreachBatch(async (df) => { rows += (await df.collect()).length; }).start();
  const started = performance.now();
  for (let from = 0; from < ROWS; from += BATCH) {
    const n = Math.min(BATCH, ROWS - from);
    imps.addData(Array.from({ length: n }, (_, k) => impression(from + k)));
    clicks.addData(Array.from({ length: n }, (_, k) => click(from + k)));
    await query.processAllAvailable();
    for (const p of query.recentProgress) peakState = Math.max(peakState, p.stateOperators[0]?.numRowsTotal ?? 0);
  }
  const ms = performance.now() - started;
  await query.stop();
  await rm(dir, { recursive: true, force: true });
  return { ms, rows, peakState };
}

/** The same join by hand: a Map of buffered rows per side, matched on arrival, evicted by the same state watermarks. */
function baseline(ROWS: number): { ms: number; rows: number } {
  const started = performance.now();
  const left = new Map<number, { t: number; matched: boolean }>();
  const right = new Map<number, number>();
  let rows = 0;
  let maxLeft = -Infinity, maxRight = -Infinity, watermark = -Infinity;
  for (let from = 0; from < ROWS; from += BATCH) {
    const n = Math.min(BATCH, ROWS - from);
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const t = i * 1000;
      if (t <= watermark) continue;
      const c = right.get(i);
      const matched = c !== undefined && c >= t && c <= t + 20_000_000;
      if (matched) rows++;
      left.set(i, { t, matched });
      maxLeft = Math.max(maxLeft, t);
    }
    for (let k = 0; k < n; k++) {
      const i = from + k;
      const c = i * 1000 + 5_000_000;
      if (c <= watermark) continue;
      const l = left.get(i);
      if (l !== undefined && c >= l.t && c <= l.t + 20_000_000) { rows++; l.matched = true; }
      right.set(i, c);
      maxRight = Math.max(maxRight, c);
    }
    watermark = Math.min(maxLeft, maxRight) - 10_000_000;
    for (const [k, l] of left) if (l.t <= watermark - 20_000_000) { if (!l.matched) rows++; left.delete(k); }
    for (const [k, c] of right) if (c <= watermark) right.delete(k);
  }
  return { ms: performance.now() - started, rows };
}


// Warm-up: both once at a tenth of the rows, untimed.
baseline(Math.max(BATCH, ROWS / 10));
await engine(Math.max(BATCH, ROWS / 10));
const engineMs: number[] = [];
const loopMs: number[] = [];
let e = { ms: 0, rows: 0, peakState: 0 };
let b = { ms: 0, rows: 0 };
for (let round = 0; round < ROUNDS; round++) {
  b = baseline(ROWS);
  loopMs.push(b.ms);
  e = await engine(ROWS);
  engineMs.push(e.ms);
  if (e.rows !== b.rows) throw new Error(`rivulet gave ${e.rows} rows, the loop ${b.rows}`);
  console.log(`round ${round + 1}: rivulet ${e.ms.toFixed(0)} ms, loop ${b.ms.toFixed(0)} ms`);
}
const em = median(engineMs), lm = median(loopMs);
console.log(`rows a side: ${ROWS}, batch: ${BATCH} a side, ${ROUNDS} rounds interleaved (medians)`);
console.log(`rivulet stream-stream join: ${em.toFixed(0)} ms (${((2 * ROWS) / (em / 1000)).toFixed(0)} input rows/s), ${e.rows} output rows, peak state ${e.peakState} rows`);
console.log(`hand-written loop:          ${lm.toFixed(0)} ms (${((2 * ROWS) / (lm / 1000)).toFixed(0)} input rows/s), ${b.rows} output rows`);
console.log(`rivulet / loop: ${(em / lm).toFixed(1)}x`);
process.exit(0);
