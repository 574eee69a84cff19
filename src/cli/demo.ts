import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { col } from "../api/functions.ts";
import { redactSecrets } from "../ui/redact.ts";
import { choiceOption, helpText, parseCommandArgs, portOption, stringOption, usageLine, type ParsedArgs } from "./args.ts";
import { demoSpec } from "./commands/specs.ts";
import type { CliContext } from "./cli-context.ts";
import { ExitCode, UsageError } from "./exit-codes.ts";
import { closeJobSession, openJobSession, superviseQueries } from "./job-runner.ts";
import { generateSampleLogs } from "./sample-logs.ts";


const EVENTS_PER_FILE = 12_000;
const HOURS_PER_FILE = 6;

function numberOption(args: ParsedArgs, name: string, fallback: number, min: number): number {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} expects a number ≥ ${min}, not '${text}'`, usageLine(demoSpec));
  return n;
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The headline job, as a SQL script. */
export function demoJob(logs: string, sink: string, checkpoint: string): string {
  return `
CREATE TABLE logs (time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT)
  USING json OPTIONS (path ${sqlString(logs)}, maxFilesPerTrigger 2);
CREATE TABLE action_counts USING jdbc
  OPTIONS (url ${sqlString(sink)}, dbtable 'action_counts', outputMode 'update', trigger '1 second', checkpointLocation ${sqlString(checkpoint)});
INSERT INTO action_counts
SELECT window(time, '1 hour') AS window, action, count(*) AS n
FROM STREAM logs WATERMARK time DELAY OF INTERVAL 1 HOUR
GROUP BY window(time, '1 hour'), action;
`;
}

export async function demoCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const args = parseCommandArgs(demoSpec, argv);
  if (args.values.help) {
    ctx.stdout.write(helpText(demoSpec));
    return ExitCode.ok;
  }
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`, usageLine(demoSpec));
  const backlog = Math.floor(numberOption(args, "backlog", 4, 1));
  const intervalMs = numberOption(args, "interval", 1, 0.05) * 1000;
  const durationMs = stringOption(args, "duration") === undefined ? null : numberOption(args, "duration", 0, 0) * 1000;
  const logFormat = choiceOption(args, "log-format", ["text", "json"] as const, "text", demoSpec);
  const uiPort = portOption(args, "ui", demoSpec);
  const given = stringOption(args, "dir");
  const dir = given === undefined ? await mkdtemp(join(tmpdir(), "rivulet-demo-")) : resolve(given);
  const logs = join(dir, "logs");
  const staging = join(dir, "incoming");
  const sink = stringOption(args, "sink") ?? `jdbc:sqlite:${join(dir, "demo.db")}`;
  await mkdir(staging, { recursive: true });

  let next = 0;
  const start = Date.UTC(2026, 0, 1);
  const addFile = async (): Promise<void> => {
    const i = next++;
    const [path] = await generateSampleLogs(join(staging, String(i)), {
      events: EVENTS_PER_FILE, hours: HOURS_PER_FILE, files: 1, seed: 1 + i, start: new Date(start + i * HOURS_PER_FILE * 3_600_000),
    });
    await mkdir(logs, { recursive: true });
    // Renamed into place whole, as a web server's rotated log would appear.
    await rename(path!, join(logs, `access-${String(i).padStart(5, "0")}.json`));
    await rm(join(staging, String(i)), { recursive: true, force: true });
  };
  for (let i = 0; i < backlog; i++) await addFile();
  ctx.stderr.write(`rivulet demo: ${backlog} log files in ${logs}; a new one every ${intervalMs / 1000}s; counts go to ${redactSecrets(sink)}\n`);

  const job = await openJobSession({ appName: "demo", conf: [], uiPort, uiHost: stringOption(args, "ui-host"), logFormat }, ctx);
  let feeder: NodeJS.Timeout | null = null;
  let adding: Promise<void> | null = null;
  let stopTimer: NodeJS.Timeout | null = null;
  try {
    // --duration counts from the first batch written, so that a slow or busy machine still
    // shows counts at the end rather than an empty table.
    if (durationMs !== null) {
      job.spark.streams.addListener({
        onQueryProgress: () => { stopTimer ??= setTimeout(() => ctx.shutdown.request("SIGTERM"), durationMs); },
      });
    }
    const { queries } = await job.spark.sqlScript(demoJob(logs, sink, join(dir, "checkpoint")));
    feeder = setInterval(() => {
      if (adding !== null) return;
      adding = addFile()
        .catch((e: unknown) => job.say(`rivulet demo: cannot add a log file: ${(e as Error).message}\n`))
        .finally(() => { adding = null; });
    }, intervalMs);
    const code = await superviseQueries(queries, ctx, job.say);
    if (code === ExitCode.ok) {
      const top = job.spark.read.jdbc(sink, "action_counts").orderBy(col("window_start").desc(), col("n").desc());
      ctx.stdout.write(`\nrivulet demo: the newest counts in action_counts (${redactSecrets(sink)}):\n${await top.showString(10, false)}\n`);
      ctx.stdout.write(`${howToLook(sink, given !== undefined)}\n`);
    }
    return code;
  } finally {
    if (feeder !== null) clearInterval(feeder);
    if (stopTimer !== null) clearTimeout(stopTimer);
    await adding;
    await closeJobSession(job, ctx);
    if (given === undefined) {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch((e: unknown) => ctx.stderr.write(`rivulet demo: could not remove ${dir}: ${(e as Error).message}\n`));
    }
  }
}

/** The line that tells the user how to look at the table themselves. */
function howToLook(sink: string, kept: boolean): string {
  const query = "SELECT * FROM action_counts ORDER BY window_start DESC, n DESC LIMIT 10";
  if (sink.startsWith("jdbc:sqlite:")) {
    const file = sink.slice("jdbc:sqlite:".length);
    return kept
      ? `look at the table: sqlite3 ${file} "${query}"`
      : "look at the table: run with --dir <dir> to keep the database, then: sqlite3 <dir>/demo.db \"" + query + "\"";
  }
  if (/^jdbc:(mysql|mariadb):/.test(sink)) {
    const db = /\/\/[^/]+\/([^?]+)/.exec(sink)?.[1] ?? "test";
    return `look at the table: mariadb -h127.0.0.1 -uroot ${db} -e "${query}"`;
  }
  if (sink.startsWith("jdbc:postgresql:")) return `look at the table: psql -h 127.0.0.1 test -c "${query}"`;
  return `look at the table action_counts at ${redactSecrets(sink)}`;
}
