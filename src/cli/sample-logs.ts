import { mkdir, open } from "node:fs/promises";
import { join } from "node:path";
import { seededRandom } from "../common/seeded-random.ts";

/** Web-log events as the headline job reads them: one JSON object per line. */
export interface SampleLogOptions {
  /** Number of events in all. */
  readonly events: number;
  /** Event times span this many hours, starting at `start`. */
  readonly hours: number;
  readonly files: number;
  readonly start?: Date;
  readonly seed?: number;
  /** Distinct urls (a multiple of 8 paths); 2,000 by default. */
  readonly urls?: number;
}

const ACTIONS = ["view", "click", "scroll", "search", "add_to_cart", "purchase", "login", "logout"];
const PATHS = ["/", "/home", "/search", "/cart", "/checkout", "/account", "/help", "/blog"];
/** 8 paths × 250 = 2,000 distinct urls: enough groups that grouping by url is not trivially small. */
const URLS_PER_PATH = 250;


/**
 * Writes `files` JSON-lines files of events with times increasing across files (each file
 * one slice of the time span, events in order within a file, slightly jittered), as a
 * web server's rotated logs would be. Returns the file paths.
 */
export async function generateSampleLogs(dir: string, options: SampleLogOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const random = seededRandom(options.seed ?? 42);
  const start = (options.start ?? new Date(Date.UTC(2026, 0, 1))).getTime();
  const spanMs = options.hours * 3_600_000;
  const perFile = Math.ceil(options.events / options.files);
  const urlsPerPath = Math.max(1, Math.round((options.urls ?? PATHS.length * URLS_PER_PATH) / PATHS.length));
  const paths: string[] = [];
  let written = 0;
  for (let f = 0; f < options.files; f++) {
    const path = join(dir, `access-${String(f).padStart(4, "0")}.json`);
    paths.push(path);
    const handle = await open(path, "w");
    const count = Math.min(perFile, options.events - written);
    let chunk = "";
    for (let i = 0; i < count; i++) {
      const n = written + i;
      const t = start + Math.floor((n / options.events) * spanMs) + Math.floor(random() * 2000);
      const action = ACTIONS[Math.floor(random() * random() * ACTIONS.length)]!;
      const url = `${PATHS[Math.floor(random() * PATHS.length)]}/${Math.floor(random() * urlsPerPath)}`;
      const userId = `u${Math.floor(random() * 10_000)}`;
      const bytes = 200 + Math.floor(random() * 20_000);
      chunk += `{"time":"${new Date(t).toISOString()}","action":"${action}","url":"${url}","userId":"${userId}","bytes":${bytes}}\n`;
      if (chunk.length > 1 << 20) { await handle.write(chunk); chunk = ""; }
    }
    if (chunk) await handle.write(chunk);
    await handle.close();
    written += count;
  }
  return paths;
}
