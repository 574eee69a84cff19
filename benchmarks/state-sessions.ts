/**
 * Big state, keyed: a flatMapGroupsWithState session job over USERS users (each user seen in
 * the first half of the events and again in the second half, so that a batch reads state
 * written many batches before), JSON-lines files of 50,000 rows, one file a batch,
 * checkpoint on disk, with each state store provider; beside DuckDB's one-shot
 * `count(*), min(time), max(time) GROUP BY user` over the same files on one thread. Every
 * measurement runs in a child process of its own (its own peak RSS); rounds interleave.
 *
 *   npx tsx benchmarks/state-sessions.ts                                (1M users, disk and file, 1 round)
 *   BENCH_USERS=1000000 BENCH_PROVIDERS=disk,file BENCH_ROUNDS=3 npx tsx benchmarks/state-sessions.ts
 *
 * Compiled, as RESULTS.md records it: `npx tsc -p tsconfig.bench.json && node .bench-build/benchmarks/state-sessions.js`
 * (children run the compiled file too). Timed on both sides from just before the query to its
 * end; CPU time (user + system) beside wall time.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { promisify } from "node:util";
import { median, dirBytes } from "./bench-stats.ts";
import { BENCH_DIR } from "./log-data.ts";

const ROWS_PER_FILE = 50_000;
const DATA_ROOT = join(BENCH_DIR, "data");
/** Children run as this process runs: through tsx from the source, or compiled. */
const CHILD_ARGS = import.meta.url.endsWith(".ts") ? ["--import", "tsx", import.meta.filename] : [import.meta.filename];

interface Measurement {
  readonly engine: string;
  readonly users: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly sessions: number;
  readonly checkpointMiBPerBatch?: number;
  /** CPU time of the process (user + system) while the job ran. */
  readonly cpuMs: number;
  /**
   * Median ms a batch in each quarter of the batches: the first two quarters see every user
   * for the first time (the state grows to all users), the last two see them again (each key
   * read back from state written up to half the run before).
   */
  readonly batchMsByQuarter?: readonly number[];
  /** Time in garbage collection of the query's thread, in all and in the second half of the batches (ms). */
  readonly gcMs?: number;
  readonly gcMsSecondHalf?: number;
  /** The second half's wall time (ms): its GC share is gcMsSecondHalf / this. */
  readonly secondHalfMs?: number;
}

/** 2 × users events: every user once in a scrambled order, then again in another. */
async function prepareData(users: number): Promise<string> {
  const dir = join(DATA_ROOT, `sessions-v2-${users}`);
  if (existsSync(join(dir, "_READY"))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  process.stderr.write(`generating ${2 * users} events of ${users} users in ${dir}…\n`);
  const base = Date.UTC(2026, 0, 1);
  const events = 2 * users;
  for (let f = 0; f * ROWS_PER_FILE < events; f++) {
    const lines: string[] = [];
    for (let i = f * ROWS_PER_FILE; i < Math.min(events, (f + 1) * ROWS_PER_FILE); i++) {
      const round = i < users ? 0 : 1;
      // Multipliers prime to the user count: each round visits every user once.
      const user = ((i % users) * (round === 0 ? 7919 : 104729)) % users;
      lines.push(`{"user":"user-${user.toString(36)}","time":"${new Date(base + i * 10).toISOString()}","page":"/p${i % 97}"}`);
    }
    await writeFile(join(dir, `part-${String(f).padStart(5, "0")}.json`), lines.join("\n") + "\n");
  }
  await writeFile(join(dir, "_READY"), "");
  return dir;
}

async function runRivulet(provider: string, users: number, data: string): Promise<Measurement> {
  const { Session, GroupStateTimeout, types } = await import("../src/index.ts");
  const work = await mkdtemp(join(tmpdir(), "rivulet-bench-sessions-"));
  const checkpoint = join(work, "checkpoint");
  const spark = Session.builder().appName("state-sessions")
    .config("rivulet.sql.streaming.stateStore.provider", provider)
    .config("rivulet.sql.streaming.stateStore.localDir", join(work, "local"))
    .config("rivulet.sql.streaming.stateStore.memoryBudget", process.env.BENCH_MEMORY_BUDGET ?? "256m")
    .getOrCreate();
  const Event = types.struct({ user: types.string(), time: types.timestamp(), page: types.string() });
  const Update = types.struct({ user: types.string(), events: types.long(), start: types.timestamp() });
  interface SessionState { start: number; end: number; events: number }
  let updates = 0;
  let batches = 0;
  const gcs: PerformanceEntry[] = [];
  const gcObserver = new PerformanceObserver((list) => void gcs.push(...list.getEntries()));
  gcObserver.observe({ entryTypes: ["gc"] });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  // Each batch's time, end to end (from the end of the batch before): does it grow with the state?
  const gaps: number[] = [];
  let last = started;
  const query = spark.readStream.schema("user STRING, time TIMESTAMP, page STRING").option("maxFilesPerTrigger", 1).json(data)
    .as(Event).withWatermark("time", "1000 hours").groupByKey((e) => e.user)
    .flatMapGroupsWithState("update", GroupStateTimeout.EventTimeTimeout, (user: string, events, state: import("../src/index.ts").GroupState<SessionState>) => {
      let s = state.getOption();
      for (const e of events) {
        const t = e.time.getTime();
        s = s === undefined ? { start: t, end: t, events: 1 } : { start: Math.min(s.start, t), end: Math.max(s.end, t), events: s.events + 1 };
      }
      state.update(s!);
      state.setTimeoutTimestamp(s!.end, "30 minutes");
      return [{ user, events: s!.events, start: new Date(s!.start) }];
    }, Update)
    .writeStream.outputMode("update").option("checkpointLocation", checkpoint)
    .foreachBatch(async (df) => {
      updates += await df.count();
      batches++;
      const now = performance.now();
      gaps.push(now - last);
      last = now;
    })
    .trigger({ availableNow: true })
    .start();
  await query.awaitTermination();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  gcObserver.disconnect();
  const half = started + gaps.slice(0, Math.floor(gaps.length / 2)).reduce((t, g) => t + g, 0);
  const gcSince = (from: number): number => gcs.filter((e) => e.startTime >= from).reduce((t, e) => t + e.duration, 0);
  const sessions = query.lastProgress?.stateOperators[0]?.numRowsTotal ?? 0;
  const checkpointMiBPerBatch = (await dirBytes(join(checkpoint, "state"))) / 2 ** 20 / Math.max(1, batches);
  await rm(work, { recursive: true, force: true });
  if (updates !== 2 * users) throw new Error(`rivulet-${provider}: ${updates} updates of ${2 * users} events`);
  const quarter = (q: number): number => median(gaps.slice(Math.floor((q * gaps.length) / 4), Math.floor(((q + 1) * gaps.length) / 4)));
  return {
    engine: `rivulet-${provider}`, users, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, sessions, checkpointMiBPerBatch,
    cpuMs: (cpu.user + cpu.system) / 1000, batchMsByQuarter: [0, 1, 2, 3].map(quarter),
    gcMs: Math.round(gcSince(started)), gcMsSecondHalf: Math.round(gcSince(half)), secondHalfMs: Math.round(started + wallMs - half),
  };
}

async function runDuckDb(users: number, data: string): Promise<Measurement> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const duck = await instance.connect();
  await duck.run("SET threads = 1");
  const sql = `SELECT count(*) AS n FROM (SELECT "user", count(*) AS events, min(time) AS start, max(time) AS "end" FROM read_json('${join(data, "*.json")}', format = 'newline_delimited', columns = {"user": 'VARCHAR', time: 'TIMESTAMP', page: 'VARCHAR'}) GROUP BY "user")`;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const rows = (await duck.runAndReadAll(sql)).getRowObjectsJS();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  duck.closeSync();
  instance.closeSync();
  return { engine: "duckdb-1-thread", users, wallMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, sessions: Number(rows[0]!.n), cpuMs: (cpu.user + cpu.system) / 1000 };
}


