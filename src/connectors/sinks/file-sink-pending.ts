import { readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { SPARK_METADATA_DIR } from "../sources/file-listing.ts";

/** `_spark_metadata/.<batchId>.pending`: hidden, so neither rivulet's nor Spark's log reader takes it for a batch. */
const PENDING_FILE = /^\.(\d+)\.pending$/;

/**
 * The part files a streaming file sink is about to write for a batch, recorded before the
 * first of them exists and removed once the batch is committed. Part file names carry no
 * batch id (Spark's `part-00000-<uuid>-c000.json`), so this record is how a restarted sink
 * finds what a crashed attempt left uncommitted (never visible to readers through the
 * log) and deletes it, without listing the whole output directory.
 */
export class PendingPartFiles {
  constructor(readonly logDir: string, readonly outputPath: string) {}

  #file(batchId: number): string {
    return join(this.logDir, `.${batchId}.pending`);
  }

  /** Records `files` (paths relative to the output directory) as batch `batchId`'s, before writing them. */
  async record(batchId: number, files: readonly string[]): Promise<void> {
    await writeFileAtomic(this.#file(batchId), files.join("\n"));
  }

  /** The batch is committed: its files are the log's now. */
  async clear(batchId: number): Promise<void> {
    await rm(this.#file(batchId), { force: true });
  }

  /**
   * Deletes the files (and their hidden temp files) of every recorded batch after
   * `latestCommitted`; records of committed batches are only dropped.
   */
  async removeUncommitted(latestCommitted: number | null): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.logDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const name of names) {
      const m = PENDING_FILE.exec(name);
      if (m === null) continue;
      const record = join(this.logDir, name);
      if (latestCommitted === null || Number(m[1]) > latestCommitted) {
        const files = (await readFile(record, "utf8")).split("\n").filter((f) => f !== "");
        await removeWithTemps(files.map((f) => join(this.outputPath, f)));
      }
      await rm(record, { force: true });
    }
  }

  /**
   * Part files named `part-<batchId>-<uuid>.<ext>` by rivulet before part files took Spark's
   * names: a crashed attempt's leftovers of the batch about to run again (checked once per
   * sink, when it resumes an output written that way).
   */
  async removeLegacyUncommitted(batchId: number, partitioned: boolean): Promise<void> {
    const prefix = `part-${batchId}-`;
    let names: string[];
    try {
      names = partitioned
        ? (await readdir(this.outputPath, { recursive: true })).filter((n) => !n.startsWith(SPARK_METADATA_DIR))
        : await readdir(this.outputPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    for (const name of names) {
      const base = basename(name);
      if (base.startsWith(prefix) || base.startsWith(`.${prefix}`)) await rm(join(this.outputPath, name), { force: true });
    }
  }
}

/** Files and the hidden temp files writeFileAtomic may have left for them (`.<name>.<random>.tmp`): one listing per directory. */
async function removeWithTemps(paths: readonly string[]): Promise<void> {
  const byDir = new Map<string, Set<string>>();
  for (const path of paths) {
    await rm(path, { force: true });
    const names = byDir.get(dirname(path)) ?? new Set<string>();
    byDir.set(dirname(path), names.add(basename(path)));
  }
  for (const [dir, bases] of byDir) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw err;
    }
    for (const name of names) {
      const temp = /^\.(.+)\.[^.]+\.tmp$/.exec(name);
      if (temp !== null && bases.has(temp[1]!)) await rm(join(dir, name), { force: true });
    }
  }
}
