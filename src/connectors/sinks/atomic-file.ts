import { randomUUID } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes `path` so that it either does not exist or is complete: the bytes go to a
 * hidden temp file in the same directory, are fsync'ed, and the file is renamed into
 * place; the directory is then fsync'ed so that the rename survives a crash.
 * Returns the number of bytes written.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  try {
    const handle = await open(tmp, "wx");
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDirectory(dirname(path));
  return bytes.byteLength;
}

/** fsync a directory (makes renames durable); a no-op where the platform refuses it. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Windows cannot open directories; their renames are durable enough there.
  } finally {
    await handle?.close();
  }
}
