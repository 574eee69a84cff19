import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { Session } from "../src/index.ts";

/** A test file's temporary directories (see `tempDirs`). */
export interface TempDirs {
  /** A new directory under os.tmpdir(), named `prefix` and a random suffix. */
  (prefix: string): Promise<string>;
  /** Stops the session's streaming queries (if one was given), then removes every directory made so far. */
  remove(): Promise<void>;
}

/**
 * A test file's temporary directories: made under os.tmpdir() with `prefix`, removed after
 * the file's last test, once `session`'s streaming queries (if given) have stopped so that
 * none still writes into them. `session` may be a function, called only then (for files
 * that take the active session when they finish rather than hold one).
 *
 * The removal is an afterAll hook registered by this call. vitest runs afterAll hooks in
 * reverse order of registration, so a file whose own afterAll must run first (dropping
 * tables, closing connections) calls this before registering that hook. With
 * `{ afterAll: false }` no hook is registered and the caller calls `remove()` itself.
 */
export function tempDirs(session?: Session | (() => Session), options: { afterAll?: boolean } = {}): TempDirs {
  const dirs: string[] = [];
  const make = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const remove = async (): Promise<void> => {
    if (session !== undefined) await (typeof session === "function" ? session() : session).streams.stopAll();
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  };
  if (options.afterAll ?? true) afterAll(remove);
  return Object.assign(make, { remove });
}
