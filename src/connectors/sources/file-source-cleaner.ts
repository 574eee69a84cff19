import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { FileStatus } from "./file-listing.ts";
import { globSegmentRegExp } from "./hadoop-glob.ts";
import type { SourceOptions } from "./source-options.ts";

const log = new Logger("rivulet.sources.file.cleaner");

/** Spark's cleanSource option: what happens to a file once the batch that read it is committed. */
export type CleanSourceMode = "off" | "delete" | "archive";

/**
 * Spark's FileStreamSourceCleaner: after a batch is committed, its files are deleted
 * (`delete`) or moved under `sourceArchiveDir` with their whole path kept
 * (`archive`: /in/a.json → <archive>/in/a.json). A file that cannot be cleaned is
 * logged and left, as in Spark; cleaning never fails the query.
 */
export interface FileSourceCleaner {
  readonly mode: CleanSourceMode;
  clean(files: readonly FileStatus[]): Promise<void>;
}

/** The cleaner the options ask for (null for `off`), with Spark's checks on the options and the archive directory. */
export function fileSourceCleanerOf(options: SourceOptions, sourcePaths: readonly string[]): FileSourceCleaner | null {
  const raw = options.getString("cleanSource", "off");
  const mode = raw.trim().toLowerCase();
  if (mode !== "off" && mode !== "delete" && mode !== "archive") {
    throw new ConnectorError(`Invalid mode for clean source option ${raw}. Must be one of ARCHIVE,DELETE,OFF`);
  }
  if (mode === "off") return null;
  if (mode === "delete") return { mode, clean: (files) => eachFile(files, "remove", (path) => rm(path)) };
  const archive = options.get("sourceArchiveDir");
  if (archive === undefined || archive.trim() === "") throw new ConnectorError("Archive mode must be used with 'sourceArchiveDir' option.");
  const base = resolve(localPath(archive));
  for (const source of sourcePaths) {
    if (archiveMatchesSource(resolve(localPath(source)), base)) {
      throw new ConnectorError(
        "Base archive path cannot be set to the path where archived path can possibly match with source pattern. Ensure the base " +
          `archive path doesn't match with source pattern in depth, where the depth is minimum of depth on both paths. source path: ${source} / base archive path: ${archive}`,
      );
    }
  }
  return {
    mode,
    clean: (files) => eachFile(files, "move", async (path) => {
      const target = join(base, path);
      await mkdir(dirname(target), { recursive: true });
      await rename(path, target);
    }),
  };
}

function localPath(path: string): string {
  return path.startsWith("file:") ? fileURLToPath(path) : path;
}

async function eachFile(files: readonly FileStatus[], verb: string, act: (path: string) => Promise<void>): Promise<void> {
  for (const f of files) {
    const path = localPath(f.path);
    try {
      if (!existsSync(path)) { log.warn(`Fail to ${verb} ${path} / skip: it is gone`); continue; }
      await act(path);
      log.debug(`${verb}d completed file ${path}`);
    } catch (e) {
      log.warn(`Fail to ${verb} ${path} / skip ${verb === "move" ? "moving" : "removing"} file: ${(e as Error).message}`);
    }
  }
}

/** A path's segments below the root. */
function segments(path: string): string[] {
  return path.split(sep).filter((s) => s !== "");
}

/**
 * Spark's isBaseArchivePathMatchedAgainstSourcePattern: both paths cut to the smaller
 * depth; the archive path matches when each of its segments matches the source's (a glob).
 * A file source reads subdirectories, so such an archive could be read again.
 */
function archiveMatchesSource(source: string, archive: string): boolean {
  const s = segments(source), a = segments(archive);
  const depth = Math.min(s.length, a.length);
  for (let i = 0; i < depth; i++) if (!globSegmentRegExp(s[i]!).test(a[i]!)) return false;
  return true;
}
