/**
 * The baseline a user writes without an engine: read each file, JSON.parse each line, and
 * aggregate in a Map keyed by `${action}|${hour}` (or `${url}|${hour}`). Single-threaded.
 *
 *   npx tsx benchmarks/engines/hand-loop.ts <headline|per-url> <events>
 */
import { forEachParsedLine, prepareLogData } from "../log-data.ts";
import { checksumOf, engineArgs, timeAndReport, type Checksum } from "./engine-run.ts";

interface LogEvent { time: string; action: string; url: string; bytes: number }

const hourOf = (key: string): number => Number(key.slice(key.lastIndexOf("|") + 1));

async function headline(files: readonly string[]): Promise<Checksum> {
  const counts = new Map<string, number>();
  await forEachParsedLine<LogEvent>(files, (event) => {
    const hour = Math.floor(Date.parse(event.time) / 3_600_000);
    const key = `${event.action}|${hour}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return checksumOf([...counts].map(([key, count]) => ({ hour: hourOf(key), count, bytes: null })));
}

async function perUrl(files: readonly string[]): Promise<Checksum> {
  const totals = new Map<string, { count: number; bytes: number }>();
  await forEachParsedLine<LogEvent>(files, (event) => {
    const hour = Math.floor(Date.parse(event.time) / 3_600_000);
    const key = `${event.url}|${hour}`;
    const t = totals.get(key);
    if (t) { t.count++; t.bytes += event.bytes; } else totals.set(key, { count: 1, bytes: event.bytes });
  });
  return checksumOf([...totals].map(([key, t]) => ({ hour: hourOf(key), count: t.count, bytes: t.bytes })));
}

const args = engineArgs();
const run = args.job === "headline" ? headline : perUrl;
const files = await prepareLogData(args.events);
await run(files.slice(0, 10)); // warm-up, not measured: the first 10 files, as every engine (engine-run.ts)
await timeAndReport("hand-loop", { ...args, threads: 1 }, () => run(files));
