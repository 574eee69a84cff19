import { unlink } from "node:fs/promises";
import { readFileIfExists, writeFileAtomic } from "../../../common/atomic-file.ts";
import { ConnectorError } from "../../../common/errors.ts";

/** Where reading a spooled file stopped: its path, the byte after the last committed event, and the file as first seen. */
export interface TrackedPosition {
  readonly file: string;
  readonly position: number;
  readonly size: number;
  readonly mtimeMs: number;
}

const VERSION = 1;

/**
 * Flume's DurablePositionTracker: one meta file in the tracker directory, rewritten
 * (atomically) after every batch committed to the channel, deleted when the file is
 * completed. rivulet's meta file is JSON, not Flume's Avro file.
 */
export class PositionTracker {
  constructor(readonly metaFile: string) {}

  async load(): Promise<TrackedPosition | null> {
    const text = await readFileIfExists(this.metaFile, "utf8");
    if (text === null) return null;
    try {
      const j = JSON.parse(text) as TrackedPosition & { version: number };
      if (j.version !== VERSION || typeof j.file !== "string" || !Number.isInteger(j.position)) throw new Error(`version ${j.version}`);
      return { file: j.file, position: j.position, size: j.size, mtimeMs: j.mtimeMs };
    } catch (error) {
      throw new ConnectorError(`spooldir: cannot read the position tracker ${this.metaFile}: ${(error as Error).message}; delete it to re-read its file from the start`, { cause: error });
    }
  }

  async save(p: TrackedPosition): Promise<void> {
    await writeFileAtomic(this.metaFile, JSON.stringify({ version: VERSION, ...p }) + "\n");
  }

  async clear(): Promise<void> {
    await unlink(this.metaFile).catch(() => undefined);
  }
}
