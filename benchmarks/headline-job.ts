/**
 * The headline job — counts per action and hour over JSON-lines web logs — run by rivulet
 * and, in the same process and on the same files, by the loop a user would write by hand
 * (read each file, JSON.parse each line, count in a Map). Prints events/s and the ratio.
 *
 *   npm run bench                       # 5M events over 48 hours (generated once, cached)
 *   BENCH_EVENTS=1000000 npm run bench  # smaller
 */
import { existsSync } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { Session, col, window } from "../src/index.ts";
import { generateSampleLogs } from "../src/cli/sample-logs.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const HOURS = 48;
const FILES = 50;
const dataDir = join(import.meta.dirname, "data", `logs-${EVENTS}`);

async function prepare(): Promise<string[]> {
  if (!existsSync(join(dataDir, "_READY"))) {
    await rm(dataDir, { recursive: true, force: true });
    process.stderr.write(`generating ${EVENTS} events over ${HOURS} hours in ${dataDir}…\n`);
    await generateSampleLogs(dataDir, { events: EVENTS, hours: HOURS, files: FILES, seed: 7 });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dataDir, "_READY"), "");
  }
  return (await readdir(dataDir)).filter((f) => !f.startsWith("_")).sort().map((f) => join(dataDir, f));
}

/** What a user writes without an engine: JSON.parse per line, a Map keyed by action and hour. */
async function handWritten(files: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const text = await readFile(file, "utf8");
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.length === 0) continue;
      const event = JSON.parse(line) as { time: string; action: string };
      const hour = Math.floor(Date.parse(event.time) / 3_600_000);
      const key = `${event.action}|${hour}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

async function rivulet(): Promise<number> {
  const spark = Session.builder().appName("bench").getOrCreate();
  const logs = spark.readStream
    .schema("time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT")
    .option("maxFilesPerTrigger", 10)
    .json(dataDir);
  const counts = logs.groupBy(col("action"), window(col("time"), "1 hour")).count();
  const query = counts.writeStream.format("memory").queryName("bench_counts").outputMode("complete")
    .trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const rows = await spark.table("bench_counts").collect();
  return rows.reduce((n, r) => n + (r.count as number), 0);
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await f();
  return [result, (performance.now() - t0) / 1000];
}

const files = await prepare();
// Warm both paths once on a single file so that JIT compilation is not measured.
await handWritten(files.slice(0, 1));
const [baseline, baselineSeconds] = await time(() => handWritten(files));
const baselineTotal = [...baseline.values()].reduce((a, b) => a + b, 0);
const [rivuletTotal, rivuletSeconds] = await time(rivulet);
if (baselineTotal !== EVENTS || rivuletTotal !== EVENTS) {
  throw new Error(`counts disagree: hand-written ${baselineTotal}, rivulet ${rivuletTotal}, expected ${EVENTS}`);
}
const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
console.log(`events: ${fmt(EVENTS)} over ${HOURS} hours in ${files.length} files`);
console.log(`hand-written JSON.parse + Map: ${baselineSeconds.toFixed(2)} s, ${fmt(EVENTS / baselineSeconds)} events/s`);
console.log(`rivulet headline job:          ${rivuletSeconds.toFixed(2)} s, ${fmt(EVENTS / rivuletSeconds)} events/s`);
console.log(`ratio rivulet / hand-written:  ${(baselineSeconds / rivuletSeconds).toFixed(2)}x`);
