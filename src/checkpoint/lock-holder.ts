/**
 * Who holds a checkpoint's lock, and the pure decisions about it: whether a lock found on
 * disk belongs to a running process, to a dead one (to be taken over), or to a process
 * on another host (whose liveness cannot be checked). File I/O is in checkpoint-lock.ts.
 */

/** The content of `<checkpoint>/lock` (and of a takeover token). */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** When the lock was taken, ISO-8601 UTC. */
  readonly since: string;
  readonly queryId: string;
  readonly runId: string;
}

/** What the judging process knows about itself. */
export interface LockObserver {
  readonly pid: number;
  readonly host: string;
  /** Run ids whose locks this process holds or is taking now. */
  readonly ownRunIds: ReadonlySet<string>;
  /** Whether a process of this host with that pid exists (`process.kill(pid, 0)`). */
  readonly isAlive: (pid: number) => boolean;
}

export type LockVerdict =
  /** A running process holds it: refuse. */
  | { readonly kind: "held" }
  /** A process on another host holds it; whether it still runs cannot be known here: refuse. */
  | { readonly kind: "remote" }
  /** Its process is gone: take it over. `reason` says how we know. */
  | { readonly kind: "stale"; readonly reason: string };

const VERSION_LINE = "v1";

export function formatLockHolder(holder: LockHolder): string {
  const { pid, host, since, queryId, runId } = holder;
  return `${VERSION_LINE}\n${JSON.stringify({ pid, host, since, queryId, runId })}\n`;
}

/** Reads what formatLockHolder wrote; throws an Error saying what is wrong otherwise. */
export function parseLockHolder(text: string): LockHolder {
  const [version, json] = text.split("\n");
  if (version?.trim() !== VERSION_LINE) throw new Error(`expected the version line '${VERSION_LINE}', found '${(version ?? "").slice(0, 40)}'`);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json ?? "") as Record<string, unknown>;
  } catch (error) {
    throw new Error(`line 2 is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const { pid, host, since, queryId, runId } = record ?? {};
  if (!Number.isSafeInteger(pid) || (pid as number) <= 0) throw new Error(`'pid' must be a positive integer, not ${JSON.stringify(pid)}`);
  for (const [name, value] of Object.entries({ host, since, queryId, runId })) {
    if (typeof value !== "string") throw new Error(`'${name}' must be a string, not ${JSON.stringify(value)}`);
  }
  return Object.freeze({ pid: pid as number, host: host as string, since: since as string, queryId: queryId as string, runId: runId as string });
}

/** Is the holder of a lock found on disk still there? */
export function judgeLock(holder: LockHolder, observer: LockObserver): LockVerdict {
  if (holder.host !== observer.host) return { kind: "remote" };
  if (holder.pid === observer.pid) {
    // This process's own pid: it is either one of our runs, or a previous process that had
    // the same pid (a restarted container numbers its processes the same way again).
    if (observer.ownRunIds.has(holder.runId)) return { kind: "held" };
    return { kind: "stale", reason: `was taken by an earlier process with this process's pid ${holder.pid}` };
  }
  if (!observer.isAlive(holder.pid)) return { kind: "stale", reason: `process ${holder.pid} is no longer running` };
  return { kind: "held" };
}

/** The `[CONCURRENT_QUERY]` message for a lock that is held (or may be, on another host). */
export function describeHeldLock(checkpoint: string, lockFile: string, holder: LockHolder, verdict: LockVerdict, observerHost: string): string {
  const head =
    `[CONCURRENT_QUERY] the checkpoint ${checkpoint} is in use by process ${holder.pid} on ${holder.host} since ${holder.since} ` +
    `(query id ${holder.queryId}, run id ${holder.runId}).`;
  if (verdict.kind === "remote") {
    return (
      `${head} It was locked from another host, so ${observerHost} cannot check whether that process still runs. ` +
      `If it does not, delete ${lockFile} and start again.`
    );
  }
  return `${head} Only one query may run on a checkpoint: stop that query first, or give this one another checkpointLocation.`;
}
