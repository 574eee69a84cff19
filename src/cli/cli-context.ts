import type { StatusOutput } from "./progress-reporter.ts";
import type { Shutdown } from "./shutdown.ts";

/** What a command runs with: its outputs (progress and results to stdout, logs and errors to stderr) and the stop request. */
export interface CliContext {
  readonly stdout: StatusOutput;
  readonly stderr: { write(text: string): unknown };
  readonly verbose: boolean;
  readonly shutdown: Shutdown;
}
