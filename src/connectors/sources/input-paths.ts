import { existsSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AnalysisError } from "../../common/errors.ts";
import { expandBraces, isGlobPattern, segmentMatchers, segmentMatches, type SegmentMatcher } from "./hadoop-glob.ts";
import { isHiddenFile, isHiddenPath } from "./file-listing.ts";

/** A path as the user wrote it (a local path or a `file:` URI), made absolute. */
export function toAbsolutePath(path: string): string {
  return resolve(path.startsWith("file:") ? fileURLToPath(path) : path);
}

/** Spark's words for an input path that does not exist or a pattern that matches nothing. */
export function pathNotFound(absolutePath: string): AnalysisError {
  return new AnalysisError(`[PATH_NOT_FOUND] Path does not exist: ${pathToFileURL(absolutePath).href.replace(/^file:\/\/\//, "file:/")}.`);
}

/** One input path: a plain path, or a glob with its brace-free alternatives as segment matchers. */
interface InputPattern {
  readonly text: string;
  readonly absolute: string;
  readonly isGlob: boolean;
  readonly alternatives: readonly SegmentMatcher[][];
}

/**
 * The input paths of a file source (Spark's `checkAndGlobPathIfNecessary`): plain paths
 * and globs, resolved to the existing files and directories they name (the roots) each
 * time the source lists — so a stream over `logs/2026-*` picks up new directories.
 */
export class InputPaths {
  readonly #patterns: InputPattern[];

  constructor(paths: readonly string[]) {
    this.#patterns = paths.map((text) => {
      const absolute = toAbsolutePath(text);
      const isGlob = isGlobPattern(absolute);
      return { text, absolute, isGlob, alternatives: isGlob ? expandBraces(absolute).map(segmentMatchers) : [] };
    });
  }

  get texts(): string[] {
    return this.#patterns.map((p) => p.text);
  }

  /** The absolute plain paths (no glob): where a file sink's `_spark_metadata` may be. */
  get plainPaths(): string[] {
    return this.#patterns.filter((p) => !p.isGlob).map((p) => p.absolute);
  }

  /**
   * Spark's checks at load: a plain path must exist; for a batch read, a glob must match
   * something (a stream may start before its first matching directory appears).
   */
  check(bounded: boolean): void {
    for (const p of this.#patterns) {
      if (!p.isGlob && !existsSync(p.absolute)) throw pathNotFound(p.absolute);
      if (p.isGlob && bounded && this.#matches(p).length === 0) throw pathNotFound(p.absolute);
    }
  }

  /**
   * The existing roots, in order and without duplicates. Glob matches with a hidden name
   * (`_SUCCESS`, `.x`) are left out, as Spark does.
   */
  roots(): string[] {
    const out = new Set<string>();
    for (const p of this.#patterns) {
      if (!p.isGlob) {
        if (existsSync(p.absolute)) out.add(p.absolute);
        continue;
      }
      for (const m of this.#matches(p)) if (!isHiddenPath(m)) out.add(m);
    }
    return [...out];
  }

  /** Whether `path` is itself one of the roots' patterns' matches (it is a root, or could become one). */
  isRoot(path: string): boolean {
    return this.#patterns.some((p) => (p.isGlob ? p.alternatives.some((segs) => matchesWhole(segs, path)) : p.absolute === path));
  }

  #matches(p: InputPattern): string[] {
    const found = new Set<string>();
    for (const segs of p.alternatives) for (const m of globExisting(segs)) found.add(m);
    return [...found].sort();
  }
}

function matchesWhole(segs: readonly SegmentMatcher[], path: string): boolean {
  const names = path.split("/").filter((s) => s !== "");
  return names.length === segs.length && segs.every((m, i) => segmentMatches(m, names[i]!));
}

/** The existing paths a pattern's segments match, walking down from the root directory. */
function globExisting(segs: readonly SegmentMatcher[]): string[] {
  let current = ["/"];
  for (const [i, m] of segs.entries()) {
    const last = i === segs.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      const prefix = dir === "/" ? "/" : `${dir}/`;
      if ("literal" in m) {
        const path = prefix + m.literal;
        if (last ? existsSync(path) : isDirectory(path)) next.push(path);
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue; // not a directory, or gone
      }
      for (const name of names.sort()) {
        // A wildcard does not reach into hidden entries (`_temporary`, `.git`) unless the
        // pattern starts with that character itself (`_tmp*`), as a shell's `*` and `.*`.
        if (isHiddenFile(name) && !(m.hiddenPrefix !== "" && name.startsWith(m.hiddenPrefix))) continue;
        if (!segmentMatches(m, name)) continue;
        const path = prefix + name;
        if (last || isDirectory(path)) next.push(path);
      }
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
