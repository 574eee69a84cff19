import { readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { ConcurrentQueryError, InternalError, StateError } from "../common/errors.ts";
import { errorCode, readFileIfExists, writeFileAtomicIfAbsent } from "../common/atomic-file.ts";

/** The log-format version rivulet writes and the highest it reads. */
export const LOG_VERSION = 1;

/**
 * A batch-id-keyed log in a directory (Spark's HDFSMetadataLog): one file per batch,
 * named by the batch id, whose first line is the version marker `v1` and whose rest a
 * subclass writes and reads. Entries are written once, atomically; a second `add` for
 * the same batch id is refused.
 */
export abstract class MetadataLog<T> {
  constructor(readonly dir: string) {}

  /** The file text after the version line. */
  protected abstract serialize(entry: T): string;
  /** Reads what `serialize` wrote; throws (any error) on malformed text, which the log wraps as StateError naming `file`. */
  protected abstract deserialize(body: string, file: string): T;

  fileFor(batchId: number): string {
    checkBatchId(batchId);
    return join(this.dir, String(batchId));
  }

  /** Writes the entry for `batchId`; false (and nothing written) if it already exists. */
  async add(batchId: number, entry: T): Promise<boolean> {
    const text = `v${LOG_VERSION}\n${this.serialize(entry)}`;
    return writeFileAtomicIfAbsent(this.fileFor(batchId), text);
  }

  /**
   * Writes the entry of a new batch; if the file exists already, another query wrote it
   * (two queries on one checkpoint) and this one must stop: ConcurrentQueryError, as
   * Spark's HDFSMetadataLog. A batch re-run after a crash reads its entry, never adds it.
   */
  async addNew(batchId: number, entry: T): Promise<void> {
    if (await this.add(batchId, entry)) return;
    throw new ConcurrentQueryError(
      `Multiple streaming queries are concurrently using ${this.dir}: ${this.fileFor(batchId)} was written by another query ` +
        `while this one was about to write it`,
    );
  }

  /** The entry for `batchId`, or null if there is none. */
  async get(batchId: number): Promise<T | null> {
    const file = this.fileFor(batchId);
    const text = await readFileIfExists(file, "utf8");
    return text === null ? null : this.#parse(text, file);
  }

  /** The entry with the highest batch id, or null if the log is empty. */
  async getLatest(): Promise<{ batchId: number; entry: T } | null> {
    const ids = await this.list();
    // Newest first; a file deleted between listing and reading (a concurrent purge) is skipped.
    for (let i = ids.length - 1; i >= 0; i--) {
      const entry = await this.get(ids[i]!);
      if (entry !== null) return { batchId: ids[i]!, entry };
    }
    return null;
  }

  /** Batch ids present in the log, ascending. */
  async list(): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return [];
      throw new StateError(`cannot list log directory ${this.dir}: ${String(error)}`, { cause: error });
    }
    return names.filter(isBatchFileName).map(Number).sort((a, b) => a - b);
  }

  /** Entries with `startId <= batchId <= endId` (both optional), ascending by batch id. */
  async getRange(startId = 0, endId = Number.MAX_SAFE_INTEGER): Promise<Array<{ batchId: number; entry: T }>> {
    const result: Array<{ batchId: number; entry: T }> = [];
    for (const batchId of await this.list()) {
      if (batchId < startId || batchId > endId) continue;
      const entry = await this.get(batchId);
      if (entry !== null) result.push({ batchId, entry });
    }
    return result;
  }

  /** Deletes every entry with batch id < `thresholdBatchId` (Spark's purge). */
  async purge(thresholdBatchId: number): Promise<void> {
    for (const batchId of await this.list()) {
      if (batchId >= thresholdBatchId) break;
      await unlink(this.fileFor(batchId)).catch((error: unknown) => {
        if (errorCode(error) !== "ENOENT") throw error;
      });
    }
  }

  #parse(text: string, file: string): T {
    const newline = text.indexOf("\n");
    const versionLine = (newline < 0 ? text : text.slice(0, newline)).trim();
    const body = newline < 0 ? "" : text.slice(newline + 1);
    const match = /^v(\d+)$/.exec(versionLine);
    if (match === null) {
      throw new StateError(
        `log file ${file} is corrupt: expected the version line 'v${LOG_VERSION}' but found '${truncate(versionLine)}'`,
      );
    }
    const version = Number(match[1]);
    if (version > LOG_VERSION || version < 1) {
      throw new StateError(
        `log file ${file} has version v${version} but this rivulet reads up to v${LOG_VERSION}; ` +
          `it was probably written by a newer version`,
      );
    }
    try {
      return this.deserialize(body, file);
    } catch (error) {
      if (error instanceof StateError) throw error;
      throw new StateError(`log file ${file} is corrupt: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
}

function isBatchFileName(name: string): boolean {
  return /^(0|[1-9]\d*)$/.test(name) && Number.isSafeInteger(Number(name));
}

function checkBatchId(batchId: number): void {
  if (!Number.isSafeInteger(batchId) || batchId < 0) {
    throw new InternalError(`batch id must be a non-negative integer, not ${batchId}`);
  }
}

function truncate(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
