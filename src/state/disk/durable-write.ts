import { mkdir, open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { errorCode, fsyncDirectory } from "../../common/atomic-file.ts";

/**
 * Writes `bytes` to `path` (created or truncated) and returns once the file and its
 * directory entry are durable: the file's fsync and the directory's run side by side, so a
 * commit waits for about one fsync instead of the three of a temp file, a rename and the
 * directory (writeFileAtomic).
 *
 * No temp file and no rename, so a crash can leave the file torn. That is safe only for a
 * file that is never read unless its writer finished: a changelog of version N + 1 is read
 * only to load a version ≥ N + 1, which happens after batch N's commit log, which is written
 * after this returns; a batch that crashed before its commit log is re-run from version N
 * and writes the changelog anew. readChangelog still rejects a torn file by its end marker.
 */
export async function writeFileDurably(path: string, bytes: Uint8Array): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, "w");
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
    await mkdir(dirname(path), { recursive: true });
    handle = await open(path, "w");
  }
  // The entry exists from the open on: its directory's fsync can run while the data is written.
  const entry = fsyncDirectory(dirname(path)).then(() => null, (error: unknown) => ({ error }));
  let failure: { error: unknown } | null = null;
  try {
    let done = 0;
    while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done, done)).bytesWritten;
    await handle.sync();
  } catch (error) {
    failure = { error };
  }
  await handle.close();
  failure ??= await entry;
  if (failure !== null) throw failure.error;
}
