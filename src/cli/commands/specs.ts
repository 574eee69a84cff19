import type { CommandSpec } from "../args.ts";

/*
 * What each command accepts and what its --help says: plain data, so that `rivulet --help`
 * and usage errors answer without loading the engine.
 */

export const JOB_OPTIONS = {
  ui: { type: "string", value: "port", description: "serve the web UI on this port (0: any free port)" },
  "ui-host": { type: "string", value: "host", description: "address the web UI listens on (default 127.0.0.1)" },
  "log-format": { type: "string", value: "text|json", description: "progress as text or JSON lines when stdout is not a terminal (default text)" },
} as const;

export const runSpec: CommandSpec = {
  name: "run",
  brief: "run a SQL job until stopped (INSERT INTO … FROM STREAM)",
  summary: "Runs a SQL job until it is stopped: sources and sinks from CREATE TABLE … USING, queries from INSERT INTO … SELECT … FROM STREAM(t).",
  usage: "<job.sql> [options]",
  details: [
    "Each query is named after its sink table. Progress goes to stdout (one live line per query",
    "on a terminal), logs and errors to stderr. SIGINT/SIGTERM stop the queries cleanly; run the",
    "same job again to resume from its checkpoint.",
  ].join("\n"),
  options: {
    ...JOB_OPTIONS,
    conf: { type: "string", multiple: true, value: "key=value", description: "a session setting, as SET key = value" },
    checkpoint: { type: "string", value: "dir", description: "checkpoint root for queries whose sink table sets no checkpointLocation" },
    trigger: { type: "string", value: "spec", description: "trigger for queries whose sink table sets none: '10 seconds', availableNow, once" },
  },
};

export const sqlSpec: CommandSpec = {
  name: "sql",
  brief: "run batch SQL over files and print the result",
  summary: "Runs batch SQL over files and prints the last statement's result.",
  usage: "\"<SQL>\" [options]   (or -f file.sql, or - to read stdin)",
  details: [
    "Tables: CREATE TABLE t USING json OPTIONS (path 'dir') in the text, or --table t=path",
    "(json, csv or text by the files' extension; or --table t=csv:path).",
    "Example: rivulet sql --table logs=logs/ \"SELECT action, count(*) AS n FROM logs GROUP BY action\"",
  ].join("\n"),
  options: {
    format: { type: "string", value: "table|json|csv", description: "output format (default table)" },
    file: { type: "string", short: "f", value: "file.sql", description: "read the SQL from a file" },
    table: { type: "string", multiple: true, value: "name=[format:]path", description: "register files as a table" },
    conf: { type: "string", multiple: true, value: "key=value", description: "a session setting, as SET key = value" },
    "max-rows": { type: "string", value: "n", description: "print at most n rows (default 10000)" },
  },
};

export const explainSpec: CommandSpec = {
  name: "explain",
  brief: "print a SQL job's logical, optimized and physical plans",
  summary: "Prints the analyzed logical, optimized logical and physical plans of a SQL job's queries, without running them.",
  usage: "<job.sql> [options]",
  details: "CREATE, SET and DROP statements run (they only change the session); each INSERT INTO and SELECT is explained.",
  options: {
    conf: { type: "string", multiple: true, value: "key=value", description: "a session setting, as SET key = value" },
  },
};

export const demoSpec: CommandSpec = {
  name: "demo",
  brief: "generate web logs and run the headline job live into SQLite/MySQL",
  summary: "Generates sample web-log files and runs the headline job live on them: counts of each action per hour, upserted into a database table.",
  usage: "[options]",
  details: [
    "A backlog of log files is caught up first (two files per batch), then a new file arrives",
    "every --interval seconds until SIGINT/SIGTERM (or --duration). The result goes to an",
    "embedded SQLite database unless --sink names another JDBC URL (e.g. jdbc:mysql://host/db?user=…).",
  ].join("\n"),
  options: {
    sink: { type: "string", value: "jdbc-url", description: "where the counts go (default jdbc:sqlite:<dir>/demo.db)" },
    dir: { type: "string", value: "dir", description: "working directory for logs, checkpoint and database (default: a temporary one, removed at the end)" },
    backlog: { type: "string", value: "n", description: "log files present before the job starts (default 4)" },
    interval: { type: "string", value: "seconds", description: "a new log file arrives this often (default 1)" },
    duration: { type: "string", value: "seconds", description: "stop this long after the first counts are written (default: run until stopped)" },
    ...JOB_OPTIONS,
  },
};

export const agentSpec: CommandSpec = {
  name: "agent",
  brief: "run a Flume-style agent",
  summary: "Runs a Flume-style agent (sources → channels → sinks) from a properties file, until stopped.",
  usage: "--conf-file <agent.properties> --name <agent name>",
  details: "As Flume's `flume-ng agent -f file -n name`; SIGINT/SIGTERM stop the agent.",
  options: {
    "conf-file": { type: "string", short: "f", value: "file", description: "the agent's properties file" },
    name: { type: "string", short: "n", value: "name", description: "which agent of the file to run" },
  },
};
