/**
 * A stream–stream join of ROWS × ROWS rows with state eviction: impressions and clicks
 * (one click per impression, 5 s after it), left-outer-joined on the ad id within 20 s,
 * both sides watermarked 10 s, fed from MemoryStreams in batches of BATCH rows a side.
 * The state watermark the range condition gives keeps each side's state to the rows of
 * the last ~30 s of event time, whatever ROWS is: the run reports the state's peak.
 *
 * Baseline in the same run: a hand-written loop that does the same join (a Map per side,
 * same eviction rule) on the same rows, to show the engine's overhead over plain JS.
 * The machine is shared: compare the two numbers of one run, not runs with each other.
 *
 *   npx tsx benchmarks/stream-stream-join.ts
 *   BENCH_ROWS=200000 BENCH_BATCH=20000 npx tsx benchmarks/stream-stream-join.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, expr } from "../src/index.ts";
import { MemoryStream } from "../src/testing/index.ts";

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
/** Event time: impression i at i ms (1000 impressions per event-time second). */
const impression = (i: number) => ({ impressionAdId: i, impressionTime: new Date(i) });
const click = (i: number) => ({ clickAdId: i, clickTime: new Date(i + 5000) });

async function engine(): Promise<{ ms: number; rows: number; peakState: number }> {
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
function baseline(): { ms: number; rows: number } {
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

const b = baseline();
const e = await engine();
console.log(`rows a side: ${ROWS}, batch: ${BATCH} a side`);
console.log(`rivulet stream-stream join: ${e.ms.toFixed(0)} ms (${((2 * ROWS) / (e.ms / 1000)).toFixed(0)} input rows/s), ${e.rows} output rows, peak state ${e.peakState} rows`);
console.log(`hand-written loop:          ${b.ms.toFixed(0)} ms (${((2 * ROWS) / (b.ms / 1000)).toFixed(0)} input rows/s), ${b.rows} output rows`);
process.exit(0);
