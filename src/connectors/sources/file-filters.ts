import { parseTimestampMicros } from "../../columnar/temporal.ts";
import { AnalysisError, ConnectorError } from "../../common/errors.ts";
import { zoneRules } from "../../common/time-zone.ts";
import type { FileStatus } from "./file-listing.ts";
import { globSegmentRegExp } from "./hadoop-glob.ts";
import type { SourceOptions } from "./source-options.ts";

/**
 * Spark's file index filters (PathFilterFactory): `pathGlobFilter`, a glob on file names
 * only; `modifiedBefore` / `modifiedAfter`, timestamps `YYYY-MM-DDTHH:mm:ss` in the
 * `timeZone` option or the session time zone, for batch reads only. Directories are never
 * filtered, so a pattern on names does not stop the listing from descending.
 */
export interface FileFilters {
  /** Null when no option asks for filtering. */
  readonly accepts: ((file: FileStatus, name: string) => boolean) | null;
}

const MODIFIED_OPTIONS = ["modifiedBefore", "modifiedAfter"] as const;

export function fileFiltersOf(options: SourceOptions, bounded: boolean, sessionZone: string): FileFilters {
  if (!bounded) {
    // Spark's FileStreamOptions refuses them: a stream's files are the ones that arrive.
    for (const name of MODIFIED_OPTIONS) {
      if (options.has(name)) throw new ConnectorError(`option '${name}' is not allowed in file stream sources`);
    }
  }
  const tests: ((file: FileStatus, name: string) => boolean)[] = [];
  const glob = options.get("pathGlobFilter");
  if (glob !== undefined) {
    const re = globSegmentRegExp(glob);
    tests.push((_, name) => re.test(name));
  }
  const zone = options.get("timeZone") ?? sessionZone;
  const before = thresholdOf(options, "modifiedBefore", zone);
  if (before !== null) tests.push((f) => f.modificationTime * 1000 < before);
  const after = thresholdOf(options, "modifiedAfter", zone);
  if (after !== null) tests.push((f) => f.modificationTime * 1000 > after);
  return { accepts: tests.length === 0 ? null : (file, name) => tests.every((t) => t(file, name)) };
}

/** The option's instant in microseconds; Spark's words when it is not a timestamp. */
function thresholdOf(options: SourceOptions, name: string, zone: string): number | null {
  const text = options.get(name);
  if (text === undefined) return null;
  const micros = parseTimestampMicros(text, zoneRules(zone));
  if (micros === null) {
    throw new AnalysisError(
      `The timestamp provided for the '${name.toLowerCase()}' option is invalid. The expected format is 'YYYY-MM-DDTHH:mm:ss', but the provided timestamp was: ${text}`,
    );
  }
  return micros;
}
