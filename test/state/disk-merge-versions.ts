import { spawn } from "node:child_process";
import type { StateKey } from "../../src/state/state-store.ts";

/**
 * The changes of version `v` of a deterministic history (disk-merge-width.test.ts and its
 * child process, disk-merge-kill-job.ts): 300 new keys, updates of a fifth of the keys of
 * version v − 3 and removals of a seventh of those of v − 6, so that merges meet newer
 * records and removals of keys in older runs.
 */
export function applyVersion(v: number, put: (key: StateKey, value: unknown) => void, remove: (key: StateKey) => void): void {
  for (let i = 0; i < 300; i++) put(`k${v}-${i}`, v * 1000 + i);
  if (v >= 3) for (let i = 0; i < 300; i += 5) put(`k${v - 3}-${i}`, { v, i });
  if (v >= 6) for (let i = 0; i < 300; i += 7) remove(`k${v - 6}-${i}`);
}

/** The state after version `v` of that history. */
export function modelAt(v: number): Map<StateKey, unknown> {
  const model = new Map<StateKey, unknown>();
  for (let u = 1; u <= v; u++) applyVersion(u, (k, x) => model.set(k, x), (k) => model.delete(k));
  return model;
}

/** The memory budget of that history's provider: every version seals and writes out a memtable. */
export const KILL_BUDGET = 16 * 1024;

/**
 * Runs a child that commits this history (`job`: disk-merge-kill-job.ts or disk-background-kill-job.ts) from
 * version `from`, kills it (SIGKILL) `delayMs` after it reports version `killAfter`; the last version it reported.
 */
export function runAndKill(job: string, dir: string, localDir: string, from: number, killAfter: number, delayMs: number): Promise<number> {
  return runAndKillWhen(job, dir, localDir, from, ([version]) => version === killAfter, delayMs);
}

/**
 * Runs a child job (args: dir, localDir, from, from + 1000) that prints a line of numbers a
 * commit, its version first, and kills it (SIGKILL) `delayMs` after the first line for which
 * `killAt` is true; the last version it reported. Rejects if the child ends on its own.
 */
export function runAndKillWhen(
  job: string, dir: string, localDir: string, from: number, killAt: (fields: number[]) => boolean, delayMs: number,
): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", job, dir, localDir, String(from), String(from + 1000)], { stdio: ["ignore", "pipe", "pipe"] });
  let reported = from;
  let killing = false;
  let stderr = "";
  let out = "";
  child.stderr.on("data", (d) => { stderr += String(d); });
  child.stdout.on("data", (d) => {
    out += String(d);
    const lines = out.split("\n");
    out = lines.pop()!;
    for (const line of lines) {
      const fields = line.split(" ").map(Number);
      reported = fields[0]!;
      if (!killing && killAt(fields)) {
        killing = true;
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    }
  });
  return new Promise((resolve, reject) => child.on("exit", (code, signal) => {
    if (signal === "SIGKILL") resolve(reported);
    else reject(new Error(`the child ended on its own (${code}): ${stderr}`));
  }));
}
