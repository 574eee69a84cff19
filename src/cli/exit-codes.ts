import { AnalysisError, ParseError, StreamingQueryException } from "../common/errors.ts";

/**
 * Exit codes of the `rivulet` command, which scripts can rely on:
 *   0    done (also after a clean stop by SIGINT/SIGTERM)
 *   1    the job failed (a query stopped with an error, a source or sink failed)
 *   2    usage error (unknown command or option, missing argument, unreadable job file)
 *   3    SQL error (syntax or analysis: unknown table or column, unsupported streaming operation)
 *   130  forced exit by a second SIGINT/SIGTERM (the checkpoint re-runs the unfinished batch)
 */
export const ExitCode = { ok: 0, failed: 1, usage: 2, sql: 3, forced: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0    done (also after a clean stop by SIGINT/SIGTERM)
  1    the job failed (a query stopped with an error, a source or sink failed)
  2    usage error (unknown command or option, missing argument, unreadable job file)
  3    SQL error (syntax or analysis: unknown table or column, unsupported streaming operation)
  130  forced exit by a second SIGINT/SIGTERM`;

/** Wrong command-line use: the message, then the command's usage. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof UsageError) return ExitCode.usage;
  // A failure of a running query is a job failure, whatever caused it.
  if (error instanceof StreamingQueryException) return ExitCode.failed;
  if (error instanceof ParseError || error instanceof AnalysisError) return ExitCode.sql;
  return ExitCode.failed;
}
