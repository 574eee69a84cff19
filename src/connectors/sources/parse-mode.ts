import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { SourceOptions } from "./source-options.ts";

/** Spark's `mode` option for the JSON and CSV readers. */
export type ParseMode = "PERMISSIVE" | "DROPMALFORMED" | "FAILFAST";

export function parseModeOf(options: SourceOptions): ParseMode {
  const raw = options.getString("mode", "PERMISSIVE");
  const mode = raw.trim().toUpperCase();
  if (mode === "PERMISSIVE" || mode === "DROPMALFORMED" || mode === "FAILFAST") return mode;
  throw new ConnectorError(`${options.format} source: option 'mode' must be PERMISSIVE, DROPMALFORMED or FAILFAST, not '${raw}'`);
}

/** The default name of the column that holds a malformed record's raw text. */
export const DEFAULT_CORRUPT_RECORD_COLUMN = "_corrupt_record";

/**
 * Applies the parse mode to one malformed record and counts them all, so that the source
 * can report `numMalformedRecords` whatever the mode.
 */
export class MalformedRecords {
  #count = 0;
  readonly #log: Logger;

  constructor(readonly mode: ParseMode, readonly format: string) {
    this.#log = new Logger(`rivulet.sources.${format}`);
  }

  get count(): number {
    return this.#count;
  }

  /** Adds records counted elsewhere (a worker thread that decoded a file). */
  add(count: number): void {
    this.#count += count;
  }

  /**
   * Records a malformed record at `path`:`line` (1-based; null when not known). Returns true when the row is kept
   * (PERMISSIVE), false when it is dropped; throws in FAILFAST mode.
   */
  report(path: string, line: number | null, reason: string): boolean {
    const where = line === null ? path : `${path}:${line}`;
    this.#count++;
    switch (this.mode) {
      case "PERMISSIVE":
        return true;
      case "DROPMALFORMED":
        this.#log.warn(`dropping malformed record at ${where}: ${reason}`);
        return false;
      case "FAILFAST":
        throw new ConnectorError(
          `[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ${where}: ${reason}. ` +
            `Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`,
        );
    }
  }
}
