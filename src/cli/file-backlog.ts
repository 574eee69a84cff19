import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CheckpointPaths } from "../checkpoint/paths.ts";
import { listInputFiles } from "../connectors/sources/file-index.ts";
import type { StreamingQueryProgress } from "../execution/progress.ts";
import type { StreamingQueryManager } from "../session/streaming-query-manager.ts";
import type { Backlog } from "./progress-format.ts";
import type { BacklogProbe } from "./progress-reporter.ts";

const FILE_FORMATS = new Set(["json", "csv", "text"]);
const LIST_EVERY_MS = 1000;

/** Counts the files a file source has taken, from its log under checkpoint/sources/<i> (entries never change once written). */
class SourceLogCounter {
  readonly #counted = new Map<string, number>();
  constructor(readonly dir: string) {}

  count(): number {
    let entries: string[];
    try {
      entries = readdirSync(this.dir).filter((n) => /^\d+$/.test(n));
    } catch {
      return 0;
    }
    let total = 0;
    for (const e of entries) {
      let n = this.#counted.get(e);
      if (n === undefined) {
        // A "v1" line, then one JSON line per file.
        n = readFileSync(join(this.dir, e), "utf8").split("\n").filter((l) => l.startsWith("{")).length;
        this.#counted.set(e, n);
      }
      total += n;
    }
    return total;
  }
}

/**
 * The backlog of the file sources of a query: files present in the input paths versus
 * files taken into a batch (from the checkpoint's file source log, or without a
 * checkpoint from the source's `numFilesRead`). Listing is done at most once a second.
 */
export function fileBacklogProbe(streams: StreamingQueryManager): BacklogProbe {
  const counters = new Map<string, SourceLogCounter>();
  const listed = new Map<string, { at: number; files: number }>();
  return (p: StreamingQueryProgress): Backlog | null => {
    const query = streams.get(p.id);
    const scans = query?.execution.physical?.streamingScans;
    if (query === undefined || query === null || scans === undefined) return null;
    const checkpoint = query.execution.options.checkpointLocation;
    let done = 0;
    let total = 0;
    let any = false;
    scans.forEach((scan, i) => {
      if (!FILE_FORMATS.has(scan.source.format) || scan.source.details === "") return;
      any = true;
      const key = `${p.id}/${i}`;
      const now = Date.now();
      let entry = listed.get(key);
      if (entry === undefined || now - entry.at >= LIST_EVERY_MS) {
        entry = { at: now, files: scan.source.details.split(", ").reduce((n, path) => n + listInputFiles(path).length, 0) };
        listed.set(key, entry);
      }
      total += entry.files;
      if (checkpoint !== null) {
        let counter = counters.get(key);
        if (counter === undefined) counters.set(key, (counter = new SourceLogCounter(new CheckpointPaths(checkpoint).source(i))));
        done += counter.count();
      } else {
        done += Number(p.sources[i]?.metrics.numFilesRead ?? 0);
      }
    });
    return any ? { done: Math.min(done, Math.max(total, done)), total: Math.max(total, done), unit: "files" } : null;
  };
}
