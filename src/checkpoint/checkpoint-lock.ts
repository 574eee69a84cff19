import { createHash } from "node:crypto";
import { readFileSync, unlinkSync } from "node:fs";
import { readdir, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { errorCode, readFileIfExists, writeFileAtomicIfAbsent } from "../common/atomic-file.ts";
import { ConcurrentQueryError, StateError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import { describeHeldLock, formatLockHolder, judgeLock, parseLockHolder, type LockHolder, type LockObserver } from "./lock-holder.ts";
import type { CheckpointPaths } from "./paths.ts";

const log = new Logger("CheckpointLock");

/** Run ids whose locks this process holds or is taking (a lock with our pid and another run id is a dead predecessor's). */
const ownRunIds = new Set<string>();
/** The locks this process holds, by run id: removed on `process.exit()` if their queries could not stop. */
const heldLocks = new Map<string, { file: string; text: string }>();
let exitHookInstalled = false;

/** How long to wait for another process that is taking over the same stale lock before giving up. */
const TAKEOVER_WAIT_MS = 5_000;

/**
 * The exclusive lock of a checkpoint directory (`<checkpoint>/lock`): one query at a time
 * writes a checkpoint, whichever process it runs in. The lock file names its holder (pid,
 * host, since, query and run id); it is created only if absent (temp file, then a hard
 * link that fails if the name exists), so of two starters exactly one gets it.
 *
 * A lock whose process is dead on this host is taken over, with a warning. Two processes
 * may find the same stale lock at once: before replacing it, a taker must create the
 * token `.lock.takeover-<hash of the stale lock>-<n>` (again only if absent), so exactly one
 * living process replaces a given stale lock; the token of a taker that died is skipped
 * by using the next n. The winner checks that the lock is still the stale one, replaces it,
 * and removes the tokens. A lock taken on another host is refused: its process cannot be
 * checked from here.
 */
export class CheckpointLock {
  readonly #paths: CheckpointPaths;
  readonly #text: string;
  readonly holder: LockHolder;
  #released = false;

  private constructor(paths: CheckpointPaths, holder: LockHolder) {
    this.#paths = paths;
    this.holder = holder;
    this.#text = formatLockHolder(holder);
  }

  get file(): string {
    return this.#paths.lock;
  }

  /** Takes the checkpoint's lock; throws ConcurrentQueryError if another query holds it. */
  static async acquire(paths: CheckpointPaths, ids: { queryId: string; runId: string }): Promise<CheckpointLock> {
    const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...ids };
    const lock = new CheckpointLock(paths, holder);
    ownRunIds.add(ids.runId);
    try {
      await lock.#take();
    } catch (error) {
      ownRunIds.delete(ids.runId);
      throw error;
    }
    heldLocks.set(ids.runId, { file: lock.file, text: lock.#text });
    installExitHook();
    return lock;
  }

  /** Gives the lock up (idempotent); a lock file no longer ours (removed by hand, taken over) is left alone. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    try {
      const current = await readFileIfExists(this.file, "utf8");
      if (current === this.#text) await removeIfPresent(this.file);
      else log.warn(`the lock ${this.file} is no longer held by run ${this.holder.runId} (${current === null ? "it was removed" : "another run took it"}); left as it is`);
    } finally {
      ownRunIds.delete(this.holder.runId);
      heldLocks.delete(this.holder.runId);
    }
  }

  async #take(): Promise<void> {
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    for (;;) {
      if (await writeFileAtomicIfAbsent(this.file, this.#text)) return this.#removeLeftoverTokens();
      const existing = await readFileIfExists(this.file, "utf8");
      if (existing === null) continue; // released between our attempt and the read
      const found = this.#parse(existing, this.file);
      const verdict = judgeLock(found, this.#observer());
      if (verdict.kind !== "stale") throw new ConcurrentQueryError(describeHeldLock(this.#paths.root, this.file, found, verdict, this.holder.host));
      const outcome = await this.#takeOver(existing, found, verdict.reason);
      if (outcome === "taken") return this.#removeLeftoverTokens();
      if (outcome === "busy") {
        if (Date.now() > deadline) {
          throw new ConcurrentQueryError(
            `[CONCURRENT_QUERY] the checkpoint ${this.#paths.root} is being taken over by another process: ` +
              `its stale lock (process ${found.pid} on ${found.host} since ${found.since}) is still being replaced after ${TAKEOVER_WAIT_MS / 1000} s`,
          );
        }
        await sleep(50);
      }
      // "changed": the lock is no longer the stale one we read; look again.
    }
  }

  /** Replaces the stale lock `staleText` by ours if this process is the one living taker. */
  async #takeOver(staleText: string, stale: LockHolder, reason: string): Promise<"taken" | "busy" | "changed"> {
    const tag = createHash("sha256").update(staleText).digest("hex").slice(0, 16);
    let attempt = 0;
    for (;; attempt++) {
      const token = this.#paths.lockTakeover(tag, attempt);
      if (await writeFileAtomicIfAbsent(token, this.#text)) break;
      const tokenText = await readFileIfExists(token, "utf8");
      // Tokens go only once their lock was replaced: the stale lock is gone.
      if (tokenText === null) return "changed";
      const taker = this.#parse(tokenText, token);
      if (judgeLock(taker, this.#observer()).kind !== "stale") return "busy";
    }
    try {
      // Only a token's owner replaces this stale lock, and we own the one living token.
      if ((await readFileIfExists(this.file, "utf8")) !== staleText) return "changed";
      log.warn(
        `taking over the lock of checkpoint ${this.#paths.root} held by process ${stale.pid} on ${stale.host} since ${stale.since} ` +
          `(query id ${stale.queryId}, run id ${stale.runId}): ${reason}`,
      );
      await removeIfPresent(this.file);
      return (await writeFileAtomicIfAbsent(this.file, this.#text)) ? "taken" : "changed";
    } finally {
      // The stale lock is gone now: a late taker of it finds no token or a lock that differs.
      for (let i = 0; i <= attempt; i++) await removeIfPresent(this.#paths.lockTakeover(tag, i));
    }
  }

  /**
   * Tokens of takers that died mid-takeover. Safe to remove once we hold the lock: a taker
   * still at work finds, with or without its token, a lock that is not the one it took over.
   */
  async #removeLeftoverTokens(): Promise<void> {
    const names = await readdir(this.#paths.root).catch(() => [] as string[]);
    for (const name of names) if (this.#paths.isLockTakeoverName(name)) await removeIfPresent(join(this.#paths.root, name));
  }

  #observer(): LockObserver {
    return { pid: process.pid, host: this.holder.host, ownRunIds, isAlive: isProcessAlive };
  }

  #parse(text: string, file: string): LockHolder {
    try {
      return parseLockHolder(text);
    } catch (error) {
      throw new StateError(
        `the lock file ${file} of checkpoint ${this.#paths.root} is corrupt (${(error as Error).message}); ` +
          `if no query runs on this checkpoint, delete it and start again`,
        { cause: error },
      );
    }
  }
}

/**
 * A process that exits with queries still running (`process.exit()`, the CLI's forced exit)
 * leaves no lock behind; one killed by a signal does, and the next start takes it over.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const { file, text } of heldLocks.values()) {
      try {
        if (readFileSync(file, "utf8") === text) unlinkSync(file);
      } catch {
        // Gone already, or unreadable: nothing to release.
      }
    }
  });
}

/**
 * Whether a process with this pid runs on this host (EPERM: it exists but belongs to
 * another user). A zombie (killed, not yet reaped by its parent) runs no more.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errorCode(error) !== "ESRCH";
  }
  return !isZombie(pid);
}

/** Linux: the state field of /proc/<pid>/stat (after the command name in parentheses) is Z. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  return stat.slice(stat.lastIndexOf(")") + 1).trim().startsWith("Z");
}

async function removeIfPresent(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if (errorCode(error) !== "ENOENT") throw error;
  });
}
