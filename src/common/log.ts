/**
 * The engine's log: to stderr (progress and results go to stdout), quiet under tests
 * unless RIVULET_LOG is set. Levels as in log4j.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function threshold(): number {
  const env = (process.env.RIVULET_LOG ?? (process.env.VITEST ? "error" : "warn")).toLowerCase();
  return ORDER[env as LogLevel] ?? ORDER.warn;
}

export type LogSink = (level: LogLevel, logger: string, message: string) => void;
let sink: LogSink = (level, logger, message) => {
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${logger}: ${message}\n`);
};

/** Lets the CLI (and tests) route log lines elsewhere. */
export function setLogSink(next: LogSink): void {
  sink = next;
}

export class Logger {
  constructor(readonly name: string) {}
  debug(message: string): void { this.#log("debug", message); }
  info(message: string): void { this.#log("info", message); }
  warn(message: string): void { this.#log("warn", message); }
  error(message: string): void { this.#log("error", message); }
  #log(level: LogLevel, message: string): void {
    if (ORDER[level] >= threshold()) sink(level, this.name, message);
  }
}