if (process.argv[2] === "run") {
  const engine = process.argv[3]!;
  const users = Number(process.argv[4]);
  const data = await prepareData(users);
  const m = engine === "duckdb" ? await runDuckDb(users, data) : await runRivulet(engine, users, data);
  process.stdout.write(JSON.stringify(m) + "\n");
  process.exit(0);
}

const sizes = (process.env.BENCH_USERS ?? "1000000").split(",").map(Number);
const providers = (process.env.BENCH_PROVIDERS ?? "disk,file").split(",");
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const run = promisify(execFile);
const results: Measurement[] = [];
for (const users of sizes) await prepareData(users);
for (let round = 0; round < rounds; round++) {
  for (const users of sizes) {
    for (const engine of [...providers, "duckdb"]) {
      const { stdout } = await run(process.execPath, [...CHILD_ARGS, "run", engine, String(users)], { maxBuffer: 1 << 24 });
      const m = JSON.parse(stdout.trim().split("\n").pop()!) as Measurement;
      if (m.sessions !== users) throw new Error(`${engine} kept ${m.sessions} sessions of ${users} users`);
      results.push(m);
      process.stderr.write(`${JSON.stringify(m)}\n`);
    }
  }
}

console.log(`\nflatMapGroupsWithState sessions, ${ROWS_PER_FILE} rows a batch, 2 events per user, checkpoint on disk; medians of ${rounds} round(s)\n`);
console.log("| users | engine | wall s | events/s | ratio to DuckDB(1) | CPU s | CPU ratio | peak RSS MiB | state in checkpoint MiB per batch | ms a batch, by quarter |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const users of sizes) {
  const duck = median(results.filter((r) => r.users === users && r.engine === "duckdb-1-thread").map((r) => r.wallMs));
  const duckCpu = median(results.filter((r) => r.users === users && r.engine === "duckdb-1-thread").map((r) => r.cpuMs));
  for (const engine of [...providers.map((p) => `rivulet-${p}`), "duckdb-1-thread"]) {
    const rs = results.filter((r) => r.users === users && r.engine === engine);
    const wall = median(rs.map((r) => r.wallMs));
    const ckpt = rs[0]?.checkpointMiBPerBatch;
    const cpu = median(rs.map((r) => r.cpuMs));
    console.log(`| ${users.toLocaleString("en-US")} | ${engine} | ${(wall / 1000).toFixed(1)} | ${Math.round((2 * users) / (wall / 1000)).toLocaleString("en-US")} | ${(duck / wall).toFixed(3)}x | ${(cpu / 1000).toFixed(1)} | ${(duckCpu / cpu).toFixed(3)}x | ${Math.round(median(rs.map((r) => r.peakRssMiB)))} | ${ckpt === undefined ? "–" : ckpt.toFixed(2)} | ${quarters(rs)} |`);
  }
}

/** The medians, over rounds, of each quarter's ms a batch, "q1 / q2 / q3 / q4". */
function quarters(rs: readonly Measurement[]): string {
  if (rs[0]?.batchMsByQuarter === undefined) return "–";
  return [0, 1, 2, 3].map((q) => Math.round(median(rs.map((r) => r.batchMsByQuarter![q]!)))).join(" / ");
}
