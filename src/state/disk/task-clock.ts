/**
 * The states of a background thread's task (background-threads.ts), in its shared status word 0:
 * queued until the thread begins it, then running, then done or failed. Written with Atomics
 * by the thread; a task's own words (its result, a merge's cancel word) are read once it is
 * done.
 */
export const TaskState = Object.freeze({ queued: 0, done: 1, failed: 2, running: 3 } as const);

/**
 * Whether a wait for a task has lasted too long: the thread has gone `limitMs` without
 * beginning or finishing a task (`threadTickSeconds`, written by the thread) since the task
 * was sent (`sentAtSeconds`). So the limit counts from the task's start when it began after it
 * was sent, and time spent queued behind tasks that each finished in time never counts.
 */
export function waitOverdue(nowSeconds: number, sentAtSeconds: number, threadTickSeconds: number, limitMs: number): boolean {
  return (nowSeconds - Math.max(sentAtSeconds, threadTickSeconds)) * 1000 > limitMs;
}
