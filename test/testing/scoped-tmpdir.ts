import { afterAll, beforeAll } from "vitest";
import type { Session } from "../../src/index.ts";
import { tempDirs } from "../temp-dirs.ts";

/**
 * testStream() (src/testing) makes each run's checkpoint in a new directory under
 * os.tmpdir() and leaves it there. A test file that uses it calls this at its top level:
 * while the file's tests run, os.tmpdir() (TMPDIR) is a directory of the file's own, so
 * those checkpoints, and any other temp directory the file makes, go into it; after the
 * file's last test (once `session`'s queries, if given, have stopped; testStream stops its
 * own) TMPDIR is restored and the directory is removed with everything in it.
 */
export function scopedTmpdir(prefix: string, session?: Session): void {
  const saved = process.env.TMPDIR;
  const dirs = tempDirs(undefined, { afterAll: false });
  beforeAll(async () => {
    process.env.TMPDIR = await dirs(prefix);
  });
  afterAll(async () => {
    await session?.streams.stopAll();
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await dirs.remove();
  });
}
