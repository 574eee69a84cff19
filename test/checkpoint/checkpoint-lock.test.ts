import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckpointLock, isProcessAlive } from "../../src/checkpoint/checkpoint-lock.ts";
import { formatLockHolder, parseLockHolder, type LockHolder } from "../../src/checkpoint/lock-holder.ts";
import { CheckpointPaths } from "../../src/checkpoint/paths.ts";
import { ConcurrentQueryError, StateError } from "../../src/common/errors.ts";
import { captureLog } from "../flume/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();
const checkpoint = async (): Promise<CheckpointPaths> => new CheckpointPaths(join(await tempDir("rivulet-lock-"), "ckpt"));

/** The pid of a process that ran and exited: a dead pid on this host. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  expect(isProcessAlive(child.pid!)).toBe(false);
  return child.pid!;
}

function staleHolder(pid: number, over: Partial<LockHolder> = {}): LockHolder {
  return { pid, host: hostname(), since: "2026-12-06T00:00:00.000Z", queryId: "old-query", runId: "old-run", ...over };
}

describe("CheckpointLock", () => {
  it("writes its holder to <checkpoint>/lock (creating the directory) and removes it on release", async () => {
    const paths = await checkpoint();
    const lock = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r" });
    const holder = parseLockHolder(await readFile(paths.lock, "utf8"));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), queryId: "q", runId: "r" });
    expect(Math.abs(Date.parse(holder.since) - Date.now())).toBeLessThan(60_000);
    await lock.release();
    await lock.release();
    expect(await readdir(paths.root)).toEqual([]);
  });

  it("refuses a second holder while the first holds it, naming pid, host and time; free again after release", async () => {
    const paths = await checkpoint();
    const first = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r1" });
    const error = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentQueryError);
    expect((error as Error).message).toContain(
      `[CONCURRENT_QUERY] the checkpoint ${paths.root} is in use by process ${process.pid} on ${hostname()} since ${first.holder.since}`,
    );
    expect(parseLockHolder(await readFile(paths.lock, "utf8")).runId).toBe("r1");
    await first.release();
    const second = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r2" });
    await second.release();
  });

  it("takes over the lock of a dead process with a warning", async () => {
    const paths = await checkpoint();
    const pid = await deadPid();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    await writeFile(paths.lock, formatLockHolder(staleHolder(pid)));
    const { result: lock, lines } = await captureLog(() => CheckpointLock.acquire(paths, { queryId: "q", runId: "new" }));
    expect(parseLockHolder(await readFile(paths.lock, "utf8")).runId).toBe("new");
    const warnings = lines.filter((l) => l.startsWith("WARN"));
    expect(warnings).toEqual([
      `WARN CheckpointLock: taking over the lock of checkpoint ${paths.root} held by process ${pid} on ${hostname()} ` +
        `since 2026-12-06T00:00:00.000Z (query id old-query, run id old-run): process ${pid} is no longer running`,
    ]);
    await lock.release();
    expect(await readdir(paths.root)).toEqual([]);
  });

  it("takes over a lock left with this process's pid by an earlier process (a restarted container)", async () => {
    const paths = await checkpoint();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    await writeFile(paths.lock, formatLockHolder(staleHolder(process.pid)));
    const lock = await CheckpointLock.acquire(paths, { queryId: "q", runId: "mine" });
    expect(parseLockHolder(await readFile(paths.lock, "utf8")).runId).toBe("mine");
    await lock.release();
  });

  it("refuses a lock taken on another host, saying it cannot check that host's process", async () => {
    const paths = await checkpoint();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    await writeFile(paths.lock, formatLockHolder(staleHolder(await deadPid(), { host: "elsewhere.example" })));
    const error = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentQueryError);
    expect((error as Error).message).toContain("is in use by process");
    expect((error as Error).message).toContain(`on elsewhere.example since 2026-12-06T00:00:00.000Z`);
    expect((error as Error).message).toContain(`${hostname()} cannot check whether that process still runs. If it does not, delete ${paths.lock}`);
  });

  it("refuses a corrupt lock file with a StateError naming it", async () => {
    const paths = await checkpoint();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    await writeFile(paths.lock, "garbage");
    await expect(CheckpointLock.acquire(paths, { queryId: "q", runId: "r" })).rejects.toThrow(StateError);
    await expect(CheckpointLock.acquire(paths, { queryId: "q", runId: "r" })).rejects.toThrow(`the lock file ${paths.lock} of checkpoint ${paths.root} is corrupt`);
  });

  it("of many starters racing for one stale lock, exactly one takes it over", async () => {
    for (let round = 0; round < 10; round++) {
      const paths = await checkpoint();
      await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
      await writeFile(paths.lock, formatLockHolder(staleHolder(await deadPid())));
      const attempts = await Promise.allSettled(
        // Staggered starts: some racers read the stale lock while others are replacing it.
        Array.from({ length: 8 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, (i * 7 + round * 3) % 12));
          return CheckpointLock.acquire(paths, { queryId: "q", runId: `racer-${round}-${i}` });
        }),
      );
      const winners = attempts.filter((a) => a.status === "fulfilled").map((a) => (a as PromiseFulfilledResult<CheckpointLock>).value);
      expect(winners).toHaveLength(1);
      for (const a of attempts) if (a.status === "rejected") expect(a.reason).toBeInstanceOf(ConcurrentQueryError);
      expect(parseLockHolder(await readFile(paths.lock, "utf8")).runId).toBe(winners[0]!.holder.runId);
      await winners[0]!.release();
      expect(await readdir(paths.root)).toEqual([]);
    }
  });

  it("a takeover token left by a taker that died does not block the next takeover", async () => {
    const paths = await checkpoint();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    const staleText = formatLockHolder(staleHolder(await deadPid()));
    await writeFile(paths.lock, staleText);
    const { createHash } = await import("node:crypto");
    const tag = createHash("sha256").update(staleText).digest("hex").slice(0, 16);
    await writeFile(paths.lockTakeover(tag, 0), formatLockHolder(staleHolder(await deadPid(), { runId: "dead-taker" })));
    const lock = await CheckpointLock.acquire(paths, { queryId: "q", runId: "next" });
    expect(parseLockHolder(await readFile(paths.lock, "utf8")).runId).toBe("next");
    await lock.release();
    expect(await readdir(paths.root)).toEqual([]);
  });

  it("a process that exits with the lock held (process.exit) removes it; one killed by a signal leaves it", async () => {
    const paths = await checkpoint();
    const module = join(import.meta.dirname, "..", "..", "src", "checkpoint", "checkpoint-lock.ts");
    const pathsModule = join(import.meta.dirname, "..", "..", "src", "checkpoint", "paths.ts");
    const script = (end: string): string =>
      `import { CheckpointLock } from ${JSON.stringify(module)}; import { CheckpointPaths } from ${JSON.stringify(pathsModule)};` +
      `await CheckpointLock.acquire(new CheckpointPaths(${JSON.stringify(paths.root)}), { queryId: "q", runId: "child" }); ${end}`;
    const runChild = async (end: string): Promise<number> => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script(end)], { stdio: "inherit" });
      await new Promise((resolve) => child.on("exit", resolve));
      return child.pid!;
    };
    await runChild("process.exit(3);");
    expect(await readdir(paths.root)).toEqual([]);
    const killed = await runChild(`process.kill(process.pid, "SIGKILL");`);
    expect(parseLockHolder(await readFile(paths.lock, "utf8"))).toMatchObject({ pid: killed, runId: "child" });
  });

  it("the next holder removes takeover tokens left by takers that died after replacing a lock", async () => {
    const paths = await checkpoint();
    await CheckpointLock.acquire(paths, { queryId: "q", runId: "seed" }).then((l) => l.release());
    await writeFile(paths.lockTakeover("0123456789abcdef", 0), formatLockHolder(staleHolder(await deadPid(), { runId: "dead-taker" })));
    const lock = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r" });
    expect(await readdir(paths.root)).toEqual(["lock"]);
    await lock.release();
  });

  it("release leaves alone a lock that is no longer its own", async () => {
    const paths = await checkpoint();
    const lock = await CheckpointLock.acquire(paths, { queryId: "q", runId: "r" });
    const other = formatLockHolder(staleHolder(process.pid + 1, { runId: "someone-else" }));
    await writeFile(paths.lock, other);
    await lock.release();
    expect(await readFile(paths.lock, "utf8")).toBe(other);
  });
});
