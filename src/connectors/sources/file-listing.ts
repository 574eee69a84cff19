import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
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

/** Hidden or in-progress files that Spark never reads. */
export function isHiddenFile(name: string): boolean {
  return name.startsWith(".") || name.startsWith("_") || name.endsWith(".tmp") || name.endsWith("._COPYING_");
}

function hasGlob(text: string): boolean {
  return /[*?]/.test(text);
}

/** One path segment's glob (`*`, `?`) as a regular expression over a whole name. */
export function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (const ch of pattern) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function toLocalPath(path: string): string {
  return path.startsWith("file:") ? fileURLToPath(path) : path;
}

/** The directory an input path's files are found under: the path itself, or a glob's directory. */
export function basePathOf(path: string): string {
  const local = resolve(toLocalPath(path));
  return hasGlob(basename(local)) ? dirname(local) : local;
}

/**
 * Checks that an input path exists (Spark fails `load()` with "Path does not exist"); for
 * a glob (`dir/*.json`) its directory must exist.
 */
export function checkInputPath(path: string): void {
  const local = toLocalPath(path);
  const target = hasGlob(basename(local)) ? dirname(local) : local;
  if (!existsSync(target)) throw new ConnectorError(`Path does not exist: ${path}`);
}

/**
 * The files under an input path: a single file, the visible files of a directory and of
 * its partition directories, `k=v`, at any depth (or of
 * its `_spark_metadata` log when a file sink wrote it), or the files matching a glob in
 * the last path segment.
 */
export function listInputFiles(path: string): FileStatus[] {
  const local = resolve(toLocalPath(path));
  const name = basename(local);
  if (hasGlob(name)) {
    const dir = dirname(local);
    const re = globToRegExp(name);
    return listDirectory(dir).filter((f) => re.test(basename(f.path)));
  }
  if (!existsSync(local)) return [];
  const stat = statSync(local);
  if (stat.isFile()) return [{ path: local, size: stat.size, modificationTime: Math.floor(stat.mtimeMs) }];
  const metadataDir = join(local, SPARK_METADATA_DIR);
  if (existsSync(metadataDir) && statSync(metadataDir).isDirectory()) return listSinkMetadata(local, metadataDir);
  return listDirectory(local);
}

/** Hive-style partition directories (`date=2026-01-01`), which listing descends into. */
export function isPartitionDirectory(name: string): boolean {
  return !isHiddenFile(name) && name.indexOf("=") > 0;
}

function listDirectory(dir: string, out: FileStatus[] = []): FileStatus[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && isPartitionDirectory(entry.name)) {
      listDirectory(join(dir, entry.name), out);
      continue;
    }
    if (!entry.isFile() || isHiddenFile(entry.name)) continue;
    const path = join(dir, entry.name);
    try {
      const stat = statSync(path);
      out.push({ path, size: stat.size, modificationTime: Math.floor(stat.mtimeMs) });
    } catch {
      // Deleted between listing and stat: not there any more.
    }
  }
  return out;
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
      const path = isAbsolute(local) ? local : join(dir, local);
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
