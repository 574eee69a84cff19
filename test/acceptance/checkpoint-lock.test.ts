import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { isProcessAlive } from "../../src/checkpoint/checkpoint-lock.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * The second case with real processes: a word count job (jobs/word-count-job.ts)
 * started twice on one checkpoint, left behind by a SIGKILL, or kept alive under a
 * SIGKILLed wrapper. Only one process may write the checkpoint; the answer (the latest
 * batch's complete counts) must equal the count of every word written, exactly.
 */
const JOB = join(import.meta.dirname, "jobs", "word-count-job.ts");
const WORDS = ["apple", "pear", "plum", "fig"];
const tempDir = tempDirs();
/** Pids of every job process a test started (directly or through a wrapper), killed at the end if still running. */
const started = new Set<number>();

afterAll(() => {
  for (const pid of started) if (isProcessAlive(pid)) process.kill(pid, "SIGKILL");
});

interface Job {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
  /** Resolves with the pid the job process prints once its query is started. */
  readonly startedPid: Promise<number>;
  /** When that line was read (ms since the epoch), 0 before. */
  readonly startedAt: () => number;
}

/** Runs `argv` as a child process; a job (or a wrapper of one) prints `started <pid>`. */
function run(argv: string[]): Job {
  const child = spawn(process.execPath, argv, {
    stdio: ["ignore", "pipe", "pipe"],
    // The job logs its warnings (vitest's environment would silence them).
    env: { ...process.env, VITEST: "", RIVULET_LOG: "warn" },
  });
  started.add(child.pid!);
  let stdout = "";
  let stderr = "";
  let onPid: (pid: number) => void = () => undefined;
  let startedAt = 0;
  const startedPid = new Promise<number>((resolve) => { onPid = resolve; });
  child.stdout!.on("data", (d) => {
    stdout += String(d);
    const match = /started (\d+)/.exec(stdout);
    if (match && startedAt === 0) { startedAt = Date.now(); started.add(Number(match[1])); onPid(Number(match[1])); }
  });
  child.stderr!.on("data", (d) => { stderr += String(d); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, exited, stderr: () => stderr, startedPid, startedAt: () => startedAt };
}

const runJob = (input: string, checkpoint: string, output: string, mode: "forever" | "availableNow"): Job =>
  run(["--import", "tsx", JOB, input, checkpoint, output, mode]);

interface Fixture {
  readonly input: string;
  readonly checkpoint: string;
  readonly output: string;
  /** Writes one more input file of `n` words (whole, by rename); returns nothing. */
  addFile(n?: number): Promise<void>;
  /** The count of every word written so far. */
  expected(): Record<string, number>;
  /** The latest batch's answer, or null before the first batch. */
  answer(): Promise<Record<string, number> | null>;
}

async function fixture(): Promise<Fixture> {
  const input = await tempDir("rivulet-lock-in-");
  const staging = await tempDir("rivulet-lock-staging-");
  const checkpoint = join(await tempDir("rivulet-lock-ck-"), "ckpt");
  const output = await tempDir("rivulet-lock-out-");
  await mkdir(input, { recursive: true });
  const totals: Record<string, number> = {};
  let fileNo = 0;
  let seed = 7;
  return {
    input, checkpoint, output,
    async addFile(n = 40) {
      const words = Array.from({ length: n }, () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return WORDS[seed % WORDS.length]!; });
      for (const w of words) totals[w] = (totals[w] ?? 0) + 1;
      const name = `part-${String(fileNo++).padStart(4, "0")}.json`;
      await writeFile(join(staging, name), words.map((word) => JSON.stringify({ word })).join("\n") + "\n");
      await rename(join(staging, name), join(input, name));
    },
    expected: () => ({ ...totals }),
    async answer() {
      const batches = (await readdir(output)).map((f) => /^batch-(\d+)\.json$/.exec(f)).filter((m) => m !== null).map((m) => Number(m[1]));
      if (batches.length === 0) return null;
      return JSON.parse(await readFile(join(output, `batch-${Math.max(...batches)}.json`), "utf8")) as Record<string, number>;
    },
  };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function lockHolder(checkpoint: string): Promise<{ pid: number; host: string; since: string }> {
  return JSON.parse((await readFile(join(checkpoint, "lock"), "utf8")).split("\n")[1]!) as { pid: number; host: string; since: string };
}

/** Every logged batch was committed once, by one writer: offsets and commits list the same ids. */
async function logsAgree(checkpoint: string): Promise<void> {
  const ids = async (d: string) => (await readdir(join(checkpoint, d))).filter((f) => /^\d+$/.test(f)).sort();
  expect(await ids("commits")).toEqual(await ids("offsets"));
}

describe("one process per checkpoint", () => {
  test("a second process on the checkpoint fails within seconds with [CONCURRENT_QUERY] naming the first's pid; the first's answer stays exact", async () => {
    const f = await fixture();
    for (let i = 0; i < 3; i++) await f.addFile();
    const first = runJob(f.input, f.checkpoint, f.output, "forever");
    await waitFor("the first job's first batch", async () => (await f.answer()) !== null);
    const holder = await lockHolder(f.checkpoint);
    expect(holder).toMatchObject({ pid: first.child.pid, host: hostname() });

    const spawnedAt = Date.now();
    const second = runJob(f.input, f.checkpoint, f.output, "forever");
    const outcome = await Promise.race([second.exited, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    const exitedAt = Date.now();
    const seconds = (exitedAt - spawnedAt) / 1000;
    const afterStart = (exitedAt - second.startedAt()) / 1000;
    expect(outcome, "the second process still runs").toEqual({ code: 2, signal: null });
    expect(second.stderr()).toContain(
      `[CONCURRENT_QUERY] the checkpoint ${f.checkpoint} is in use by process ${first.child.pid} on ${hostname()} since ${holder.since}`,
    );
    process.stdout.write(`second process refused ${afterStart.toFixed(2)} s after its start(), ${seconds.toFixed(1)} s after its spawn\n`);

    // The first runs on, alone, and counts every word once.
    expect(first.child.exitCode).toBeNull();
    for (let i = 0; i < 3; i++) await f.addFile();
    await waitFor("the first job to count every word", async () => equal(await f.answer(), f.expected()));
    expect(await f.answer()).toEqual(f.expected());
    first.child.kill("SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(f.checkpoint, "lock"))).toBe(false);
    await logsAgree(f.checkpoint);
  }, 120_000);

  test("a lock left by a SIGKILLed process is taken over by the next start, with a warning; nothing lost or counted twice", async () => {
    const f = await fixture();
    for (let i = 0; i < 12; i++) await f.addFile();
    const first = runJob(f.input, f.checkpoint, f.output, "forever");
    // Killed mid-run: some of the twelve files are counted, the rest are not.
    await waitFor("the first job's first batch", async () => (await f.answer()) !== null);
    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const left = await lockHolder(f.checkpoint);
    expect(left.pid).toBe(first.child.pid);

    for (let i = 0; i < 3; i++) await f.addFile();
    const next = runJob(f.input, f.checkpoint, f.output, "availableNow");
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(next.stderr()).toContain(
      `WARN CheckpointLock: taking over the lock of checkpoint ${f.checkpoint} held by process ${left.pid} on ${left.host} since ${left.since}`,
    );
    expect(next.stderr()).toContain(`process ${left.pid} is no longer running`);
    expect(await f.answer()).toEqual(f.expected());
    expect(existsSync(join(f.checkpoint, "lock"))).toBe(false);
    await logsAgree(f.checkpoint);
  }, 120_000);

  test("a job whose wrapper was SIGKILLed keeps the lock while it lives; once it is gone, the next start takes over and is exact", async () => {
    const f = await fixture();
    for (let i = 0; i < 3; i++) await f.addFile();
    // A wrapper process (a shell script, a supervisor) that starts the job and waits.
    const wrapperCode =
      `require("node:child_process").spawn(process.execPath, ${JSON.stringify(["--import", "tsx", JOB, f.input, f.checkpoint, f.output, "forever"])}, ` +
      `{ stdio: "inherit" }); setInterval(() => {}, 1000);`;
    const wrapper = run(["-e", wrapperCode]);
    const jobPid = await wrapper.startedPid;
    await waitFor("the job's first batch", async () => (await f.answer()) !== null);
    wrapper.child.kill("SIGKILL");
    expect(await wrapper.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(isProcessAlive(jobPid)).toBe(true);

    // The orphaned job still runs and holds the checkpoint: a new start is refused.
    const refused = runJob(f.input, f.checkpoint, f.output, "availableNow");
    expect(await refused.exited).toEqual({ code: 2, signal: null });
    expect(refused.stderr()).toContain(`[CONCURRENT_QUERY] the checkpoint ${f.checkpoint} is in use by process ${jobPid} on ${hostname()}`);
    await f.addFile();
    await waitFor("the orphaned job to count the new file", async () => equal(await f.answer(), f.expected()));

    process.kill(jobPid, "SIGKILL");
    await waitFor("the orphaned job to die", () => !isProcessAlive(jobPid), 10_000);
    for (let i = 0; i < 2; i++) await f.addFile();
    const next = runJob(f.input, f.checkpoint, f.output, "availableNow");
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(next.stderr()).toContain(`process ${jobPid} is no longer running`);
    expect(await f.answer()).toEqual(f.expected());
    await logsAgree(f.checkpoint);
  }, 120_000);
});

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function equal(a: Record<string, number> | null, b: Record<string, number>): boolean {
  return a !== null && JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}
