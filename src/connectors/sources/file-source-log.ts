import { mkdir, readdir, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { join } from "node:path";
import { StateError } from "../../common/errors.ts";
import type { FileStatus } from "./file-listing.ts";
import { deleteExpiredEntries, isCompaction, logCompactInterval, type LogCleanup } from "./log-compaction.ts";

const VERSION = "v1";
const BATCH_FILE = /^(\d+)(\.compact)?$/;

/** How the log compacts and cleans up (Spark's spark.sql.streaming.fileSource.log.* settings). */
export interface FileSourceLogSettings extends LogCleanup {
  /** compactInterval (10): every interval-th entry is written as `<n>.compact` holding all entries. */
  readonly compactInterval: number;
}

export const DEFAULT_FILE_SOURCE_LOG_SETTINGS: FileSourceLogSettings = { compactInterval: 10, deleteExpired: true, cleanupDelayMs: 10 * 60_000, minBatchesToRetain: 100 };

/** A logged file with the entry (batch) that first read it, as Spark's FileEntry. */
interface LoggedFile extends FileStatus {
  readonly batchId: number;
}

/**
 * Which files went into which offset of a file source (Spark's FileStreamSourceLog):
 * entry n lists the files first read by the batch that ends at offset n. Persisted under
 * the source's checkpoint directory, one file per entry, so that after a restart no file
 * is read twice and a replayed range reads exactly the same files. Without a checkpoint
 * it lives in memory.
 *
 * As Spark's CompactibleFileStreamLog, every compactInterval-th entry (9, 19, … by
 * default) is written as `<n>.compact`, holding every entry up to it (each file with its
 * batchId), so that a restart reads the latest compact file and the few entries after it;
 * with deletion on, entry files a later compaction holds are deleted once older than
 * cleanupDelay (Spark keeps minBatchesToRetain entries' worth). A log written without compaction (no `.compact` file) still loads.
 */
export class FileSourceLog {
  /** Entries after the latest compaction (all of them without a checkpoint): index → files. */
  readonly #recent = new Map<number, LoggedFile[]>();
  #latest = -1;
  #latestCompact = -1;
  #compactInterval: number;

  private constructor(readonly dir: string | null, readonly settings: FileSourceLogSettings) {
    this.#compactInterval = settings.compactInterval;
  }

  /**
   * Loads the entries written under `dir` before (none without a checkpoint); `restored`
   * receives every logged file once, for the source's map of files seen.
   */
  static async load(dir: string | null, settings: FileSourceLogSettings = DEFAULT_FILE_SOURCE_LOG_SETTINGS, restored?: (file: FileStatus) => void): Promise<FileSourceLog> {
    const log = new FileSourceLog(dir, settings);
    if (dir === null) return log;
    await mkdir(dir, { recursive: true });
    const batches = new Set<number>();
    const compacts: number[] = [];
    for (const name of await readdir(dir)) {
      const m = BATCH_FILE.exec(name);
      if (m === null) continue;
      if (m[2] === undefined) batches.add(Number(m[1]));
      else compacts.push(Number(m[1]));
    }
    const latestCompact = compacts.length === 0 ? -1 : Math.max(...compacts);
    const latest = Math.max(latestCompact, ...batches);
    if (latestCompact >= 0) {
      // The log keeps the interval it was compacted with (Spark's CompactibleFileStreamLog).
      log.#compactInterval = logCompactInterval(settings.compactInterval, compacts);
      for (const file of await readEntry(join(dir, `${latestCompact}.compact`))) restored?.(file);
    }
    for (let index = latestCompact + 1; index <= latest; index++) {
      if (!batches.has(index)) throw new StateError(`file source log ${dir} is missing entry ${index} (latest is ${latest})`);
      const files = await readEntry(join(dir, String(index)));
      for (const file of files) restored?.(file);
      log.#recent.set(index, files);
    }
    log.#latest = latest;
    log.#latestCompact = latestCompact;
    return log;
  }

  /** The index of the last entry, -1 when empty. */
  get latestIndex(): number {
    return this.#latest;
  }

  /** The files of entries (start, end]; entries a compaction holds are read from its file. */
  async filesBetween(start: number, end: number): Promise<LoggedFile[]> {
    if (end > this.#latest) throw new StateError(`file source log has no entry ${end} (latest is ${this.#latest})`);
    const files: LoggedFile[] = [];
    if (start < this.#latestCompact && this.dir !== null) {
      const compacted = await readEntry(join(this.dir, `${this.#latestCompact}.compact`));
      files.push(...compacted.filter((f) => f.batchId > start && f.batchId <= end));
    }
    for (let index = Math.max(start, this.#latestCompact) + 1; index <= end; index++) files.push(...this.#recent.get(index)!);
    return files;
  }

  /**
   * Appends the next entry; returns its index. The entry is usable at once (filesBetween), and
   * is written atomically in the background: `written()` says when it is on disk, which must
   * come before any offset naming it is logged. A compaction entry is written before this
   * returns (it is read back from its file).
   */
  async append(files: readonly FileStatus[]): Promise<number> {
    const index = this.#latest + 1;
    const entry = files.map((f): LoggedFile => ({ path: f.path, size: f.size, modificationTime: f.modificationTime, batchId: index }));
    if (this.dir !== null && isCompaction(index, this.#compactInterval)) {
      await this.#writing;
      const all = await this.filesBetween(-1, this.#latest);
      await writeFileAtomic(join(this.dir, `${index}.compact`), serialize([...all, ...entry]));
      this.#recent.clear();
      this.#latestCompact = index;
      this.#latest = index;
      await deleteExpiredEntries(this.dir, index, this.#compactInterval, this.settings);
      return index;
    }
    if (this.dir !== null) {
      const file = join(this.dir, String(index));
      const writing = this.#writing.then(() => writeFileAtomic(file, serialize(entry)));
      writing.catch(() => undefined); // met by written()
      this.#writing = writing;
    }
    this.#recent.set(index, entry);
    this.#latest = index;
    return index;
  }

  /** Resolves once every entry appended so far is on disk; rejects if a write failed. */
  written(): Promise<void> {
    return this.#writing;
  }

  /** The background writes of appended entries, one after another. */
  #writing: Promise<void> = Promise.resolve();
}

function serialize(files: readonly LoggedFile[]): string {
  return [VERSION, ...files.map((f) => JSON.stringify({ path: f.path, size: f.size, timestamp: f.modificationTime, batchId: f.batchId }))].join("\n") + "\n";
}

async function readEntry(path: string): Promise<LoggedFile[]> {
  const lines = (await readFile(path, "utf8")).split("\n");
  if (lines[0] !== VERSION) {
    throw new StateError(`file source log ${path} has version '${lines[0]}'; this rivulet reads ${VERSION}`);
  }
  const index = Number(/(\d+)(\.compact)?$/.exec(path)?.[1]);
  return lines.slice(1).filter((l) => l.trim() !== "").map((l, i) => {
    try {
      const e = JSON.parse(l) as { path: string; size?: number; timestamp: number; batchId?: number };
      // Spark's entries carry no size; rivulet's older entries may carry no batchId (that of their file).
      return { path: e.path, size: e.size ?? 0, modificationTime: e.timestamp, batchId: e.batchId ?? index };
    } catch (cause) {
      throw new StateError(`file source log ${path}:${i + 2} is corrupt`, { cause });
    }
  });
}
