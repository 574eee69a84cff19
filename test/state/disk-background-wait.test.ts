import { execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { SMALL_RUN_BITS_PER_KEY } from "../../src/state/disk/bloom-filter.ts";
import { ThreadTask, flushThreadStarted, mergeThreadStarted, setWaitLimitMs } from "../../src/state/disk/background-threads.ts";
import { CANCEL, MERGE_STATUS_WORDS, writeMergedRun } from "../../src/state/disk/merge-task.ts";
import { waitOverdue } from "../../src/state/disk/task-clock.ts";
import { setThreadedMergeMinBytes, ThreadedMerge } from "../../src/state/disk/threaded-merge.ts";
import { tempDirs } from "../temp-dirs.ts";

const tempDir = tempDirs();

/**
 * A merge in the merge thread whose input is a named pipe: the thread blocks opening it (a
 * stuck task) until something opens the pipe for writing; the empty input then fails the merge.
 */
function stuckMerge(dir: string, name: string): { task: ThreadTask; fifo: string } {
  const fifo = join(dir, `${name}.fifo`);
  execFileSync("mkfifo", [fifo]);
  const task = new ThreadTask({ lane: "merge", task: { inputs: [fifo], dropRemovals: true, path: join(dir, `${name}.run`), bitsPerKey: SMALL_RUN_BITS_PER_KEY } }, MERGE_STATUS_WORDS);
  return { task, fifo };
}

/** Lets a stuck merge go (its pipe opened and closed: it fails on the empty input). */
function release(fifo: string): void {
  closeSync(openSync(fifo, "w"));
}

/** A merge of no runs (an empty run file): quick once the thread reaches it. */
function emptyMerge(path: string): ThreadTask {
  return new ThreadTask({ lane: "merge", task: { inputs: [], dropRemovals: true, path, bitsPerKey: SMALL_RUN_BITS_PER_KEY } }, MERGE_STATUS_WORDS);
}

async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("waits for the background threads' tasks", () => {
  beforeAll(async () => {
    flushThreadStarted();
    await until(mergeThreadStarted);
  });
  afterEach(() => {
    setWaitLimitMs(120_000);
    setThreadedMergeMinBytes(64 * 1024 * 1024);
  });

  it("count from the task's start or the last task's end, never the time queued behind tasks that finish", () => {
    expect(waitOverdue(10, 0, 9, 2000)).toBe(false); // queued 10 s, the task ahead began 1 s ago
    expect(waitOverdue(10, 0, 7, 2000)).toBe(true); // the task ahead (or this one) has run 3 s
    expect(waitOverdue(10, 9, 2, 2000)).toBe(false); // sent 1 s ago to an idle thread
    expect(waitOverdue(10, 7, 2, 2000)).toBe(true); // sent 3 s ago, the thread never began it
  });

  it("go on while tasks ahead of theirs finish, one after another, for longer than the limit", async () => {
    const dir = await tempDir("rivulet-wait-queue-");
    setWaitLimitMs(2000);
    const ahead = ["a", "b", "c", "d"].map((name) => stuckMerge(dir, name));
    const task = emptyMerge(join(dir, "queued.run"));
    // A process of its own lets the stuck merges go, one every 0.7 s, while this thread waits.
    const releaser = spawn("sh", ["-c", ahead.map(({ fifo }) => `sleep 0.7; : > '${fifo}'`).join("; ")], { stdio: "ignore" });
    const started = performance.now();
    expect(task.wait()).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(dir, "queued.run"))).toBe(true);
    expect(performance.now() - started).toBeGreaterThan(2000);
    for (const { task: stuck } of ahead) expect(() => stuck.wait()).toThrow(/merge of runs failed in the merge thread/);
    releaser.kill();
  }, 20_000);

  it("give up on a task that runs too long, and on one queued behind it", async () => {
    const dir = await tempDir("rivulet-wait-stuck-");
    setWaitLimitMs(1000);
    const { task: stuck, fifo } = stuckMerge(dir, "stuck");
    const behind = emptyMerge(join(dir, "behind.run"));
    const started = performance.now();
    expect(() => behind.wait()).toThrow(/did not finish: it is queued behind a task that has run for over 1000 ms/);
    expect(performance.now() - started).toBeGreaterThan(900);
    expect(() => stuck.wait()).toThrow(/did not finish: it has run for over 1000 ms/);
    release(fifo);
    await until(() => stuck.done);
    expect(() => stuck.wait()).toThrow(/shorter than its trailer/);
    expect(behind.wait()).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(dir, "behind.run"))).toBe(true);
  }, 20_000);

  it("a merge cancelled before the thread begins it is left at once and never written", async () => {
    const dir = await tempDir("rivulet-wait-cancel-");
    const { task: stuck, fifo } = stuckMerge(dir, "stuck");
    setThreadedMergeMinBytes(0);
    const merge = ThreadedMerge.start([], true, join(dir, "cancelled.run"), SMALL_RUN_BITS_PER_KEY)!;
    expect(merge).not.toBeNull();
    merge.abandon(); // the thread is stuck: a wait here would not return until released
    release(fifo);
    const after = emptyMerge(join(dir, "after.run"));
    await until(() => after.done);
    expect(after.wait()).toBeGreaterThanOrEqual(0);
    expect(stuck.done).toBe(true);
    expect(existsSync(join(dir, "cancelled.run"))).toBe(false);
  }, 20_000);

  it("writeMergedRun looks at cancel before it opens its inputs or makes its file", async () => {
    const dir = await tempDir("rivulet-wait-cancel-direct-");
    const status = new Int32Array(new SharedArrayBuffer(4 * MERGE_STATUS_WORDS));
    Atomics.store(status, CANCEL, 1);
    const path = join(dir, "never.run");
    expect(writeMergedRun({ inputs: [join(dir, "missing.run")], dropRemovals: true, path, bitsPerKey: SMALL_RUN_BITS_PER_KEY, status })).toBe(-1);
    expect(existsSync(path)).toBe(false);
    Atomics.store(status, CANCEL, 0);
    expect(() => writeMergedRun({ inputs: [join(dir, "missing.run")], dropRemovals: true, path, bitsPerKey: SMALL_RUN_BITS_PER_KEY, status })).toThrow(/ENOENT/);
  });
});
