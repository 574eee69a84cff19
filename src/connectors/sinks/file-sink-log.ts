import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConnectorError } from "../../common/errors.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";

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

/**
 * Spark's FileStreamSinkLog, `<output>/_spark_metadata/<batchId>`: which files each
 * committed batch wrote. A batch's files become visible to readers only when its entry
 * exists, and an entry is written atomically, so a crash leaves a batch either fully
 * committed or not at all. Content: a version line, then one JSON object per file.
 */
export class FileSinkLog {
  #latest: number | null | undefined = undefined;

  constructor(readonly dir: string) {}

  static metadataDir(outputPath: string): string {
    return join(outputPath, "_spark_metadata");
  }

  batchFile(batchId: number): string {
    return join(this.dir, String(batchId));
  }

  /** The highest committed batch id, null when none; read from disk once, then tracked. */
  async latestBatchId(): Promise<number | null> {
    if (this.#latest !== undefined) return this.#latest;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      names = [];
    }
    let latest: number | null = null;
    for (const name of names) {
      const m = BATCH_FILE.exec(name);
      if (m !== null) latest = Math.max(latest ?? -1, Number(m[1]));
    }
    this.#latest = latest;
    return latest;
  }

  /** Commits `batchId`'s files; false (and nothing written) when the batch is already committed. */
  async add(batchId: number, files: readonly SinkFileStatus[]): Promise<boolean> {
    const latest = await this.latestBatchId();
    if (latest !== null && batchId <= latest) return false;
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.batchFile(batchId), serializeEntry(files));
    this.#latest = batchId;
    return true;
  }

  /** The files `batchId` committed, null when it has no entry. */
  async get(batchId: number): Promise<SinkFileStatus[] | null> {
    let text: string;
    try {
      text = await readFile(this.batchFile(batchId), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    return parseEntry(text, this.batchFile(batchId));
  }
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
