import { statSync } from "node:fs";
import { dirname } from "node:path";
import { ConnectorError } from "../../common/errors.ts";
import type { StructType } from "../../types/data-types.ts";
import { fileFiltersOf } from "./file-filters.ts";
import { hasSinkLog, listLeafFiles, type FileAccept, type FileStatus } from "./file-listing.ts";
import { InputPaths, toAbsolutePath } from "./input-paths.ts";
import { FilePartitioning } from "./partitioning.ts";
import { SourceOptions } from "./source-options.ts";

/**
 * Spark's InMemoryFileIndex for one file source: the input paths (globs resolved anew at
 * each listing), the options that choose files (`recursiveFileLookup`, `pathGlobFilter`,
 * `modifiedBefore`/`modifiedAfter`, `basePath`) and the partitioning found at load.
 *
 * Which files are read, as in Spark: with `recursiveFileLookup`, every file under the
 * roots (no partition discovery); with partition columns, the files in partition
 * directories; otherwise the roots that are files and the files directly in root
 * directories (a plain subdirectory's files are not read: use a glob or recursiveFileLookup).
 */
export class FileIndex {
  readonly inputs: InputPaths;
  readonly recursive: boolean;
  readonly #accept: FileAccept | null;
  readonly #basePath: string | null;
  #partitioning: FilePartitioning = FilePartitioning.none();
  /** The directories of the roots that are files, as of the last listing (base paths too). */
  #rootFileParents = new Set<string>();

  constructor(paths: readonly string[], options: SourceOptions, bounded: boolean) {
    this.inputs = new InputPaths(paths);
    this.recursive = options.getBoolean("recursiveFileLookup", false);
    this.#accept = fileFiltersOf(options, bounded, "UTC").accepts;
    const basePath = options.get("basePath");
    this.#basePath = basePath === undefined ? null : toAbsolutePath(basePath);
    this.inputs.check(bounded);
    if (this.#basePath !== null) this.#checkBasePath(this.#basePath, basePath!);
  }

  get partitioning(): FilePartitioning {
    return this.#partitioning;
  }

  /** Finds the partition columns of the files present now (once, when the source is defined). */
  discoverPartitioning(userSchema: StructType | null): FilePartitioning {
    if (this.recursive) return this.#partitioning;
    const files = this.#leafFiles(this.#roots()).map((f) => f.path);
    this.#partitioning = FilePartitioning.discover(files, (dir) => this.#isBase(dir), userSchema);
    return this.#partitioning;
  }

  /** The files to read now, without duplicates, in listing order. */
  listFiles(): FileStatus[] {
    const roots = this.#roots();
    const all = this.#leafFiles(roots);
    if (this.recursive) return all;
    if (this.#partitioning.isPartitioned) return all.filter((f) => this.#partitioning.holdsPartitionValues(f.path));
    const rootSet = new Set(roots);
    // A file sink's log lists exactly its files, wherever they lie under its directory.
    const logged = roots.filter(hasSinkLog).map((r) => `${r}/`);
    return all.filter((f) => rootSet.has(f.path) || rootSet.has(dirname(f.path)) || logged.some((r) => f.path.startsWith(r)));
  }

  /** How many visible files lie anywhere under the roots (listFiles may read fewer). */
  filesBelowRoots(): number {
    return this.#leafFiles(this.#roots()).length;
  }

  #roots(): string[] {
    const roots = this.inputs.roots();
    this.#rootFileParents = new Set(roots.filter((r) => statSync(r, { throwIfNoEntry: false })?.isFile() ?? false).map((r) => dirname(r)));
    return roots;
  }

  #leafFiles(roots: readonly string[]): FileStatus[] {
    const seen = new Set<string>();
    const out: FileStatus[] = [];
    for (const root of roots) {
      for (const f of listLeafFiles(root, this.#accept)) {
        if (seen.has(f.path)) continue;
        seen.add(f.path);
        out.push(f);
      }
    }
    return out;
  }

  /** Spark's base paths: the basePath option, else each root directory and the directory of each root file. */
  #isBase(dir: string): boolean {
    if (this.#basePath !== null) return dir === this.#basePath;
    return this.inputs.isRoot(dir) || this.#rootFileParents.has(dir);
  }

  #checkBasePath(base: string, written: string): void {
    if (!(statSync(base, { throwIfNoEntry: false })?.isDirectory() ?? false)) {
      throw new ConnectorError("Option 'basePath' must be a directory");
    }
    for (const root of this.inputs.roots()) {
      if (root !== base && !root.startsWith(base.endsWith("/") ? base : `${base}/`)) {
        throw new ConnectorError(`Wrong basePath ${written} for the root path: ${root}`);
      }
    }
  }
}

/** The files a path names (a file, a directory's files, a glob's matches), as a batch read of it lists them. */
export function listInputFiles(path: string): FileStatus[] {
  try {
    const index = new FileIndex([path], new SourceOptions("file", {}), false);
    index.discoverPartitioning(null);
    return index.listFiles();
  } catch {
    return []; // a path that does not exist (yet), or that a read would refuse: nothing to count
  }
}
