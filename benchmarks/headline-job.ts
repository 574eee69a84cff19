/**
 * The headline job — counts per action and hour over JSON-lines web logs — run by rivulet
 * and, in the same process and on the same files, by the loop a user would write by hand
 * (read each file, JSON.parse each line, count in a Map). Prints events/s and the ratio.
 *
 *   npm run bench                       # 5M events over 48 hours (generated once, cached)
 *   BENCH_EVENTS=1000000 npm run bench  # smaller
 */
import { Session, col, window } from "../src/index.ts";
import { forEachParsedLine, HOURS, logDataDir, prepareLogData } from "./log-data.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const dataDir = logDataDir(EVENTS);


/** What a user writes without an engine: JSON.parse per line, a Map keyed by action and hour. */
async function handWritten(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await forEachParsedLine<{ time: string; action: string }>(files, (event) => {
    const hour = Math.floor(Date.parse(event.time) / 3_600_000);
    const key = `${event.action}|${hour}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return counts;
}

let run = 0;
async function rivulet(threads: number): Promise<number> {
  const spark = Session.builder().appName("bench").getOrCreate();
  spark.conf.set("rivulet.sql.parallelism", threads);
  const name = `bench_counts_${run++}`;
  const logs = spark.readStream
    .schema("time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT")
    .option("maxFilesPerTrigger", 10)
    .json(dataDir);
  const counts = logs.groupBy(col("action"), window(col("time"), "1 hour")).count();
  const query = counts.writeStream.format("memory").queryName(name).outputMode("complete")
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = await spark.table(name).collect();
  return rows.reduce((n, r) => n + (r.count as number), 0);
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await f();
  return [result, (performance.now() - t0) / 1000];
}

const files = await prepareLogData(EVENTS);
// Warm both paths once on a single file so that JIT compilation is not measured.
await handWritten(files.slice(0, 1));
const [baseline, baselineSeconds] = await time(() => handWritten(files));
const baselineTotal = [...baseline.values()].reduce((a, b) => a + b, 0);
const [rivuletTotal, rivuletSeconds] = await time(() => rivulet(1));
// rivulet.sql.parallelism=2: JSON files decoded in two worker threads (the pool starts once, before timing).
await rivulet(2);
const [parallelTotal, parallelSeconds] = await time(() => rivulet(2));
if (baselineTotal !== EVENTS || rivuletTotal !== EVENTS || parallelTotal !== EVENTS) {
  throw new Error(`counts disagree: hand-written ${baselineTotal}, rivulet ${rivuletTotal}, parallel ${parallelTotal}, expected ${EVENTS}`);
}
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
console.log(`events: ${fmt(EVENTS)} over ${HOURS} hours in ${files.length} files`);
console.log(`hand-written JSON.parse + Map: ${baselineSeconds.toFixed(2)} s, ${fmt(EVENTS / baselineSeconds)} events/s`);
console.log(`rivulet headline job:          ${rivuletSeconds.toFixed(2)} s, ${fmt(EVENTS / rivuletSeconds)} events/s`);
console.log(`ratio rivulet / hand-written:  ${(baselineSeconds / rivuletSeconds).toFixed(2)}x`);
console.log(`rivulet, 2 decoding threads:   ${parallelSeconds.toFixed(2)} s, ${fmt(EVENTS / parallelSeconds)} events/s`);
console.log(`ratio 2 threads / hand-written: ${(baselineSeconds / parallelSeconds).toFixed(2)}x (vs 1 thread: ${(rivuletSeconds / parallelSeconds).toFixed(2)}x)`);
