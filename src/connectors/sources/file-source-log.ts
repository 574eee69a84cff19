import { mkdir, readdir, readFile } from "node:fs/promises";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { join } from "node:path";
import { StateError } from "../../common/errors.ts";
import type { FileStatus } from "./file-listing.ts";

const VERSION = "v1";

/**
 * Which files went into which offset of a file source (Spark's FileStreamSourceLog):
 * entry n lists the files first read by the batch that ends at offset n. Persisted under
 * the source's checkpoint directory, one file per entry, so that after a restart no file
 * is read twice and a replayed range reads exactly the same files. Without a checkpoint
 * it lives in memory.
 */
export class FileSourceLog {
  readonly #entries: FileStatus[][] = [];
  readonly #seen = new Set<string>();

  private constructor(readonly dir: string | null) {}

  /** Loads the entries written under `dir` before (none without a checkpoint). */
  static async load(dir: string | null): Promise<FileSourceLog> {
    const log = new FileSourceLog(dir);
    if (dir === null) return log;
    await mkdir(dir, { recursive: true });
    const indices = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
    for (const [expected, index] of indices.entries()) {
      if (index !== expected) throw new StateError(`file source log ${dir} is missing entry ${expected} (found ${index})`);
      log.#remember(await readEntry(join(dir, String(index))));
    }
    return log;
  }

  /** The index of the last entry, -1 when empty. */
  get latestIndex(): number {
    return this.#entries.length - 1;
  }

  has(path: string): boolean {
    return this.#seen.has(path);
  }

  /** The files of entries (start, end]. */
  filesBetween(start: number, end: number): FileStatus[] {
    if (end > this.latestIndex) throw new StateError(`file source log has no entry ${end} (latest is ${this.latestIndex})`);
    return this.#entries.slice(start + 1, end + 1).flat();
  }

  /** Appends the next entry (written atomically before it is used); returns its index. */
  async append(files: readonly FileStatus[]): Promise<number> {
    const index = this.#entries.length;
    if (this.dir !== null) {
      const lines = [VERSION, ...files.map((f) => JSON.stringify({ path: f.path, size: f.size, timestamp: f.modificationTime, batchId: index }))];
      await writeFileAtomic(join(this.dir, String(index)), lines.join("\n") + "\n");
    }
    this.#remember([...files]);
    return index;
  }

  #remember(files: FileStatus[]): void {
    this.#entries.push(files);
    for (const f of files) this.#seen.add(f.path);
  }
}

async function readEntry(path: string): Promise<FileStatus[]> {
  const lines = (await readFile(path, "utf8")).split("\n");
  if (lines[0] !== VERSION) {
    throw new StateError(`file source log ${path} has version '${lines[0]}'; this rivulet reads ${VERSION}`);
  }
  return lines.slice(1).filter((l) => l.trim() !== "").map((l, i) => {
    try {
      const e = JSON.parse(l) as { path: string; size: number; timestamp: number };
      return { path: e.path, size: e.size, modificationTime: e.timestamp };
    } catch (cause) {
      throw new StateError(`file source log ${path}:${i + 2} is corrupt`, { cause });
    }
  });
}

