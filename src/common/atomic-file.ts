import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Atomic file writes for checkpoints: the data goes to a hidden temp file next to the
 * target (`<dir>/.<name>.<random>.tmp`), is fsynced, and only then becomes visible
 * under the target name, so a reader sees either nothing or the whole file. Missing
 * parent directories are created.
 */

export type FileData = string | Uint8Array;

/** Writes `data` to `path`, replacing any existing file. */
export async function writeFileAtomic(path: string, data: FileData): Promise<void> {
  const temp = await writeTempFile(path, data);
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dirname(path));
}

/**
 * Writes `data` to `path` only if no file of that name exists; returns false (and leaves
 * the existing file untouched) if one does. The temp file is hard-linked to the target,
 * which fails if the target exists, so of two concurrent writers exactly one wins.
 */
export async function writeFileAtomicIfAbsent(path: string, data: FileData): Promise<boolean> {
  const temp = await writeTempFile(path, data);
  try {
    await link(temp, path);
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    if (!LINK_UNSUPPORTED.has(errorCode(error) ?? "")) throw error;
    // File systems without hard links: an exclusive create still lets only one writer win,
    // but the content is not atomic (a crash can leave a partial file).
    return await writeExclusive(path, data);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncDirectory(dirname(path));
  return true;
}

/** The file's bytes, or null if it does not exist. */
export async function readFileIfExists(path: string): Promise<Buffer | null>;
/** The file's text, or null if it does not exist. */
export async function readFileIfExists(path: string, encoding: BufferEncoding): Promise<string | null>;
export async function readFileIfExists(path: string, encoding?: BufferEncoding): Promise<Buffer | string | null> {
  try {
    return encoding === undefined ? await readFile(path) : await readFile(path, encoding);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return null;
    throw error;
  }
}

/** Names of temp files this module writes; log readers skip them. */
export function isTempFileName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(".tmp");
}

/** The code of a Node system error ("ENOENT", "EEXIST" …), if it is one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
}

const LINK_UNSUPPORTED = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV"]);

async function writeTempFile(path: string, data: FileData): Promise<string> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temp, "wx");
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
    await mkdir(dir, { recursive: true });
    handle = await open(temp, "wx");
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return temp;
}

async function writeExclusive(path: string, data: FileData): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, "wx");
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDirectory(dirname(path));
  return true;
}

/** Makes a rename/link durable. Some platforms (Windows) cannot open directories: skip there. */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, "r");
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!["EISDIR", "EINVAL", "EPERM", "EBADF"].includes(errorCode(error) ?? "")) throw error;
  } finally {
    await handle.close();
  }
}
