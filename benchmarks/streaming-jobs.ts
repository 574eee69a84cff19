/**
 * The headline benchmark: two windowed aggregations over the same generated JSON-lines web
 * logs, each run by rivulet and by two baselines — a hand-written JSON.parse + Map loop and
 * DuckDB — and compared in events/s.
 *
 *   headline: count per action per 1-hour window
 *   per-url:  count and sum(bytes) per url (2,000 of them) per 1-hour window
 *
 * Each (job, engine, threads) runs in a child process of its own (benchmarks/engines/*.ts),
 * so that no engine's heap, JIT state or worker threads affect another's time. The engines'
 * checksums must agree, or the benchmark fails.
 *
 * `npm run bench` compiles src/ and benchmarks/ with tsc (into .bench-build/) and runs every
 * engine as plain JavaScript, as a built application runs: under tsx's loader the same code
 * runs ~15% slower. `npx tsx benchmarks/streaming-jobs.ts` runs them through tsx instead.
 *
 * Each engine runs BENCH_RUNS times (3 by default), interleaved with the others (round
 * after round, so that a slow spell of a shared machine does not fall on one engine), and
 * its median time counts; the table shows every run's time too.
 *
 *   npm run bench                                      # 5M events (generated once, cached)
 *   BENCH_EVENTS=200000 npm run bench                  # smaller
 *   BENCH_JOBS=headline BENCH_ENGINES=rivulet,duckdb npm run bench
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { BENCH_DIR, HOURS, prepareLogData } from "./log-data.ts";
import { JOBS, type EngineResult, type Job } from "./engines/engine-run.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5_000_000);
const jobs = (process.env.BENCH_JOBS?.split(",") ?? JOBS) as Job[];
const engineFilter = process.env.BENCH_ENGINES?.split(",");
const ROUNDS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const RUNS: readonly (readonly [engine: string, threads: number])[] = [
  ["hand-loop", 1], ["rivulet", 1], ["rivulet", 2], ["duckdb", 1], ["duckdb", 2],
];
const JOB_TITLES: Record<Job, string> = {
  headline: "count per action per 1-hour window",
  "per-url": "count and sum(bytes) per url per 1-hour window",
};
for (const job of jobs) if (!JOBS.includes(job)) throw new Error(`BENCH_JOBS: unknown job '${job}' (jobs: ${JOBS.join(", ")})`);

const ROOT = join(BENCH_DIR, "..");
/** Engines run as this driver runs: compiled JavaScript, or TypeScript through tsx. */
const COMPILED = !import.meta.url.endsWith(".ts");

function runEngine(job: Job, engine: string, threads: number): EngineResult {
  const script = join(import.meta.dirname, "engines", `${engine}${COMPILED ? ".js" : ".ts"}`);
  const child = spawnSync(process.execPath, [...(COMPILED ? [] : ["--import", "tsx"]), script, job, String(EVENTS), String(threads)],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (child.status !== 0) throw new Error(`${engine} (${threads} threads) failed on ${job}: exit ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as EngineResult;
}

/** An engine's runs of one job: the median run stands for them. */
interface Measured extends EngineResult {
  readonly runs: readonly number[];
}

function median(runs: readonly EngineResult[]): Measured {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[(sorted.length - 1) >> 1]!, runs: runs.map((r) => r.seconds) };
}

const fmt = (n: number): string => Math.round(n).toLocaleString("en-US");
const rate = (r: EngineResult): number => r.events / r.seconds;

function printJob(job: Job, results: readonly Measured[]): void {
  const c = results[0]!.checksum;
  console.log(`\n### ${job}: ${JOB_TITLES[job]}\n`);
  console.log(`${fmt(c.count)} events in ${fmt(c.groups)} groups${c.bytes === null ? "" : `, sum(bytes) ${fmt(c.bytes)}`}\n`);
  console.log("| engine | threads | seconds (median) | events/s | every run (s) |\n|---|---|---|---|---|");
  for (const r of results) console.log(`| ${r.engine} | ${r.threads} | ${r.seconds.toFixed(2)} | ${fmt(rate(r))} | ${r.runs.map((t) => t.toFixed(2)).join(", ")} |`);
  const find = (engine: string, threads: number): Measured | undefined =>
    results.find((r) => r.engine === engine && r.threads === threads);
  const ratios: [string, EngineResult | undefined, EngineResult | undefined][] = [
    ["rivulet(1) / hand-loop", find("rivulet", 1), find("hand-loop", 1)],
    ["rivulet(1) / duckdb(1)", find("rivulet", 1), find("duckdb", 1)],
    ["rivulet(2) / hand-loop", find("rivulet", 2), find("hand-loop", 1)],
    ["rivulet(2) / duckdb(1)", find("rivulet", 2), find("duckdb", 1)],
    ["rivulet(2) / rivulet(1)", find("rivulet", 2), find("rivulet", 1)],
  ];
  console.log("\n| ratio of events/s (> 1: rivulet faster) | |\n|---|---|");
  for (const [what, a, b] of ratios) if (a && b) console.log(`| ${what} | ${(rate(a) / rate(b)).toFixed(2)}x |`);
}

const files = await prepareLogData(EVENTS);
const env = ["BENCH_EVENTS", "BENCH_JOBS", "BENCH_ENGINES", "BENCH_RUNS"].filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]} `).join("");
console.log(`command: ${env}${process.env.npm_lifecycle_event === "bench" ? "npm run bench" : "npx tsx benchmarks/streaming-jobs.ts"}`);
console.log(`${fmt(EVENTS)} events over ${HOURS} hours in ${files.length} files; Node ${process.version}, ${cpus().length} CPUs; engines run ${COMPILED ? "compiled (tsc)" : "through tsx"}`);

for (const job of jobs) {
  const engines = RUNS.filter(([engine]) => !engineFilter || engineFilter.includes(engine));
  if (engines.length === 0) continue;
  const runs: EngineResult[][] = engines.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    engines.forEach(([engine, threads], e) => {
      process.stderr.write(`${job}, round ${round}/${ROUNDS}: ${engine}, ${threads} thread(s)…\n`);
      runs[e]!.push(runEngine(job, engine, threads));
    });
  }
  const all = runs.flat();
  const expected = JSON.stringify(all[0]!.checksum);
  if (all.some((r) => JSON.stringify(r.checksum) !== expected) || all[0]!.checksum.count !== EVENTS) {
    throw new Error(`${job}: results disagree (expected ${EVENTS} events):\n${all.map((r) => `  ${r.engine}(${r.threads}): ${JSON.stringify(r.checksum)}`).join("\n")}`);
  }
  printJob(job, runs.map(median));
}
