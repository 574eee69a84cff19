/**
 * Many groups: a streaming per-url aggregation (count, sum(bytes), max(time) by url, update
 * mode, checkpoint on disk) over BATCHES files of 100,000 rows, each file bringing 60,000
 * new urls and revisiting 40,000 earlier ones, so the state grows by 60,000 groups a batch
 * (1.2M after 20). The file provider keeps the groups in memory between batches (and
 * writes each batch's changed groups as a delta); the disk-backed ones (rocksdb → rivulet's
 * disk engine, lmdb) keep them in the store and read a batch's keys. Each run is a child
 * process of its own, so that its peak RSS is its own; rounds interleave the providers.
 *
 *   npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/state-aggregation.js
 *   BENCH_BATCHES=20 BENCH_PROVIDERS=file,rocksdb BENCH_ROUNDS=1 BENCH_MEMORY_BUDGET=64m node .bench-build/benchmarks/state-aggregation.js
 *   node .bench-build/benchmarks/state-aggregation.js run <provider> <batches>      (one run, JSON on stdout)
 *   BENCH_JOB=sessions …   session windows instead: count and sum(bytes) per url per session_window(time, 30 s),
 *                           append mode, watermark 1000 hours (so no session closes and the state grows by
 *                           every visit: a url's visits in different files are 60 s apart, new sessions)
 *
 * Reported: CPU seconds of the whole run (user + system), peak RSS, the checkpoint's size,
 * and the CPU milliseconds of single batches along the run (is a batch's cost flat while the
 * state grows?). The machine is shared: wall times are not reported.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { dirBytes, median } from "./bench-stats.ts";
import { BENCH_DIR } from "./log-data.ts";

const JOB = process.env.BENCH_JOB === "sessions" ? "sessions" : "groups";
const ROWS_PER_FILE = 100_000;
const NEW_PER_FILE = 60_000;
const DATA_ROOT = join(BENCH_DIR, "data");
/** Children run as this process runs: through tsx from the source, or compiled. */
const CHILD_ARGS = import.meta.url.endsWith(".ts") ? ["--import", "tsx", import.meta.filename] : [import.meta.filename];

interface Measurement {
  readonly provider: string;
  readonly batches: number;
  readonly groups: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly checkpointMiB: number;
  /** CPU ms of each batch (the process's CPU between two batch ends: the query runs on this thread). */
  readonly batchCpuMs: number[];
  readonly customMetrics: Record<string, number>;
}

/** File f: 60,000 rows of new urls (ids f·60,000 …) and 40,000 of urls of earlier files, interleaved; bytes and a time per row. */
async function prepareData(batches: number): Promise<string> {
  const dir = join(DATA_ROOT, `agg-groups-v1-${batches}`);
  if (existsSync(join(dir, "_READY"))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`generating ${batches} files of ${ROWS_PER_FILE} rows in ${dir}…\n`);
  const base = Date.UTC(2026, 0, 1);
  for (let f = 0; f < batches; f++) {
    const lines: string[] = [];
    let fresh = 0;
    for (let i = 0; i < ROWS_PER_FILE; i++) {
      let id: number;
      if (f === 0 || i % 5 < 3) id = f * NEW_PER_FILE + (fresh++ % NEW_PER_FILE);
      else id = ((i * 2654435761) >>> 0) % (f * NEW_PER_FILE);
      lines.push(`{"url":"/site/${(id * 7919) % 1000}/page-${id.toString(36)}.html","bytes":${(i * 37) % 50_000},"time":"${new Date(base + f * 60_000 + i).toISOString()}"}`);
    }
    await writeFile(join(dir, `part-${String(f).padStart(5, "0")}.json`), lines.join("\n") + "\n");
  }
  await writeFile(join(dir, "_READY"), "");
  return dir;
}

