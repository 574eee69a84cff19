import { randomUUID } from "node:crypto";
import { unlinkSync } from "node:fs";
import { copyFile, link, open, rename, unlink } from "node:fs/promises";
import { errorCode } from "../../common/atomic-file.ts";
import { StateError } from "../../common/errors.ts";

/**
 * The file operations of the disk provider's checkpoint (its run files are immutable, so
 * uploading or restoring one may share it by a hard link).
 */

/** Deletes `file`; one already gone is no error. */
export async function unlinkIfExists(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (errorCode(error) !== "ENOENT") throw new StateError(`cannot delete state file ${file}`, { cause: error });
  });
}

/**
 * Deletes `path` at once, whatever comes of it: a run file or merge output no longer wanted,
 * which may be gone already (a cancelled merge's thread deleted it, its directory was dropped).
 */
export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing left to free.
  }
}

/** fsync of a file already written. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Immutable files: a hard link where the file system allows, else a copy made visible by rename. */
export async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
    return;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return;
    if (!["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(errorCode(error) ?? "")) throw error;
  }
  const temp = `${to}.${randomUUID().slice(0, 8)}.tmp`;
  await copyFile(from, temp);
  await syncFile(temp);
  await rename(temp, to);
}
