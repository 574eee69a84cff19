/**
 * Polls `read` until `done` holds for its value, and returns that value; fails after
 * `timeoutMs` naming `what` and the last value seen; reads every `intervalMs`. For tests that wait on something
 * another thread, process or server does, instead of sleeping a fixed time and hoping.
 */
export async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000, intervalMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v)))})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