async function runOne(provider: string, batches: number, data: string): Promise<Measurement> {
  const { Session, col, count, lit, max, session_window, sum } = await import("../src/index.ts");
  const work = await mkdtemp(join(tmpdir(), "rivulet-bench-agg-"));
  const checkpoint = join(work, "checkpoint");
  const spark = Session.builder().appName("state-aggregation")
    .config("rivulet.sql.streaming.stateStore.provider", provider)
    .config("rivulet.sql.streaming.stateStore.localDir", join(work, "local"))
    .config("rivulet.sql.streaming.stateStore.memoryBudget", process.env.BENCH_MEMORY_BUDGET ?? "64m")
    .getOrCreate();
  const batchCpuMs: number[] = [];
  const cpuBefore = process.cpuUsage();
  let last = cpuBefore;
  const events = spark.readStream.schema("url STRING, bytes BIGINT, time TIMESTAMP").option("maxFilesPerTrigger", 1).json(data);
  const aggregated = JOB === "sessions"
    ? events.withWatermark("time", "1000 hours").groupBy(col("url"), session_window(col("time"), "30 seconds")).agg(count(lit(1)).as("hits"), sum(col("bytes")).as("bytes"))
    : events.groupBy(col("url")).agg(count(lit(1)).as("hits"), sum(col("bytes")).as("bytes"), max(col("time")).as("last"));
  const query = aggregated
    .writeStream.outputMode(JOB === "sessions" ? "append" : "update").option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => {
      await df.count();
      const now = process.cpuUsage();
      batchCpuMs.push((now.user + now.system - last.user - last.system) / 1000);
      last = now;
    })
    .trigger({ availableNow: true })
    .start();
  await query.awaitTermination();
  const cpu = process.cpuUsage(cpuBefore);
  const op = query.lastProgress!.stateOperators[0]!;
  const checkpointMiB = (await dirBytes(join(checkpoint, "state"))) / 2 ** 20;
  await rm(work, { recursive: true, force: true });
  return {
    provider, batches, groups: op.numRowsTotal, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024,
    checkpointMiB, batchCpuMs, customMetrics: op.customMetrics,
  };
}

if (process.argv[2] === "run") {
  const provider = process.argv[3]!;
  const batches = Number(process.argv[4]);
  const m = await runOne(provider, batches, await prepareData(batches));
  process.stdout.write(JSON.stringify(m) + "\n");
  process.exit(0);
}

const batches = Number(process.env.BENCH_BATCHES ?? 20);
const providers = (process.env.BENCH_PROVIDERS ?? "file,rocksdb").split(",");
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const run = promisify(execFile);
await prepareData(batches);
const results: Measurement[] = [];
for (let round = 0; round < rounds; round++) {
  for (const provider of providers) {
    const { stdout } = await run(process.execPath, [...CHILD_ARGS, "run", provider, String(batches)], { maxBuffer: 1 << 24 });
    const m = JSON.parse(stdout.trim().split("\n").pop()!) as Measurement;
    if (JOB === "groups" && m.groups !== batches * NEW_PER_FILE) throw new Error(`${provider} ended with ${m.groups} groups, not ${batches * NEW_PER_FILE}`);
    const sessions = results.find((r) => r.batches === batches)?.groups;
    if (JOB === "sessions" && sessions !== undefined && m.groups !== sessions) throw new Error(`${provider} ended with ${m.groups} sessions, another run with ${sessions}`);
    results.push(m);
    process.stderr.write(`${JSON.stringify(m)}\n`);
  }
}

const at = [0, 1, Math.floor(batches / 4), Math.floor(batches / 2), Math.floor((3 * batches) / 4), batches - 1];
const job = JOB === "sessions" ? "groupBy(url, session_window(time, 30 s)) count/sum, append mode, no session closing" : "groupBy(url) count/sum/max, update mode";
console.log(`\nstreaming ${job}, ${ROWS_PER_FILE} rows a batch (${NEW_PER_FILE} new urls), ${batches} batches → ${results[0]!.groups} ${JOB}; medians of ${rounds} round(s)\n`);
console.log(`| provider | CPU s | peak RSS MiB | checkpoint MiB | CPU ms of batch ${at.map((b) => b + 1).join(" / ")} |`);
console.log("|---|---|---|---|---|");
for (const provider of providers) {
  const rs = results.filter((r) => r.provider === provider);
  const perBatch = at.map((b) => Math.round(median(rs.map((r) => r.batchCpuMs[b]!)))).join(" / ");
  console.log(`| ${provider} | ${(median(rs.map((r) => r.cpuMs)) / 1000).toFixed(1)} | ${Math.round(median(rs.map((r) => r.peakRssMiB)))} | ${median(rs.map((r) => r.checkpointMiB)).toFixed(0)} | ${perBatch} |`);
}
