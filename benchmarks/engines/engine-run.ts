import { readdirSync, readFileSync } from "node:fs";

/**
 * What every engine script shares: its command line (`<job> <events> [threads]`), the
 * checksum of a job's result, and the timed run that prints one JSON line for the driver
 * (benchmarks/streaming-jobs.ts).
 *
 * Every engine warms up alike before its timed run: one untimed run of the job over the
 * first 10 files (access-0000 … access-0009, rivulet's first trigger), in the same process.
 */

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
  /**
   * CPU time of the process's main thread alone, and of its busiest other thread (a worker;
   * Linux, from /proc): with worker threads, the larger is the critical path's lower bound,
   * which a loaded machine's wall time does not show.
   */
  readonly mainThreadCpuSeconds?: number;
  readonly busiestOtherThreadCpuSeconds?: number;
  /**
   * Seconds and CPU seconds until the engine held the whole result (rivulet: the query ended
   * and its memory table is complete; DuckDB: the result read into its chunks), before
   * turning it into one JS object per group: the cost of the query alone, without the rows
   * every engine must build for its caller (1.24M objects at 40,000 urls).
   */
  readonly resultHeldSeconds?: number;
  readonly resultHeldCpuSeconds?: number;
  readonly events: number;
  readonly checksum: Checksum;
}

/** CPU seconds (user + system) of each thread of this process so far, by thread id (Linux: /proc; empty elsewhere). */
function threadCpu(): Map<string, number> {
  const cpu = new Map<string, number>();
  try {
    for (const tid of readdirSync("/proc/self/task")) {
      // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      cpu.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // no /proc: the report leaves the per-thread fields out
  }
  return cpu;
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
 * Times `run` (warm-up, if any, is the caller's, before this) and prints the result as one JSON line on stdout.
 * `run` calls `resultHeld` once the engine holds the whole result, before it builds the rows.
 */
export async function timeAndReport(engine: string, args: ReturnType<typeof engineArgs>, run: (resultHeld: () => void) => Promise<Checksum>): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu();
  let resultHeldSeconds: number | undefined, resultHeldCpuSeconds: number | undefined;
  const checksum = await run(() => {
    resultHeldSeconds = (performance.now() - t0) / 1000;
    const held = process.cpuUsage(cpu0);
    resultHeldCpuSeconds = (held.user + held.system) / 1e6;
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const threads1 = threadCpu();
  let mainThreadCpuSeconds: number | undefined, busiestOtherThreadCpuSeconds: number | undefined;
  for (const [tid, t] of threads1) {
    const used = Math.round((t - (threads0.get(tid) ?? 0)) * 100) / 100;
    if (tid === String(process.pid)) mainThreadCpuSeconds = used;
    else busiestOtherThreadCpuSeconds = Math.max(busiestOtherThreadCpuSeconds ?? 0, used);
  }
  const result: EngineResult = {
    engine, job: args.job, threads: args.threads, seconds, cpuSeconds, mainThreadCpuSeconds, busiestOtherThreadCpuSeconds,
    resultHeldSeconds, resultHeldCpuSeconds, events: args.events, checksum,
  };
  console.log(JSON.stringify(result));
}
