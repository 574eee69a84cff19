import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateSampleLogs } from "../src/cli/sample-logs.ts";

/** The benchmarks' input: `events` web-log events over 48 hours in 50 JSON-lines files, generated once and cached. */
export const HOURS = 48;
export const FILES = 50;

/**
 * benchmarks/ in the source tree, also when running compiled from .bench-build/benchmarks
 * (`npm run bench`): the cached data is shared by both ways of running.
 */
export const BENCH_DIR = import.meta.url.endsWith(".ts") ? import.meta.dirname : join(import.meta.dirname, "..", "..", "benchmarks");

/**
 * Distinct urls in the generated events: 2,000 (96,000 url × hour groups over 48 hours) unless
 * BENCH_URLS says otherwise (40000: ~1.2M groups at 2M events). Engines read it from the
 * environment, which the driver's child processes inherit.
 */
export const URLS = Number(process.env.BENCH_URLS ?? 2000);

export function logDataDir(events: number): string {
  // v2: 2,000 urls (was 400); a new name so that data cached by an older generator is not reused.
  return join(BENCH_DIR, "data", `logs-v2-${events}${URLS === 2000 ? "" : `-urls${URLS}`}`);
}

/** Generates the files unless a previous run did; returns their paths in order. */
export async function prepareLogData(events: number): Promise<string[]> {
  const dir = logDataDir(events);
  if (!existsSync(join(dir, "_READY"))) {
    await rm(dir, { recursive: true, force: true });
    process.stderr.write(`generating ${events} events over ${HOURS} hours in ${dir}…\n`);
    await generateSampleLogs(dir, { events, hours: HOURS, files: FILES, seed: 7, urls: URLS });
    await writeFile(join(dir, "_READY"), "");
  }
  return (await readdir(dir)).filter((f) => !f.startsWith("_")).sort().map((f) => join(dir, f));
}

/** The hand-written baseline's reading loop: each line of each file, JSON.parse'd. */
export async function forEachParsedLine<T>(files: readonly string[], onEvent: (event: T) => void): Promise<void> {
  for (const file of files) {
    const text = await readFile(file, "utf8");
    let start = 0;
    for (;;) {
      const end = text.indexOf("\n", start);
      if (end < 0) break;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.length > 0) onEvent(JSON.parse(line) as T);
    }
  }
}
