import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tempDirs } from "../temp-dirs.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The command from its sources (bin/rivulet.mjs runs the build, tested installed in test/package/). */
export const MAIN = join(ROOT, "src", "cli", "main.ts");
const TSX = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running `rivulet …` (`node --import tsx src/cli/main.ts …`), with its output so far. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly done: Promise<CliResult>;

  constructor(args: readonly string[], env: Record<string, string> = {}, cwd = ROOT) {
    // tsx by path: a job run from its own directory (cwd) has no node_modules to find it in.
    this.child = spawn(process.execPath, ["--import", TSX, MAIN, ...args], { cwd, env: { ...process.env, VITEST: "", RIVULET_LOG: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stdout!.on("data", (d: Buffer) => { this.stdout += d.toString(); });
    this.child.stderr!.on("data", (d: Buffer) => { this.stderr += d.toString(); });
    this.done = new Promise((resolve) => {
      this.child.on("close", (code, signal) => resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }));
    });
  }

  /** Waits until stdout (or stderr) matches. */
  async waitFor(pattern: RegExp, timeoutMs = 30_000, stream: "stdout" | "stderr" = "stdout"): Promise<void> {
    const start = Date.now();
    while (!pattern.test(this[stream])) {
      if (this.child.exitCode !== null) throw new Error(`exited (${this.child.exitCode}) before ${pattern}:\n${this.stdout}\n${this.stderr}`);
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}:\n${this.stdout}\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new CliProcess(args, env).done;
}

const dirs = tempDirs(undefined, { afterAll: false });

/** A new directory under the system's temp directory; `removeTempDirs` removes it. */
export const tempDir = (prefix: string): Promise<string> => dirs(`rivulet-cli-${prefix}-`);

/** Removes every directory `tempDir` made (call it in afterAll, once the processes using them have exited). */
export const removeTempDirs: () => Promise<void> = dirs.remove;

/** Web-log events as JSON lines, one file per call. */
export async function writeLogs(dir: string, file: string, events: readonly { time: string; action: string }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
}

export const at = (hour: number, minute: number): string => `2026-01-01T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00.000Z`;
