/**
 * Flume ingestion: events per second from a spool directory through rivulet's agent
 * (spooldir source → memory channel → avro sink) and the Avro push receiver
 * (`readStream.format("flume")`) into a structured job's windowed count, beside the same
 * job reading the same files directly with `readStream.text(dir)`, in the same run.
 *
 * Both jobs do the same work per line: `parse_access_log` on the line, then
 * `groupBy(window(log.timestamp, "1 minute")).count()` in complete mode into a memory sink,
 * with a checkpoint (so the push receiver answers OK only once a batch is in its durable
 * buffer). The direct job runs with an `availableNow` trigger and ends by itself; the Flume
 * job runs with the default trigger and is stopped once its counts add up to every line.
 *
 * The agent runs as a child process (`src/cli/agent.ts --conf-file … --name a1`, as a user
 * runs it) with a generated properties file; it is started and seen ready before the clock
 * starts, and the clock starts when the files are moved into its spool directory. The agent
 * and the job share the machine's cores. Both paths are warmed up, untimed, on the first
 * file before either is measured.
 *
 *   npx tsx benchmarks/flume-ingest.ts                      # 200,000 lines in 20 files
 *   BENCH_LINES=1000000 npx tsx benchmarks/flume-ingest.ts  # more
 *   BENCH_BATCH=1000 (spooldir batchSize and avro sink batch-size)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session, col, expr, window } from "../src/index.ts";

const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const FILES = Number(process.env.BENCH_FILES ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const MINUTES = 60;
const repo = join(import.meta.dirname, "..");

const URLS = ["/", "/index.html", "/about", "/api/items", "/api/items/42", "/login", "/logout", "/static/app.js", "/static/app.css", "/search?q=rivulet"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Apache combined log lines, deterministic, their timestamps spread over MINUTES minutes. */
async function generate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const start = Date.UTC(2026, 10, 25, 10, 0, 0);
  const perFile = Math.ceil(LINES / FILES);
  for (let f = 0, i = 0; f < FILES; f++) {
    const parts: string[] = [];
    for (let j = 0; j < perFile && i < LINES; j++, i++) {
      const t = new Date(start + Math.floor((i / LINES) * MINUTES * 60_000));
      const p2 = (n: number): string => String(n).padStart(2, "0");
      const ts = `${p2(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())} +0000`;
      const url = URLS[(i * 7919) % URLS.length]!;
      parts.push(`10.0.${(i >> 8) & 255}.${i & 255} - - [${ts}] "GET ${url} HTTP/1.1" 200 ${(i * 31) % 5000} "-" "Mozilla/5.0 (bench)"\n`);
    }
    await writeFile(join(dir, `access-${String(f).padStart(4, "0")}.log`), parts.join(""));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function countsQuery(spark: Session, lines: ReturnType<Session["readStream"]["text"]>, name: string, checkpoint: string) {
  return lines
    .select(expr("parse_access_log(line)").as("log"))
    .where(col("log").isNotNull())
    .groupBy(window(col("log.timestamp"), "1 minute"))
    .count()
    .writeStream.format("memory").queryName(name).outputMode("complete")
    .option("checkpointLocation", checkpoint);
}

async function total(spark: Session, name: string): Promise<number> {
  const rows = await spark.table(name).collect();
  return rows.reduce((n, r) => n + Number(r.count), 0);
}

let directRun = 0;
async function direct(spark: Session, dataDir: string, work: string): Promise<[number, number]> {
  const lines = spark.readStream.text(dataDir).select(col("value").as("line"));
  const t0 = performance.now();
  const name = `flume_bench_direct_${directRun++}`;
  const query = countsQuery(spark, lines, name, join(work, `cp-${name}`)).trigger({ availableNow: true }).start();
  await query.awaitTermination();
  const seconds = (performance.now() - t0) / 1000;
  return [await total(spark, name), seconds];
}

/** Times the spooldir source found the memory channel full (the sink is the slower side). */
let agentBackpressure = 0;

/** Starts the agent as a child and resolves once it has logged that it started. */
async function startAgent(confFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(repo, "src/cli/agent.ts"), "--conf-file", confFile, "--name", "a1"], {
    cwd: repo, env: { ...process.env, RIVULET_LOG: "info" }, stdio: ["ignore", "inherit", "pipe"],
  });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`agent exited with ${code}: ${log}`)));
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("agent a1 started")) resolve();
      for (const line of chunk.toString().split("\n")) {
        if (line.includes("channel is full")) agentBackpressure++;
        else if (/ (WARN|ERROR) /.test(line)) process.stderr.write(`agent: ${line}\n`);
      }
    });
  });
  return child;
}

