/**
 * The per-url job (count and sum(bytes) per url per 1-hour window) as the number of groups
 * grows: the same 2M events over 48 hours with more and more distinct urls (BENCH_URLS for
 * the data, see log-data.ts), rivulet and DuckDB with one thread, interleaved round after
 * round, each run in a child process of its own (benchmarks/engines/*.ts). Prints, per
 * size, the median seconds and CPU seconds of each engine, their ratio and rivulet's cost
 * per event relative to the smallest size (issue 18: flat within 1.3x from 10k to 1M groups) —
 * of the whole run, and of the query alone: until the engine holds its result, before it
 * builds one JS object per group for the checksum (engine-run.ts, resultHeldSeconds), for
 * both engines.
 *
 *   npm run bench:groups                                     # compiled, as npm run bench
 *   BENCH_URLS_LIST=208,2000,8000,40000 BENCH_RUNS=3 BENCH_THREADS=1,2 npm run bench:groups
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import type { EngineResult } from "./engines/engine-run.ts";
import { median } from "./bench-stats.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const URLS = (process.env.BENCH_URLS_LIST ?? "208,2000,8000,40000").split(",").map(Number);
const THREADS = (process.env.BENCH_THREADS ?? "1").split(",").map(Number);
const ROUNDS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const COMPILED = !import.meta.url.endsWith(".ts");
const ROOT = join(import.meta.dirname, "..", COMPILED ? ".." : "");

function runEngine(engine: string, urls: number, threads: number): EngineResult {
  const script = join(import.meta.dirname, "engines", `${engine}${COMPILED ? ".js" : ".ts"}`);
  const child = spawnSync(process.execPath, [...(COMPILED ? [] : ["--import", "tsx"]), script, "per-url", String(EVENTS), String(threads)],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, BENCH_URLS: String(urls) } });
  if (child.status !== 0) throw new Error(`${engine} (${urls} urls, ${threads} threads) failed: exit ${child.status ?? child.signal}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as EngineResult;
}


const how = process.env.npm_lifecycle_event === "bench:groups" ? "npm run bench:groups" : COMPILED ? "node .bench-build/benchmarks/groups-sweep.js" : "npx tsx benchmarks/groups-sweep.ts";
console.log(`command: ${how} (BENCH_URLS_LIST=${URLS.join(",")}, BENCH_THREADS=${THREADS.join(",")}, BENCH_RUNS=${ROUNDS})`);
console.log(`${EVENTS.toLocaleString("en-US")} events over 48 hours; Node ${process.version}, ${cpus().length} CPUs\n`);
console.log("| urls | groups | threads | rivulet s | rivulet CPU s | duckdb s | duckdb CPU s | rivulet/duckdb (events/s) | rivulet ns/event | vs smallest "
  + "| rivulet query s (vs smallest) | duckdb query s (vs smallest) |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
const base = new Map<number, number>();
const queryBase = new Map<string, number>();
/** An engine's median query-alone seconds, and its per-event cost against the smallest size's. */
function queryPart(engine: string, results: readonly EngineResult[], threads: number): string {
  const held = results.map((x) => x.resultHeldSeconds).filter((x): x is number => x !== undefined);
  if (held.length === 0) return "–";
  const s = median(held);
  const key = `${engine}/${threads}`;
  if (!queryBase.has(key)) queryBase.set(key, s);
  return `${s.toFixed(2)} (${(s / queryBase.get(key)!).toFixed(2)}x)`;
}
for (const urls of URLS) {
  for (const threads of THREADS) {
    const runs: Record<string, EngineResult[]> = { rivulet: [], duckdb: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const engine of round % 2 === 1 ? ["rivulet", "duckdb"] : ["duckdb", "rivulet"]) {
        process.stderr.write(`${urls} urls, ${threads} thread(s), round ${round}/${ROUNDS}: ${engine}…\n`);
        runs[engine]!.push(runEngine(engine, urls, threads));
      }
    }
    const all = [...runs.rivulet!, ...runs.duckdb!];
    if (all.some((r) => JSON.stringify(r.checksum) !== JSON.stringify(all[0]!.checksum))) throw new Error(`${urls} urls: results disagree`);
    const r = median(runs.rivulet!.map((x) => x.seconds)), rc = median(runs.rivulet!.map((x) => x.cpuSeconds));
    const d = median(runs.duckdb!.map((x) => x.seconds)), dc = median(runs.duckdb!.map((x) => x.cpuSeconds));
    const ns = (r / EVENTS) * 1e9;
    if (!base.has(threads)) base.set(threads, ns);
    console.log(`| ${urls} | ${all[0]!.checksum.groups.toLocaleString("en-US")} | ${threads} | ${r.toFixed(2)} | ${rc.toFixed(2)} | ${d.toFixed(2)} | ${dc.toFixed(2)} | ${(d / r).toFixed(2)}x | ${ns.toFixed(0)} | ${(ns / base.get(threads)!).toFixed(2)}x `
      + `| ${queryPart("rivulet", runs.rivulet!, threads)} | ${queryPart("duckdb", runs.duckdb!, threads)} |`);
  }
}
