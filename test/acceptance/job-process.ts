import { spawn, type ChildProcess } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * A job script run in its own node process (through tsx), as the crash tests kill and
 * restart it: `exited` resolves with its exit code (null when killed by a signal), and the
 * child's stderr is shown only when it fails on its own.
 */
export function runJobProcess(script: string, args: readonly string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    if (code !== null && code !== 0) process.stderr.write(stderr);
    resolve(code);
  }));
  return { child, exited };
}

/** How many batches the checkpoint's commit log holds. */
export async function committedBatches(checkpoint: string): Promise<number> {
  return (await readdir(join(checkpoint, "commits")).catch(() => [] as string[])).filter((f) => /^\d+$/.test(f)).length;
}
