/**
 * What every engine script shares: its command line (`<job> <events> [threads]`), the
 * checksum of a job's result, and the timed run that prints one JSON line for the driver
 * (benchmarks/streaming-jobs.ts).
 *
 * Every engine warms up alike before its timed run: one untimed run of the job over the
 * first 10 files (access-0000 … access-0009, rivulet's first trigger), in the same process.
 */

import { readFileSync, readdirSync } from "node:fs";

/** headline: count per action per 1-hour window; per-url: count and sum(bytes) per url per 1-hour window. */
export const JOBS = ["headline", "per-url"] as const;
export type Job = (typeof JOBS)[number];

export const DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes BIGINT";

/** One result group of a job: its window start (in hours since the epoch), count and, for per-url, sum(bytes). */
export interface Group {
  readonly hour: number;
  readonly count: number;
  readonly bytes: number | null;
}

/**
 * A job's result reduced to numbers every engine must agree on. countHours (Σ count × hour)
 * catches events counted in the wrong window, which the totals alone would not.
 */
export interface Checksum {
  readonly groups: number;
  readonly count: number;
  readonly bytes: number | null;
  readonly countHours: number;
}

export interface EngineResult {
  readonly engine: string;
  readonly job: Job;
  readonly threads: number;
  readonly seconds: number;
  /** CPU time of the process (all its threads) during the run: steadier than `seconds` on a machine others load. */
  readonly cpuSeconds: number;
  readonly events: number;
  readonly checksum: Checksum;
}

export function checksumOf(groups: Iterable<Group>): Checksum {
  let n = 0, count = 0, bytes: number | null = null, countHours = 0;
  for (const g of groups) {
    n++;
    count += g.count;
    countHours += g.count * g.hour;
    if (g.bytes !== null) bytes = (bytes ?? 0) + g.bytes;
  }
  return { groups: n, count, bytes, countHours };
}

export function engineArgs(): { job: Job; events: number; threads: number } {
  const [job, events, threads = "1"] = process.argv.slice(2);
  if (!JOBS.includes(job as Job) || !(Number(events) > 0) || !(Number(threads) > 0)) {
    throw new Error(`usage: <engine script> <${JOBS.join("|")}> <events> [threads], not: ${process.argv.slice(2).join(" ")}`);
  }
  return { job: job as Job, events: Number(events), threads: Number(threads) };
}

/**
 * CPU seconds of each of this process's threads so far, by thread id (Linux only:
 * /proc/self/task; Node 20 names every thread "node", so ids are all there is). The main
 * thread's id is the process id.
 */
function threadCpuSeconds(): Map<number, number> {
  const ticks = 100; // USER_HZ
  const byThread = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return byThread;
  }
  for (const task of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      byThread.set(Number(task), (Number(fields[11]) + Number(fields[12])) / ticks); // utime + stime
    } catch {
      // the thread ended meanwhile
    }
  }
  return byThread;
}

/**
 * Times `run` (warm-up, if any, is the caller's, before this) and prints the result as one
 * JSON line on stdout. With BENCH_THREAD_CPU=1, the line also has `threadCpuSeconds`: the
 * run's CPU seconds on the main thread and on each other busy thread (worker threads, V8's
 * background threads for garbage collection and compilation), to see where two cores went.
 */
export async function timeAndReport(engine: string, args: ReturnType<typeof engineArgs>, run: () => Promise<Checksum>): Promise<void> {
  const perThread = process.env.BENCH_THREAD_CPU === "1";
  const threads0 = perThread ? threadCpuSeconds() : null;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const checksum = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result: EngineResult = { engine, job: args.job, threads: args.threads, seconds, cpuSeconds, events: args.events, checksum };
  if (threads0 !== null) {
    const round = (s: number): number => Math.round(s * 100) / 100;
    const spent = [...threadCpuSeconds()].map(([tid, s]) => ({ tid, s: s - (threads0.get(tid) ?? 0) }));
    const main = round(spent.find((t) => t.tid === process.pid)?.s ?? 0);
    const others = spent.filter((t) => t.tid !== process.pid && t.s > 0).map((t) => round(t.s)).sort((a, b) => b - a);
    console.log(JSON.stringify({ ...result, threadCpuSeconds: { main, others } }));
    return;
  }
  console.log(JSON.stringify(result));
}
