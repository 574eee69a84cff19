import type { StreamingQuery } from "../api/streaming-query.ts";
import { ConfKeys } from "../common/config.ts";
import { setLogSink } from "../common/log.ts";
import { Session } from "../session/session.ts";
import { redactSecrets } from "../ui/redact.ts";
import { UI_HOST_KEY, UI_PORT_KEY } from "../ui/ui-server.ts";
import type { CliContext } from "./cli-context.ts";
import { ExitCode } from "./exit-codes.ts";
import { fileBacklogProbe } from "./file-backlog.ts";
import { ProgressReporter } from "./progress-reporter.ts";

export interface JobSessionOptions {
  readonly appName: string;
  readonly conf: readonly [string, string][];
  readonly uiPort?: number;
  readonly uiHost?: string;
  readonly checkpoint?: string;
  readonly logFormat: "text" | "json";
}

/** A session for a long-running job: progress reporter on stdout, logs (secrets masked) on stderr, the web UI if asked. */
export interface JobSession {
  readonly spark: Session;
  readonly reporter: ProgressReporter;
  /** The web UI's URL, when one runs. */
  readonly uiUrl: string | null;
  /** Writes a message to stderr without tearing the live status lines. */
  say(text: string): void;
}

export async function openJobSession(options: JobSessionOptions, ctx: CliContext): Promise<JobSession> {
  const builder = Session.builder().appName(options.appName);
  for (const [k, v] of options.conf) builder.config(k, v);
  if (options.checkpoint !== undefined) builder.config(ConfKeys.checkpointLocation, options.checkpoint);
  if (options.uiPort !== undefined) builder.config(UI_PORT_KEY, options.uiPort);
  if (options.uiHost !== undefined) builder.config(UI_HOST_KEY, options.uiHost);
  const spark = builder.getOrCreate();
  const reporter = new ProgressReporter({
    out: ctx.stdout, logFormat: options.logFormat, backlog: fileBacklogProbe(spark.streams), nameOf: (id) => spark.streams.get(id)?.name ?? null,
  });
  spark.streams.addListener(reporter);
  setLogSink((level, logger, message) => {
    reporter.printAbove(ctx.stderr, `${new Date().toISOString()} ${level.toUpperCase()} ${logger}: ${redactSecrets(message)}\n`);
  });
  let uiUrl: string | null = null;
  if (spark.ui !== null) {
    uiUrl = await spark.ui.ready;
    ctx.stderr.write(`rivulet: web UI at ${uiUrl}\n`);
  }
  return { spark, reporter, uiUrl, say: (text) => reporter.printAbove(ctx.stderr, text) };
}

/**
 * Waits while the queries run: until all have stopped (an availableNow trigger, say), one
 * fails (the others are then stopped), or a stop is requested (SIGINT/SIGTERM), when every
 * query is stopped cleanly with `query.stop()`. Returns the exit code; errors go to stderr.
 */
export async function superviseQueries(queries: readonly StreamingQuery[], ctx: CliContext, say: (text: string) => void): Promise<ExitCode> {
  const firstFailure = new Promise<"failed">((resolve) => {
    for (const q of queries) q.awaitTermination().catch(() => resolve("failed"));
  });
  const allDone = Promise.allSettled(queries.map((q) => q.awaitTermination())).then(() => "done" as const);
  const why = await Promise.race([allDone, firstFailure, ctx.shutdown.requested.then(() => "signal" as const)]);
  if (why === "signal") {
    const active = queries.filter((q) => q.isActive);
    say(`rivulet: ${ctx.shutdown.signal} received; stopping ${active.length} quer${active.length === 1 ? "y" : "ies"} (the checkpoint stays consistent)…\n`);
  }
  await Promise.all(queries.map((q) => q.stop()));
  const failures = queries.filter((q) => q.exception !== null);
  for (const q of failures) say(`rivulet: error: query ${q.name ?? q.id} failed: ${redactSecrets(q.exception!.message)}\n`);
  if (ctx.verbose) for (const q of failures) say(`${redactSecrets(q.exception!.stack ?? "")}\n`);
  return failures.length > 0 ? ExitCode.failed : ExitCode.ok;
}

/** Stops the session (and its web UI) and puts the engine's log back on stderr. */
export async function closeJobSession(job: JobSession, ctx: CliContext): Promise<void> {
  job.reporter.close();
  await job.spark.stop();
  setLogSink((level, logger, message) => {
    ctx.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${logger}: ${redactSecrets(message)}\n`);
  });
}
