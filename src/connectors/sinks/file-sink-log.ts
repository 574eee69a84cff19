import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConnectorError } from "../../common/errors.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { DEFAULT_LOG_CLEANUP, deleteExpiredEntries, logCompactInterval, type LogCleanup } from "../sources/log-compaction.ts";

/** One output file in a batch's entry of the sink log (Spark's SinkFileStatus). */
export interface SinkFileStatus {
  readonly path: string;
  readonly size: number;
  readonly isDir: boolean;
  readonly modificationTime: number;
  readonly blockReplication: number;
  readonly blockSize: number;
  readonly action: "add" | "delete";
}

const VERSION = "v1";
const BATCH_FILE = /^(\d+)(\.compact)?$/;

/** Spark's `spark.sql.streaming.fileSink.log.compactInterval` default. */
export const DEFAULT_COMPACT_INTERVAL = 10;

/**
 * Spark's FileStreamSinkLog, `<output>/_spark_metadata/<batchId>`: which files each
 * committed batch wrote. A batch's files become visible to readers only when its entry
 * exists, and an entry is written atomically, so a crash leaves a batch either fully
 * committed or not at all. Content: a version line, then one JSON object per file.
 * Every `compactInterval`-th batch (ids 9, 19, … by default) writes `<batchId>.compact`
 * instead, holding every live file of the batches before it too, as Spark's
 * CompactibleFileStreamLog does, so that readers (Spark's too) read the latest compact
 * file and the batches after it. Entries a compaction holds are deleted as Spark's
 * deleteExpiredLog does (spark.sql.streaming.fileSink.log.deletion, cleanupDelay 10m).
 */
export class FileSinkLog {
  #latest: number | null | undefined = undefined;
  #compactInterval: number | undefined;

  constructor(readonly dir: string, readonly defaultCompactInterval = DEFAULT_COMPACT_INTERVAL, readonly cleanup: LogCleanup = DEFAULT_LOG_CLEANUP) {}

  static metadataDir(outputPath: string): string {
    return join(outputPath, "_spark_metadata");
  }

  batchFile(batchId: number): string {
    return join(this.dir, String(batchId));
  }

  async #names(): Promise<string[]> {
    try {
      return await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      return [];
    }
  }

  /** The highest committed batch id, null when none; read from disk once, then tracked. */
  async latestBatchId(): Promise<number | null> {
    if (this.#latest !== undefined) return this.#latest;
    let latest: number | null = null;
    const compacts: number[] = [];
    for (const name of await this.#names()) {
      const m = BATCH_FILE.exec(name);
      if (m === null) continue;
      latest = Math.max(latest ?? -1, Number(m[1]));
      if (m[2] !== undefined) compacts.push(Number(m[1]));
    }
    // A log keeps the interval it was compacted with (Spark's CompactibleFileStreamLog.compactInterval).
    this.#compactInterval = logCompactInterval(this.defaultCompactInterval, compacts);
    this.#latest = latest;
    return latest;
  }

  #isCompaction(batchId: number): boolean {
    return (batchId + 1) % this.#compactInterval! === 0;
  }

  /** Commits `batchId`'s files; false (and nothing written) when the batch is already committed. */
  async add(batchId: number, files: readonly SinkFileStatus[]): Promise<boolean> {
    const latest = await this.latestBatchId();
    if (latest !== null && batchId <= latest) return false;
    await mkdir(this.dir, { recursive: true });
    if (this.#isCompaction(batchId)) {
      const live = await this.allFiles(batchId - 1);
      await writeFileAtomic(join(this.dir, `${batchId}.compact`), serializeEntry(compact([...live, ...files])));
      this.#latest = batchId;
      await deleteExpiredEntries(this.dir, batchId, this.#compactInterval!, this.cleanup);
    } else {
      await writeFileAtomic(this.batchFile(batchId), serializeEntry(files));
    }
    this.#latest = batchId;
    return true;
  }

  /** The files `batchId` committed (for a compaction batch: every live file up to it), null when it has no entry. */
  async get(batchId: number): Promise<SinkFileStatus[] | null> {
    for (const path of [this.batchFile(batchId), join(this.dir, `${batchId}.compact`)]) {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw err;
      }
      return parseEntry(text, path);
    }
    return null;
  }

  /** Every live file of the batches up to `upTo`: the latest compact file's and those of the batches after it. */
  async allFiles(upTo: number): Promise<SinkFileStatus[]> {
    const ids = (await this.#names()).flatMap((n) => { const m = BATCH_FILE.exec(n); return m === null ? [] : [{ id: Number(m[1]), compact: m[2] !== undefined }]; })
      .filter((b) => b.id <= upTo);
    const from = Math.max(-1, ...ids.filter((b) => b.compact).map((b) => b.id));
    const entries: SinkFileStatus[] = [];
    for (const id of [...new Set(ids.filter((b) => b.id >= from).map((b) => b.id))].sort((a, b) => a - b)) entries.push(...(await this.get(id)) ?? []);
    return compact(entries);
  }
}

/** Applies "delete" actions: the files still live (Spark's FileStreamSinkLog.compactLogs). */
function compact(entries: readonly SinkFileStatus[]): SinkFileStatus[] {
  const deleted = new Set(entries.filter((e) => e.action === "delete").map((e) => e.path));
  return entries.filter((e) => e.action !== "delete" && !deleted.has(e.path));
}

export function serializeEntry(files: readonly SinkFileStatus[]): string {
  // Key order as Spark writes it.
  return [VERSION, ...files.map((f) => JSON.stringify({
    path: f.path, size: f.size, isDir: f.isDir, modificationTime: f.modificationTime,
    blockReplication: f.blockReplication, blockSize: f.blockSize, action: f.action,
  }))].join("\n");
}

export function parseEntry(text: string, where: string): SinkFileStatus[] {
  const lines = text.split("\n");
  const version = lines[0]?.trim() ?? "";
  const m = /^v(\d+)$/.exec(version);
  if (m === null) throw new ConnectorError(`${where}: not a file sink log entry (first line '${version}')`);
  if (Number(m[1]) > 1) throw new ConnectorError(`${where}: log version ${version} is newer than this rivulet supports (v1); upgrade rivulet`);
  return lines.slice(1).filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as SinkFileStatus);
}
