/**
 * Big state: streaming dropDuplicates("id") over KEYS unique ids (JSON-lines files of
 * 50,000 rows, one file a batch, watermark 1000 hours, checkpoint on disk), with each state
 * store provider, against DuckDB's one-shot `count(DISTINCT id)` over the same files on one
 * thread, in the same run. Every measurement runs in a child process of its own, so that
 * its peak RSS (getrusage maxrss) is its own; rounds are interleaved (provider A, B,
 * DuckDB, A, B, DuckDB …) so that a busy machine hits all alike; the summary takes medians.
 *
 *   npx tsx benchmarks/state-dedup.ts                         (2M and 4M keys, file and lmdb, 1 round)
 *   BENCH_KEYS=2000000,4000000 BENCH_PROVIDERS=lmdb,file BENCH_ROUNDS=3 npx tsx benchmarks/state-dedup.ts
 *   npx tsx benchmarks/state-dedup.ts run <provider|duckdb> <keys>       (one measurement, JSON on stdout)
 *
 * Compiled (what RESULTS.md records: no tsx transform while rivulet runs, as DuckDB's side has
 * none): `npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/state-dedup.js …`;
 * the children then run the compiled file too. Timed on both sides: from just before the
 * query starts to its end (module loading and DuckDB's instance creation are not counted).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { median, dirBytes } from "./bench-stats.ts";
import { BENCH_DIR } from "./log-data.ts";

const ROWS_PER_FILE = 50_000;
const DATA_ROOT = join(BENCH_DIR, "data");
/** Children run as this process runs: through tsx from the source, or compiled. */
const CHILD_ARGS = import.meta.url.endsWith(".ts") ? ["--import", "tsx", import.meta.filename] : [import.meta.filename];

interface Measurement {
  readonly engine: string;
  readonly keys: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly distinct: number;
  readonly checkpointMiB?: number;
  /** CPU time of the process (user + system): less sensitive to a busy machine than wall time. */
  readonly cpuMs: number;
  /** Median time between consecutive batches in the first and the last tenth of the run. */
  readonly batchMsEarly?: number;
  readonly batchMsLate?: number;
  /** The longest time between consecutive batches (a merge on the committing path shows here). */
  readonly batchMsWorst?: number;
}

/** ids of 16–32 bytes in a scrambled order, each once; a timestamp per row. */
async function prepareData(keys: number): Promise<string> {
  const dir = join(DATA_ROOT, `dedup-v1-${keys}`);
  if (existsSync(join(dir, "_READY"))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`generating ${keys} unique ids in ${dir}…\n`);
  const base = Date.UTC(2026, 0, 1);
  for (let f = 0; f * ROWS_PER_FILE < keys; f++) {
    const lines: string[] = [];
    for (let i = f * ROWS_PER_FILE; i < Math.min(keys, (f + 1) * ROWS_PER_FILE); i++) {
      const scrambled = (i * 2654435761) % 4294967296;
      const id = `u${scrambled.toString(36)}-${"x".repeat(i % 12)}${i.toString(36)}`;
      lines.push(`{"id":"${id}","time":"${new Date(base + i * 10).toISOString()}"}`);
    }
    await writeFile(join(dir, `part-${String(f).padStart(5, "0")}.json`), lines.join("\n") + "\n");
  }
  await writeFile(join(dir, "_READY"), "");
  return dir;
}

async function runRivulet(provider: string, keys: number, data: string): Promise<Measurement> {
  const { Session } = await import("../src/index.ts");
  const work = await mkdtemp(join(tmpdir(), "rivulet-bench-dedup-"));
  const checkpoint = join(work, "checkpoint");
  const spark = Session.builder().appName("state-dedup")
    .config("rivulet.sql.streaming.stateStore.provider", provider)
    .config("rivulet.sql.streaming.stateStore.localDir", join(work, "local"))
    .config("rivulet.sql.streaming.stateStore.memoryBudget", process.env.BENCH_MEMORY_BUDGET ?? "256m")
    .getOrCreate();
  let distinct = 0;
  const batchEnds: number[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const query = spark.readStream.schema("id STRING, time TIMESTAMP").option("maxFilesPerTrigger", 1).json(data)
    .withWatermark("time", "1000 hours").dropDuplicates("id")
    .writeStream.option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => {
      distinct += await df.count();
      batchEnds.push(performance.now());
    })
    .trigger({ availableNow: true })
    .start();
  await query.awaitTermination();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const gaps = batchEnds.slice(1).map((t, i) => t - batchEnds[i]!);
  const tenth = Math.max(1, Math.floor(gaps.length / 10));
  const checkpointMiB = (await dirBytes(join(checkpoint, "state"))) / 2 ** 20;
  await rm(work, { recursive: true, force: true });
  return { engine: `rivulet-${provider}`, keys, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, distinct, checkpointMiB,
    cpuMs: (cpu.user + cpu.system) / 1000, batchMsEarly: median(gaps.slice(0, tenth)), batchMsLate: median(gaps.slice(-tenth)), batchMsWorst: Math.max(0, ...gaps) };
}

