import type { Source } from "../connectors/source.ts";

/**
 * A source whose latestOffset records what the offset stands for in a log of its own (the
 * file source's log of the files each offset takes: file-source-log.ts), which can be written
 * in the background once asked to: the executor reads the batch meanwhile, and waits for the
 * write before it logs an offset that names the entry (offsets/N), so a restart never finds
 * an offset without its entry. Callers that do not ask (DStreams) get offsets already logged.
 */
export interface WritesItsLogLater {
  /** From now on latestOffset returns before its log entry is on disk. */
  writeLogLater(): void;
  /** Resolves once everything latestOffset logged so far is on disk; rejects if a write failed. */
  logWritten(): Promise<void>;
}

export function writesItsLogLater(source: Source): source is Source & WritesItsLogLater {
  return typeof (source as Partial<WritesItsLogLater>).logWritten === "function";
}

/** Waits for every source's log writes (see WritesItsLogLater). */
export async function sourceLogsWritten(sources: readonly Source[]): Promise<void> {
  await Promise.all(sources.map((s) => (writesItsLogLater(s) ? s.logWritten() : undefined)));
}
