import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConnectorError } from "../../common/errors.ts";

/** A file to read, as the file source log records it. */
export interface FileStatus {
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modificationTime: number;
}

/** Where the sink of a file-sink output directory lists the files it committed. */
export const SPARK_METADATA_DIR = "_spark_metadata";

/**
 * Hidden or in-progress files and directories that Spark never reads (its
 * shouldFilterOutPathName): names starting with `.`, or with `_` unless they hold `=` (a
 * partition directory `_k=v`), and names of files being written (`._COPYING_`, `.tmp`).
 */
export function isHiddenFile(name: string): boolean {
  return name.startsWith(".") || (name.startsWith("_") && !name.includes("=")) || name.endsWith(".tmp") || name.endsWith("._COPYING_");
}

/** Whether a path's last segment is hidden (isHiddenFile). */
export function isHiddenPath(path: string): boolean {
  return isHiddenFile(basename(path));
}

/** Hive-style partition directories (`date=2026-01-01`). */
export function isPartitionDirectory(name: string): boolean {
  return !isHiddenFile(name) && name.indexOf("=") > 0;
}

/** Whether a file may be listed: `name` is its file name (filters on names look at nothing else). */
export type FileAccept = (file: FileStatus, name: string) => boolean;

/**
 * The files under a root (Spark's listLeafFiles): the root itself when it is a file, else
 * every visible file in it and in its visible subdirectories at any depth — or, when a
 * file sink wrote the directory, the files its `_spark_metadata` log lists. `accept`
 * filters files, never directories.
 */
export function listLeafFiles(root: string, accept: FileAccept | null, out: FileStatus[] = []): FileStatus[] {
  const stat = statSync(root, { throwIfNoEntry: false });
  if (stat === undefined) return out;
  if (stat.isFile()) {
    const file = { path: root, size: stat.size, modificationTime: Math.floor(stat.mtimeMs) };
    if (accept === null || accept(file, basename(root))) out.push(file);
    return out;
  }
  if (hasSinkLog(root)) {
    const metadataDir = join(root, SPARK_METADATA_DIR);
    for (const f of listSinkMetadata(root, metadataDir)) if (accept === null || accept(f, basename(f.path))) out.push(f);
    return out;
  }
  listDirectory(root, accept, out);
  return out;
}

/** Whether a file sink wrote the directory: its `_spark_metadata` log says which files are its data. */
export function hasSinkLog(dir: string): boolean {
  try {
    return statSync(join(dir, SPARK_METADATA_DIR), { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false; // `dir` is a file (ENOTDIR)
  }
}

/**
 * Lists `dir`'s visible files, depth first in name order. Symbolic links are followed, as
 * Hadoop's local file system follows them (a file or directory reached through a link is
 * listed under the link's path); `visited` holds the real directories on the way down, so a
 * link back up the tree is not walked again.
 */
function listDirectory(dir: string, accept: FileAccept | null, out: FileStatus[], visited = new Set<string>()): void {
  let entries;
  let real: string;
  try {
    real = realpathSync(dir);
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // deleted while listing
  }
  if (visited.has(real)) return;
  visited.add(real);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (isHiddenFile(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      listDirectory(path, accept, out, visited);
      continue;
    }
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    try {
      const stat = statSync(path); // through a link: what it points at
      if (stat.isDirectory()) {
        listDirectory(path, accept, out, visited);
        continue;
      }
      if (!stat.isFile()) continue;
      const file = { path, size: stat.size, modificationTime: Math.floor(stat.mtimeMs) };
      if (accept === null || accept(file, entry.name)) out.push(file);
    } catch {
      // Deleted between listing and stat, or a link to nothing: not there.
    }
  }
  visited.delete(real);
}

function toLocalPath(path: string): string {
  return path.startsWith("file:") ? fileURLToPath(path) : path;
}

/**
 * The files a file sink committed: `_spark_metadata/<batchId>` (or `<batchId>.compact`)
 * files hold a `v1` line and then one JSON entry per line with path (a `file://` URI as
 * Spark writes it, or a local path), size, modificationTime and action ("add" or
 * "delete"). Files in the directory that no entry lists — a crashed writer's uncommitted
 * part files — are never read, by batch reads and streams alike.
 */
function listSinkMetadata(dir: string, metadataDir: string): FileStatus[] {
  const all = readdirSync(metadataDir)
    .filter((n) => /^\d+(\.compact)?$/.test(n))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  // The latest compact file holds every batch before it (Spark's MetadataLogFileIndex reads it and the batches after).
  const latestCompact = all.findLastIndex((n) => n.endsWith(".compact"));
  const logFiles = latestCompact < 0 ? all : all.slice(latestCompact);
  const files = new Map<string, FileStatus>();
  const realDir = realpathSync(dir);
  for (const logFile of logFiles) {
    const logPath = join(metadataDir, logFile);
    const lines = readFileSync(logPath, "utf8").split("\n");
    if (!/^v\d+$/.test(lines[0]?.trim() ?? "")) {
      throw new ConnectorError(`${logPath}: not a file sink log (first line should be a version such as 'v1')`);
    }
    lines.slice(1).forEach((line, i) => {
      if (line.trim() === "") return;
      let entry: { path?: unknown; size?: unknown; modificationTime?: unknown; action?: unknown };
      try {
        entry = JSON.parse(line);
      } catch (e) {
        throw new ConnectorError(`${logPath}:${i + 2}: malformed file sink log entry`, { cause: e });
      }
      if (typeof entry.path !== "string") throw new ConnectorError(`${logPath}:${i + 2}: file sink log entry without a path`);
      const local = toLocalPath(entry.path);
      const path = isAbsolute(local) ? underRoot(local, dir, realDir) : join(dir, local);
      if (entry.action === "delete") files.delete(path);
      else {
        let size = typeof entry.size === "number" ? entry.size : -1;
        let modificationTime = typeof entry.modificationTime === "number" ? entry.modificationTime : -1;
        if (size < 0 || modificationTime < 0) {
          const stat = statSync(path, { throwIfNoEntry: false });
          if (stat === undefined) return;
          size = stat.size;
          modificationTime = Math.floor(stat.mtimeMs);
        }
        files.set(path, { path, size, modificationTime });
      }
    });
  }
  return [...files.values()];
}

/**
 * A sink log's absolute path as a path under the root it is read through: a sink written to
 * `/data/out` and read through a link `/data/link` to it lists `/data/link/part-…`, so that
 * its files are the root's (FileIndex keeps a logged root's files by that prefix).
 */
function underRoot(path: string, root: string, realRoot: string): string {
  const prefix = `${root.replace(/\/+$/, "")}/`;
  if (path.startsWith(prefix)) return path;
  let real = path;
  if (!path.startsWith(`${realRoot}/`)) {
    try {
      real = realpathSync(path);
    } catch {
      return path; // not there any more: the reader reports it
    }
  }
  return real.startsWith(`${realRoot}/`) ? prefix + real.slice(realRoot.length + 1) : path;
}