let flumeRun = 0;
/** The Flume path over the files of `dataDir` (`lines` lines in all), with its own agent, spool directory and checkpoint under `work`. */
async function viaFlume(spark: Session, dataDir: string, work: string, lines: number): Promise<[number, number, number]> {
  const name = `flume_bench_push_${flumeRun++}`;
  work = join(work, name);
  const port = await freePort();
  const spool = join(work, "spool");
  const staging = join(work, "staging");
  await mkdir(spool, { recursive: true });
  const conf = join(work, "agent.properties");
  await writeFile(conf, [
    "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
    "a1.sources.r1.type = spooldir", "a1.sources.r1.channels = c1", `a1.sources.r1.spoolDir = ${spool}`,
    `a1.sources.r1.batchSize = ${BATCH}`, "a1.sources.r1.pollDelay = 50",
    "a1.channels.c1.type = memory", `a1.channels.c1.capacity = ${BATCH * 20}`, `a1.channels.c1.transactionCapacity = ${BATCH}`,
    "a1.sinks.k1.type = avro", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = 127.0.0.1", `a1.sinks.k1.port = ${port}`,
    `a1.sinks.k1.batch-size = ${BATCH}`, "",
  ].join("\n"));
  // The same files, copied beside the spool directory (same file system) so that moving them in is a rename.
  await mkdir(staging, { recursive: true });
  const files = (await readdir(dataDir)).sort();
  for (const f of files) await copyFile(join(dataDir, f), join(staging, f));

  const received = spark.readStream.format("flume").option("host", "127.0.0.1").option("port", String(port))
    .option("maxBufferedEvents", String(Math.max(100_000, BATCH * 50))).load()
    .select(expr("cast(body as string)").as("line"));
  const query = countsQuery(spark, received, name, join(work, "cp-flume")).start();
  const agent = await startAgent(conf);
  try {
    const t0 = performance.now();
    for (const f of files) await rename(join(staging, f), join(spool, f));
    let counted = 0;
    let batches = 0;
    while (counted < lines) {
      await new Promise((r) => setTimeout(r, 50));
      if (query.exception !== null) throw query.exception;
      counted = await total(spark, name).catch(() => 0);
      batches = query.recentProgress.length;
    }
    const seconds = (performance.now() - t0) / 1000;
    return [counted, seconds, batches];
  } finally {
    await query.stop();
    agent.kill("SIGTERM");
    await new Promise((r) => agent.once("exit", r));
  }
}

const work = await mkdtemp(join(tmpdir(), "rivulet-bench-flume-"));
try {
  const dataDir = join(work, "data");
  await generate(dataDir);
  const spark = Session.builder().appName("bench-flume").getOrCreate();
  // Warm both paths alike, untimed, on the first file: the job's code (JIT) on each, and on
  // the Flume path the receiver's Avro decoding and buffer too (the agent is a new process
  // in every run, as a user starts it: its own warm-up is part of what is measured).
  const warmDir = join(work, "warm");
  await mkdir(warmDir);
  await copyFile(join(dataDir, (await readdir(dataDir)).sort()[0]!), join(warmDir, "warm.log"));
  const warmLines = Math.min(LINES, Math.ceil(LINES / FILES));
  await direct(spark, warmDir, work);
  await viaFlume(spark, warmDir, work, warmLines);
  agentBackpressure = 0;
  const [directCount, directSeconds] = await direct(spark, dataDir, work);
  const [flumeCount, flumeSeconds, flumeBatches] = await viaFlume(spark, dataDir, work, LINES);
  if (directCount !== LINES || flumeCount !== LINES) {
    throw new Error(`counts disagree: direct ${directCount}, through flume ${flumeCount}, expected ${LINES}`);
  }
  const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
  console.log(`lines: ${fmt(LINES)} in ${FILES} files, counted per 1-minute window over ${MINUTES} minutes; batch size ${BATCH}`);
  console.log(`direct readStream.text(dir):              ${directSeconds.toFixed(2)} s, ${fmt(LINES / directSeconds)} events/s`);
  console.log(`spooldir → agent → avro → format("flume"): ${flumeSeconds.toFixed(2)} s, ${fmt(LINES / flumeSeconds)} events/s (${flumeBatches} micro-batches; agent channel full ${agentBackpressure} times)`);
  console.log(`ratio flume / direct:                     ${(directSeconds / flumeSeconds).toFixed(2)}x`);
} finally {
  await rm(work, { recursive: true, force: true });
}