async function runDuckDb(keys: number, data: string): Promise<Measurement> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const duck = await instance.connect();
  await duck.run("SET threads = 1");
  const sql = `SELECT count(DISTINCT id) AS n FROM read_json('${join(data, "*.json")}', format = 'newline_delimited', columns = {id: 'VARCHAR', time: 'TIMESTAMP'})`;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  duck.closeSync();
  instance.closeSync();
  return { engine: "duckdb-1-thread", keys, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, distinct: Number(rows[0]!.n), cpuMs: (cpu.user + cpu.system) / 1000 };
}


if (process.argv[2] === "run") {
  const engine = process.argv[3]!;
  const keys = Number(process.argv[4]);
  const data = await prepareData(keys);
  const m = engine === "duckdb" ? await runDuckDb(keys, data) : await runRivulet(engine, keys, data);
  process.stdout.write(JSON.stringify(m) + "\n");
  process.exit(0);
}

const sizes = (process.env.BENCH_KEYS ?? "2000000,4000000").split(",").map(Number);
const providers = (process.env.BENCH_PROVIDERS ?? "lmdb,file").split(",");
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const run = promisify(execFile);
const results: Measurement[] = [];
for (const keys of sizes) await prepareData(keys);
for (let round = 0; round < rounds; round++) {
  for (const keys of sizes) {
    for (const engine of [...providers, "duckdb"]) {
      const { stdout } = await run(process.execPath, [...CHILD_ARGS, "run", engine, String(keys)], { maxBuffer: 1 << 24 });
      const m = JSON.parse(stdout.trim().split("\n").pop()!) as Measurement;
      if (m.distinct !== keys) throw new Error(`${engine} counted ${m.distinct} distinct ids of ${keys}`);
      results.push(m);
      process.stderr.write(`${JSON.stringify(m)}\n`);
    }
  }
}

console.log(`\nstreaming dropDuplicates("id"), ${ROWS_PER_FILE} rows a batch, checkpoint on disk; medians of ${rounds} round(s)\n`);
console.log("| keys | engine | wall s | rows/s | ratio to DuckDB(1) | CPU s | CPU ratio | peak RSS MiB | state in checkpoint MiB | ms a batch, first / last tenth |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const keys of sizes) {
  const duck = median(results.filter((r) => r.keys === keys && r.engine === "duckdb-1-thread").map((r) => r.wallMs));
  const duckCpu = median(results.filter((r) => r.keys === keys && r.engine === "duckdb-1-thread").map((r) => r.cpuMs));
  for (const engine of [...providers.map((p) => `rivulet-${p}`), "duckdb-1-thread"]) {
    const rs = results.filter((r) => r.keys === keys && r.engine === engine);
    const wall = median(rs.map((r) => r.wallMs));
    const ckpt = rs[0]?.checkpointMiB;
    const cpu = median(rs.map((r) => r.cpuMs));
    const early = rs[0]?.batchMsEarly === undefined ? "–" : `${Math.round(median(rs.map((r) => r.batchMsEarly!)))} / ${Math.round(median(rs.map((r) => r.batchMsLate!)))}`;
    console.log(`| ${keys.toLocaleString("en-US")} | ${engine} | ${(wall / 1000).toFixed(1)} | ${Math.round(keys / (wall / 1000)).toLocaleString("en-US")} | ${(duck / wall).toFixed(3)}x | ${(cpu / 1000).toFixed(1)} | ${(duckCpu / cpu).toFixed(3)}x | ${Math.round(median(rs.map((r) => r.peakRssMiB)))} | ${ckpt === undefined ? "–" : ckpt.toFixed(0)} | ${early} |`);
  }
}
for (const engine of providers.map((p) => `rivulet-${p}`)) {
  const rss = sizes.map((k) => median(results.filter((r) => r.keys === k && r.engine === engine).map((r) => r.peakRssMiB)));
  if (rss.length >= 2) console.log(`${engine}: peak RSS ${rss.map((r) => Math.round(r)).join(" → ")} MiB (${(((rss.at(-1)! / rss[0]!) - 1) * 100).toFixed(0)}% from ${sizes[0]} to ${sizes.at(-1)} keys)`);
}
